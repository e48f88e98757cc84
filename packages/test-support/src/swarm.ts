/**
 * A single-node swarm on loopback shared by every test process on this engine. Whoever finds the engine
 * in no swarm initialises it; it is left only when the last process using it is done, and only when a
 * test initialised it (a swarm that was there before is never left). Users are pid files under a lock dir.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from './docker.js';

const root = join(tmpdir(), 'bim-pack-swarm-users');
const lock = join(tmpdir(), 'bim-pack-swarm.lock');
const marker = join(root, 'initialised-by-tests');

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // A lock older than a minute belongs to a process that died holding it.
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited 120 s for ${lock}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Makes this engine a swarm manager (registering this process as a user); answers whether the swarm was initialised now. */
export async function useSwarm(): Promise<boolean> {
  return withLock(async () => {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, String(process.pid)), '');
    const state = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
    if (state === 'active') return false;
    await docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    await writeFile(marker, String(process.pid));
    return true;
  });
}

/** Unregisters this process; the last user leaves the swarm when tests initialised it. */
export async function releaseSwarm(): Promise<void> {
  await withLock(async () => {
    await rm(join(root, String(process.pid)), { force: true });
    const users = (await readdir(root).catch(() => [])).filter((n) => /^\d+$/.test(n)).map(Number).filter(alive);
    const initialised = await stat(marker).then(() => true, () => false);
    if (users.length || !initialised) return;
    await docker(['swarm', 'leave', '--force']).catch(() => undefined);
    await rm(marker, { force: true });
  });
}
