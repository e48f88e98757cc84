/** Private temporary folders for files pack must read but nobody else may (credentials, descriptors). */
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A 0700 folder under the temp dir and its idempotent removal. */
export interface PrivateTempDir {
  dir: string;
  remove(): Promise<void>;
}

/**
 * Makes a fresh 0700 folder. It is removed by remove(), and also when the process exits:
 * a second Ctrl-C makes the CLI exit at once, before async cleanup can run.
 */
export async function createPrivateTempDir(prefix: string): Promise<PrivateTempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let removed = false;
  const onExit = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  const remove = async () => {
    if (removed) return;
    removed = true;
    process.off('exit', onExit);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await chmod(dir, 0o700);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
