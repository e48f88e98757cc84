/** `bim-pack rollback [revision]`: make the previous (or the named) revision live again. */
import { BimError } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';
import { connect } from '../deploy/connect.js';

/** Rolls the app back and reports what is live now. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const revision = args[0];
  if (revision !== undefined && !/^r[1-9][0-9]*$/.test(revision)) {
    throw new BimError('USAGE_BAD_FLAG', `"${revision}" is not a revision (like r3)`, { hint: 'see the revisions with `bim-pack status`' });
  }
  const { client, target, app } = await connect(context, options, undefined);
  const { rollbackWhenFree } = await import('@bim-pack/deployer');
  context.reporter.stage('rollback', `${app}${revision ? ` to ${revision}` : ' to the previous revision'}`);
  const result = await rollbackWhenFree(client, app, revision, { signal: context.signal });
  return {
    data: { app, target, from: result.from, revision: result.deployment.revision, deploymentId: result.deployment.id, url: result.deployment.url },
    lines: [`rolled back ${app} from ${result.from} to ${result.deployment.revision}: ${result.deployment.url}`],
  };
}
