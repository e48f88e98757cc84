/** Runs the built CLI (dist/bin.js) as a user would: no terminal, CI-like env. */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export const BIN = new URL('../../dist/bin.js', import.meta.url).pathname;
export const REPO_ROOT = new URL('../../../../', import.meta.url).pathname;

/** Runs `bim-pack ...args`; never throws for a non-zero exit. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
  return execa('node', [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: { NO_COLOR: undefined, ...options.env }, reject: false, stdin: 'ignore' });
}

/** A fresh copy of fixtures/<name> in a temp folder. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bim-init-${name}-`));
  await cp(join(REPO_ROOT, 'fixtures', name), dir, { recursive: true });
  return dir;
}
