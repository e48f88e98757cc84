/**
 * The local target: the platform in <BIM_PACK_HOME>/platform (default ~/.bim-pack). When none
 * runs, start `bim-pack platform start` in the background (logging to platform.log) and wait.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BimError } from '@bim-pack/shared';
// The discovery entry alone: loading the whole platform server would cost ~0.5 s per command.
import { readPlatformFile } from '@bim-pack/platform/discovery';

/** The bim-pack home: BIM_PACK_HOME or ~/.bim-pack. */
export function bimPackHome(env: Record<string, string | undefined>): string {
  return env.BIM_PACK_HOME || join(homedir(), '.bim-pack');
}

/** The argv that starts the local platform in the background (pure). */
export function describePlatformStart(bin: string, dataDir: string, env: Record<string, string | undefined>): string[] {
  return [bin, 'platform', 'start', '--data-dir', dataDir, '--port', env.BIM_PACK_PLATFORM_PORT ?? '0', '--proxy-port', env.BIM_PACK_PROXY_PORT ?? '7080'];
}

/** This CLI's own entry point (dist/bin.js next to dist/deploy/). */
function cliBin(): string {
  const built = fileURLToPath(new URL('../bin.js', import.meta.url));
  return existsSync(built) ? built : process.argv[1]!;
}

/** The running platform's URL and token, or undefined (no file, or its process is gone). */
export async function readRunning(dataDir: string): Promise<{ url: string; token: string } | undefined> {
  const found = await readPlatformFile(dataDir);
  return found ? { url: found.url, token: found.token } : undefined;
}

/** Finds or starts the local platform; resolves its URL and token. */
export async function ensureLocalPlatform(input: {
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  onProgress: (message: string) => void;
  timeoutMs?: number;
  /** Start one when none runs (deploy); other commands only look. */
  start?: boolean;
}): Promise<{ url: string; token: string; started: boolean; dataDir: string }> {
  const dataDir = join(bimPackHome(input.env), 'platform');
  const running = await readRunning(dataDir);
  if (running) return { ...running, started: false, dataDir };
  if (input.start === false) {
    throw new BimError('API_UNREACHABLE', `no local platform is running (looked in ${dataDir})`, {
      hint: '`bim-pack deploy --target local` starts one, or run `bim-pack platform start` (BIM_PACK_HOME sets where it lives)',
    });
  }
  // Traversable, not listable (0711): the platform's nginx workers run as another user and must
  // reach the app sockets under the data dir. The platform keeps its secrets in 0600 files.
  await mkdir(bimPackHome(input.env), { recursive: true, mode: 0o711 });
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  const logPath = join(dataDir, 'platform.log');
  const log = await open(logPath, 'a', 0o600);
  const argv = describePlatformStart(cliBin(), dataDir, input.env);
  input.onProgress(`starting the local platform (data in ${dataDir}, log in ${logPath})`);
  // Detached with its own session: it must outlive this command (and its Ctrl-C).
  const child = spawn(process.execPath, argv, { detached: true, stdio: ['ignore', log.fd, log.fd], env: { ...input.env, NO_COLOR: '1' } });
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? 1; });
  child.unref();
  await log.close();
  const deadline = Date.now() + (input.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (input.signal.aborted) throw input.signal.reason;
    const found = await readRunning(dataDir);
    if (found) return { ...found, started: true, dataDir };
    if (exited !== null) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  const tail = (await readFile(logPath, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join(' | ');
  throw new BimError('DEPLOY_LOCAL_PLATFORM_FAILED', `the local platform did not start${exited !== null ? ` (exit ${exited})` : ' within 30 s'}: ${tail}`, {
    hint: `run \`bim-pack platform start --data-dir ${dataDir}\` to see why (Docker and nginx must be available)`,
  });
}
