/** `bim-pack destroy [app]`: remove the app and all its revisions. Asks first unless --yes. */
import { BimError } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';
import { connect } from '../deploy/connect.js';
import { ask } from '../deploy/prompt.js';

/** Destroys the app after confirmation. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const { client, target, app } = await connect(context, options, args[0]);
  if (!options.yes) {
    if (!context.interactive) {
      throw new BimError('USAGE_BAD_FLAG', `destroy ${app} needs confirmation, and this is not a terminal`, {
        hint: `run \`bim-pack destroy --app ${app} --yes\` to confirm`,
      });
    }
    const answer = await ask(`Destroy ${app} and all its revisions on ${target.url}? Type the app name to confirm: `, { signal: context.signal });
    if (answer.trim() !== app) {
      return { data: { app, target, removedRevisions: [], cancelled: true }, lines: ['not destroyed: the name did not match'], exitCode: 1 };
    }
  }
  const result = await client.destroyApp(app);
  return {
    data: { app, target, removedRevisions: result.removedRevisions },
    lines: [`destroyed ${app} (${result.removedRevisions.length ? result.removedRevisions.join(', ') : 'no revisions'})`],
  };
}
