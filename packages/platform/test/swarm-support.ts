/** Test helpers for the swarm runtime: a single-node swarm on loopback, platforms, images, requests through nginx. */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '@bim-pack/platform';
import { docker, getFreePort, makeAppImage, waitFor } from '@bim-pack/test-support';

/** A swarm platform on a temp (or given) data dir with short drain times. */
export async function startSwarmPlatform(options: PlatformOptions = {}): Promise<RunningPlatform & { logs: string[] }> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'bim-swarm-')));
  const logs: string[] = [];
  const platform = await startPlatform({
    dataDir, port: 0, proxyPort: await getFreePort(), drainSeconds: 0.3, keepRevisions: 2, runtime: 'swarm', log: (line) => logs.push(line), ...options,
  });
  return Object.assign(platform, { logs });
}

/** Removes every service and secret of a platform's data dir, then the dir. */
export async function cleanupSwarmPlatform(platform: RunningPlatform): Promise<void> {
  await platform.stop();
  const state = JSON.parse(await readFile(join(platform.dataDir, 'state.json'), 'utf8')) as { platformId: string };
  const filter = `label=im.backend.platform=${state.platformId}`;
  const services = (await docker(['service', 'ls', '-q', '--filter', filter])).split('\n').filter(Boolean);
  if (services.length) await docker(['service', 'rm', ...services]);
  await waitFor(async () => {
    const secrets = (await docker(['secret', 'ls', '-q', '--filter', filter])).split('\n').filter(Boolean);
    if (!secrets.length) return true;
    await docker(['secret', 'rm', ...secrets]).catch(() => undefined);
    return false;
  }, { timeoutMs: 30_000, intervalMs: 300, what: 'secrets removed' });
  await rm(platform.dataDir, { recursive: true, force: true });
}

/** Removes test images once the tasks that ran them are gone (the engine removes a deleted service's containers a moment later). */
export async function removeImages(refs: string[]): Promise<void> {
  await waitFor(async () => {
    const left = [];
    for (const ref of refs) if (await docker(['rmi', ref]).then(() => false, (e: Error) => !/No such image/.test(e.message))) left.push(ref);
    refs = left;
    return refs.length === 0 || undefined;
  }, { timeoutMs: 30_000, intervalMs: 500, what: `images ${refs.join(', ')} removed` }).catch(() => undefined);
}

/** A busybox site saying `text` on /, its container's hostname on /who.txt, and the API_SECRET file's content on /secret.txt. */
export async function makeSiteImage(ref: string, text: string, options: { health?: boolean } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-swarm-site-'));
  try {
    await writeFile(join(dir, 'index.html'), `${text}\n`);
    if (options.health !== false) {
      await mkdir(join(dir, 'health'));
      await writeFile(join(dir, 'health', 'index.html'), 'ok\n');
    }
    const script = 'echo "serving on $PORT"; cat /etc/hostname > /www/who.txt; if [ -n "$API_SECRET_FILE" ]; then cat "$API_SECRET_FILE" > /www/secret.txt; fi; exec httpd -f -p "$PORT" -h /www';
    return await makeAppImage({ base: 'busybox', appDir: dir, ref, cmd: ['/bin/sh', '-c', script] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** GET through nginx with Host: <app>.localhost. */
export function viaProxy(proxyUrl: string, app: string, path = '/', agent?: Agent): Promise<{ status: number; body: string }> {
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

/** Sends requests through nginx from `workers` loops until stopped; counts statuses and errors. */
export function startLoad(proxyUrl: string, app: string, workers = 4): { stop(): Promise<{ sent: number; non2xx: number; errors: string[]; bodies: Set<string> }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  let stopping = false;
  const result = { sent: 0, non2xx: 0, errors: [] as string[], bodies: new Set<string>() };
  const loops = Promise.all(Array.from({ length: workers }, async () => {
    while (!stopping) {
      result.sent++;
      try {
        const response = await viaProxy(proxyUrl, app, '/', agent);
        if (response.status < 200 || response.status > 299) result.non2xx++;
        else result.bodies.add(response.body.trim());
      } catch (error) {
        result.errors.push((error as Error).message);
      }
    }
  }));
  return {
    async stop() {
      stopping = true;
      await loops;
      agent.destroy();
      return result;
    },
  };
}

/** A small API client: status and parsed body. */
export function swarmApiClient(url: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: any;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: response.status, body: json, text };
  };
}

/** Waits until a deployment leaves the in-progress states. */
export async function settled(api: ReturnType<typeof swarmApiClient>, app: string, id: string, timeoutMs = 90_000): Promise<any> {
  return waitFor(async () => {
    const { body } = await api('GET', `/v1/apps/${app}/deployments/${id}`);
    return ['live', 'failed', 'rolled-back', 'superseded'].includes(body.status) ? body : undefined;
  }, { timeoutMs, intervalMs: 150, what: `deployment ${id}` });
}
