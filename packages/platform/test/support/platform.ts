/** Test helpers: a platform on a temp data dir, an API client, requests through nginx, app images. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '@bim-pack/platform';
import type { Deployment } from '@bim-pack/shared';
import { docker, getFreePort, makeAppImage, waitFor } from '@bim-pack/test-support';

/** A running platform plus the lines it logged. */
export type TestPlatform = RunningPlatform & { logs: string[] };

/** A platform for one test file, with short drain times. */
export async function startTestPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'bim-platform-')));
  const logs: string[] = [];
  const platform = await startPlatform({
    dataDir, port: 0, proxyPort: await getFreePort(), drainSeconds: 0.3, keepRevisions: 2, log: (line) => logs.push(line), ...options,
  });
  return Object.assign(platform, { logs });
}

/** Removes every container a platform data dir's state knows about, then the dir. */
export async function cleanupPlatform(platform: RunningPlatform): Promise<void> {
  await platform.stop();
  const { readFile } = await import('node:fs/promises');
  const state = JSON.parse(await readFile(join(platform.dataDir, 'state.json'), 'utf8')) as { platformId: string };
  const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${state.platformId}`]);
  if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
  await rm(platform.dataDir, { recursive: true, force: true });
}

/** A small API client for tests: raw status, headers and parsed body. */
export function apiClient(url: string, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: any;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: response.status, headers: response.headers, body: json, text };
  };
}
export type Api = ReturnType<typeof apiClient>;

/** Waits until the deployment is no longer in progress and returns it. */
export async function waitForDeployment(api: Api, app: string, id: string, timeoutMs = 60_000): Promise<Deployment> {
  return waitFor(async () => {
    const { body } = await api('GET', `/v1/apps/${app}/deployments/${id}`);
    return ['live', 'failed', 'rolled-back', 'superseded'].includes(body.status) ? (body as Deployment) : undefined;
  }, { timeoutMs, intervalMs: 100, what: `deployment ${id}` });
}

/** GET through nginx with Host: <app>.localhost (Node's http lets tests set Host). */
export function proxyGet(proxyUrl: string, app: string, path = '/', agent?: import('node:http').Agent): Promise<{ status: number; body: string }> {
  const port = Number(new URL(proxyUrl).port);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host: `${app}.localhost:${port}` }, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('proxy request timed out')));
    req.end();
  });
}

/** A busybox static site answering `text` on / (and /health). Returns the local image id. */
export async function makeStaticImage(ref: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-site-'));
  try {
    await writeFile(join(dir, 'index.html'), `${text}\n`);
    await mkdir(join(dir, 'health'));
    await writeFile(join(dir, 'health', 'index.html'), 'ok\n');
    return await makeAppImage({ base: 'busybox', appDir: dir, ref });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A busybox image running a shell command instead of a server (exits, sleeps, listens elsewhere). */
export async function makeShellImage(ref: string, script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-sh-'));
  try {
    await writeFile(join(dir, 'index.html'), 'x\n');
    return await makeAppImage({ base: 'busybox', appDir: dir, ref, cmd: ['/bin/sh', '-c', script] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
