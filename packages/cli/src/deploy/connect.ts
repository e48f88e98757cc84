/**
 * What status, logs, rollback, destroy and apps share: the target (as deploy resolves it, but
 * never starting a local platform), an API client, and the app name (flag, argument or plan).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { BimError, readProjectToml } from '@bim-pack/shared';
import type { ApiClient } from '@bim-pack/deployer';
import type { CommandContext } from '../context.js';
import type { Target } from '../result-schema.js';
import { resolveTarget } from './target.js';

const FlagsSchema = z.object({
  target: z.coerce.string().optional(),
  app: z.coerce.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label: lower-case letters, digits and -').optional(),
});

/** A connected command: client, target and (when asked for) the app name. */
export interface Connection {
  client: ApiClient;
  target: Target;
  app: string;
}

/** Resolves target and app, and opens a client closed on exit. `appArg`: the positional app, if the command has one. */
export async function connect(context: CommandContext, options: Record<string, unknown>, appArg: string | undefined, needsApp = true): Promise<Connection> {
  const parsed = FlagsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BimError('USAGE_BAD_FLAG', `--${String(issue.path[0])}: ${issue.message}`, { hint: 'run `bim-pack <command> --help` for the flags' });
  }
  const toml = await readProjectToml(resolve(context.cwd, 'project.toml'));
  let app = parsed.data.app ?? appArg ?? '';
  if (needsApp && !app) app = await appFromPlan(context);
  const target = await resolveTarget({
    flag: parsed.data.target, projectToml: toml?.im?.backend?.target, env: process.env, interactive: context.interactive,
    ask: async (q) => (await import('./prompt.js')).ask(q, { signal: context.signal }), signal: context.signal, onProgress: (m) => context.reporter.step(m), startLocal: false,
  });
  const { ApiClient } = await import('@bim-pack/deployer');
  const client = new ApiClient({ url: target.url, token: target.token, reporter: context.reporter, signal: context.signal });
  context.onCleanup(() => client.close());
  return { client, target: { kind: target.kind, url: target.url }, app };
}

/** The app name of the current folder's plan. */
async function appFromPlan(context: CommandContext): Promise<string> {
  const { detect } = await import('@bim-pack/detector');
  try {
    return (await detect(context.cwd)).app.value;
  } catch (error) {
    throw new BimError('USAGE_BAD_FLAG', `no app given and none detected in ${context.cwd}: ${(error as Error).message}`, {
      hint: 'pass --app <name> (bim-pack apps lists them)', cause: error,
    });
  }
}
