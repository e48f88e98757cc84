/** Test helpers: a real platform on a temp data dir, and small app images made with the real engine. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '@bim-pack/platform';
import { docker, getFreePort, makeAppImage } from '@bim-pack/test-support';

/** A platform with short drain times; its log lines are kept. */
export async function startTestPlatform(): Promise<RunningPlatform & { logs: string[] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bim-deployer-platform-'));
  const logs: string[] = [];
  const platform = await startPlatform({ dataDir, port: 0, proxyPort: await getFreePort(), drainSeconds: 0.2, keepRevisions: 2, log: (l) => logs.push(l) });
  return Object.assign(platform, { logs });
}

/** Stops the platform and removes every container it made and its data dir. */
export async function stopTestPlatform(platform: RunningPlatform): Promise<void> {
  await platform.stop();
  const state = JSON.parse(await readFile(join(platform.dataDir, 'state.json'), 'utf8')) as { platformId: string };
  const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${state.platformId}`]);
  if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
  await rm(platform.dataDir, { recursive: true, force: true });
}

/** A busybox site answering `text` on / and "ok" on /health; returns the local image id. */
export async function makeSiteImage(ref: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-site-'));
  try {
    await writeFile(join(dir, 'index.html'), `${text}\n`);
    // A file, not a folder: busybox httpd redirects /health to /health/ for folders.
    await writeFile(join(dir, 'health'), 'ok\n');
    await makeAppImage({ base: 'busybox', appDir: dir, ref });
    return (await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A busybox image running a shell script (to exit on boot, print, ...). */
export async function makeScriptImage(ref: string, script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-sh-'));
  try {
    await writeFile(join(dir, 'index.html'), 'x\n');
    await makeAppImage({ base: 'busybox', appDir: dir, ref, cmd: ['/bin/sh', '-c', script] });
    return (await docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** uvu cannot print errors whose `details` is an object: rethrow BimErrors as plain errors with code and hint. */
export function plainErrors<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await fn(...args);
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string; hint?: string; details?: unknown };
      if (e?.name === 'BimError') throw new Error(`${e.code}: ${e.message}\nhint: ${e.hint}\ndetails: ${JSON.stringify(e.details)}`, { cause: error });
      throw error;
    }
  };
}
