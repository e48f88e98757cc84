/**
 * `bim-pack platform start`: runs the self-hosted deploy platform in the foreground
 * until Ctrl-C / SIGTERM, then stops nginx (apps keep running).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { BimError } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';

const port = (flag: string, min = 0) => z.coerce.number().int().min(min, `${flag} must be a port number`).max(65535, `${flag} must be a port number`);
const FlagsSchema = z.object({
  host: z.string().min(1),
  port: port('--port'),
  proxyPort: port('--proxy-port', 1),
  dataDir: z.string().optional(),
  token: z.string().regex(/^[\x21-\x7e]{16,}$/, '--token must be at least 16 printable characters').optional(),
  runtime: z.enum(['docker', 'swarm']).optional(),
  memory: z.coerce.number().int().min(16).max(1 << 20),
  keepRevisions: z.coerce.number().int().min(0).max(100),
  drainSeconds: z.coerce.number().min(0).max(600).optional(),
});

/** Starts the platform and waits for Ctrl-C. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  if (args[0] !== 'start') {
    throw new BimError('USAGE_BAD_FLAG', `unknown platform action "${args[0] ?? ''}"`, { hint: 'run `bim-pack platform start`' });
  }
  const parsed = FlagsSchema.safeParse({
    // BIM_PLATFORM_TOKEN keeps the token out of argv (ps shows flags to every user).
    host: options.host, port: options.port, proxyPort: options.proxyPort, dataDir: options.dataDir, token: options.token ?? (process.env.BIM_PLATFORM_TOKEN || undefined),
    runtime: options.runtime, memory: options.memory, keepRevisions: options.keepRevisions, drainSeconds: options.drainSeconds,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const hint = issue.path[0] === 'runtime' ? 'use --runtime docker (one host, the default) or --runtime swarm (this engine must be a swarm manager)' : 'run `bim-pack platform --help`';
    throw new BimError('USAGE_BAD_FLAG', `${String(issue.path[0])}: ${issue.message}`, { hint });
  }
  const flags = parsed.data;
  const { startPlatform, PlatformStartError, defaultDataDir } = await import('@bim-pack/platform');
  const dataDir = flags.dataDir ? resolve(context.cwd, flags.dataDir) : defaultDataDir();
  let platform;
  try {
    platform = await startPlatform({
      dataDir, host: flags.host, port: flags.port, proxyPort: flags.proxyPort, memoryMb: flags.memory, keepRevisions: flags.keepRevisions,
      ...(flags.runtime ? { runtime: flags.runtime } : {}),
      ...(flags.token ? { token: flags.token } : {}), ...(flags.drainSeconds === undefined ? {} : { drainSeconds: flags.drainSeconds }),
      log: (line) => context.reporter.step(line),
    });
  } catch (error) {
    if (!(error instanceof PlatformStartError)) throw error;
    if (error.step === 'listen' && /EADDRINUSE/.test(error.message)) {
      throw new BimError('PLATFORM_PORT_IN_USE', error.message, { hint: `pick another port: bim-pack platform start --port ${flags.port + 1}` });
    }
    if (error.step === 'runtime') {
      throw new BimError('PLATFORM_START_FAILED', error.message, { hint: 'make this engine a swarm manager: docker swarm init --advertise-addr <this host\'s address>, or start without --runtime swarm' });
    }
    if (error.step === 'nginx') {
      throw new BimError('PLATFORM_NGINX_FAILED', error.message, {
        hint: `check ${dataDir}/nginx/logs/error.log; if the proxy port is taken, use --proxy-port ${flags.proxyPort + 1}; nginx must be at /usr/sbin/nginx (apt-get install nginx)`,
      });
    }
    throw new BimError('PLATFORM_START_FAILED', error.message, { hint: `check the data dir ${dataDir} (or pass another with --data-dir)` });
  }
  context.reporter.info(`platform listening on ${platform.url}`);
  context.reporter.info(`apps are served at ${platform.proxyUrl.replace('://', '://<app>.')}`);
  context.reporter.info(platform.tokenGenerated ? `API token (stored in ${dataDir}/token): ${platform.token}` : flags.token ? 'API token: the one given with --token' : `API token: in ${dataDir}/token`);
  for (const note of platform.reconciled) context.reporter.info(`reconciled: ${note}`);
  context.reporter.info('press Ctrl-C to stop (apps keep running)');
  await new Promise<void>((done) => {
    if (context.signal.aborted) return done();
    context.signal.addEventListener('abort', () => done(), { once: true });
  });
  await platform.stop();
  return {
    data: { url: platform.url, proxyUrl: platform.proxyUrl, dataDir, stopped: true },
    lines: [`platform stopped (was ${platform.url}); apps keep running and are served again on the next start`],
  };
}
