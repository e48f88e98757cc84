/**
 * Redeploy under load, single-host runtime beside the swarm runtime: for each column a platform
 * is started, an app deployed, then redeployed BENCH_RUNS times (alternating two images) while
 * 4 keep-alive clients send requests through nginx. Prints requests sent, non-2xx, connection
 * errors and the time from the deploy call to `live`.
 * Needs Docker and nginx; initialises a single-node swarm on loopback when the engine is in none
 * (and leaves it afterwards).
 * Run: node --conditions=source --import tsx bench/redeploy-swarm.ts
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '@bim-pack/platform';
import { docker, getFreePort, makeAppImage, releaseSwarm, uniqueName, useSwarm } from '@bim-pack/test-support';

const runs = Number(process.env.BENCH_RUNS ?? 10);
// "exits": the app stops at once on SIGTERM (a shell trap); "keeps": it ignores SIGTERM as PID 1 (plain httpd)
// and serves until SIGKILL at the end of the grace period. Swarm sends SIGTERM itself, so both are measured.
const columns = [
  { name: 'docker, 1, exits', runtime: 'docker' as const, replicas: 1, term: 'exits' as const },
  { name: 'swarm, 1, keeps', runtime: 'swarm' as const, replicas: 1, term: 'keeps' as const },
  { name: 'swarm, 1, exits', runtime: 'swarm' as const, replicas: 1, term: 'exits' as const },
  { name: 'swarm, 2, keeps', runtime: 'swarm' as const, replicas: 2, term: 'keeps' as const },
  { name: 'swarm, 2, exits', runtime: 'swarm' as const, replicas: 2, term: 'exits' as const },
].filter((c) => !process.env.BENCH_COLUMNS || process.env.BENCH_COLUMNS.split(';').includes(c.name));

async function makeImage(ref: string, text: string, term: 'exits' | 'keeps'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-bench-site-'));
  try {
    await writeFile(join(dir, 'index.html'), `${text}\n`);
    await mkdir(join(dir, 'health'));
    await writeFile(join(dir, 'health', 'index.html'), 'ok\n');
    const serve = 'httpd -f -p "$PORT" -h /www';
    return await makeAppImage({ base: 'busybox', appDir: dir, ref, cmd: ['/bin/sh', '-c', term === 'exits' ? `trap 'exit 0' TERM; ${serve} & wait` : `exec ${serve}`] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function get(port: number, app: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host: `${app}.localhost:${port}` }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function api(platform: RunningPlatform, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${platform.url}${path}`, {
    method, headers: { authorization: `Bearer ${platform.token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.json();
}

/** Deploys and returns ms from the call to live (throws on any other end). */
async function deploy(platform: RunningPlatform, app: string, image: string, replicas: number): Promise<number> {
  const started = Date.now();
  const created = await api(platform, 'POST', `/v1/apps/${app}/deployments`, {
    image, healthCheckPath: '/health/', ...(replicas > 1 ? { replicas } : {}), env: { TOKEN: 'bench-secret' }, secretEnv: replicas > 1 ? ['TOKEN'] : [],
  });
  if (!created.id) throw new Error(`deploy refused: ${JSON.stringify(created)}`);
  for (;;) {
    const d = await api(platform, 'GET', `/v1/apps/${app}/deployments/${created.id}`);
    if (d.status === 'live') return Date.now() - started;
    if (d.status === 'failed') throw new Error(`deployment failed: ${JSON.stringify(d.failure)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function column(spec: (typeof columns)[number], images: Record<'exits' | 'keeps', string[]>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'bim-bench-redeploy-'));
  const platform = await startPlatform({ dataDir, port: 0, proxyPort: await getFreePort(), runtime: spec.runtime, drainSeconds: 1, keepRevisions: 2 });
  const app = uniqueName('bench').toLowerCase().replace(/[^a-z0-9-]/g, '');
  const port = Number(new URL(platform.proxyUrl).port);
  try {
    await deploy(platform, app, images[spec.term][0]!, spec.replicas);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const load = { sent: 0, non2xx: 0, errors: 0, stop: false };
    const loops = Promise.all([0, 1, 2, 3].map(async () => {
      while (!load.stop) {
        load.sent++;
        try {
          const status = await get(port, app, agent);
          if (status < 200 || status > 299) load.non2xx++;
        } catch {
          load.errors++;
        }
      }
    }));
    const times: number[] = [];
    try {
      for (let i = 1; i <= runs; i++) times.push(await deploy(platform, app, images[spec.term][i % 2]!, spec.replicas));
    } finally {
      load.stop = true;
      await loops;
      agent.destroy();
    }
    times.sort((a, b) => a - b);
    return { ...spec, sent: load.sent, non2xx: load.non2xx, errors: load.errors, median: times[Math.floor(times.length / 2)]!, max: times.at(-1)! };
  } finally {
    await api(platform, 'DELETE', `/v1/apps/${app}`).catch(() => undefined);
    await platform.stop();
    const { platformId } = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { platformId: string };
    const services = (await docker(['service', 'ls', '-q', '--filter', `label=im.backend.platform=${platformId}`])).split('\n').filter(Boolean);
    if (services.length) await docker(['service', 'rm', ...services]);
    const left = (await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${platformId}`])).split('\n').filter(Boolean);
    if (left.length) await docker(['rm', '-f', ...left]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const tag = uniqueName('redeploy').toLowerCase();
const images = {
  keeps: [await makeImage(`bim-bench/${tag}:a`, 'hello a', 'keeps'), await makeImage(`bim-bench/${tag}:b`, 'hello b', 'keeps')],
  exits: [await makeImage(`bim-bench/${tag}:c`, 'hello c', 'exits'), await makeImage(`bim-bench/${tag}:d`, 'hello d', 'exits')],
};
await useSwarm();
try {
  const results = [];
  for (const spec of columns) results.push(await column(spec, images));
  const row = (label: string, values: Array<string | number>) => console.log(`${label.padEnd(22)}${values.map((v) => String(v).padStart(20)).join('')}`);
  console.log(`redeploys under load through nginx: ${runs} per column, 4 clients; columns: runtime, replicas, app on SIGTERM`);
  row('', results.map((r) => r.name));
  row('requests sent', results.map((r) => r.sent));
  row('non-2xx', results.map((r) => r.non2xx));
  row('connection errors', results.map((r) => r.errors));
  row('deploy->live median', results.map((r) => `${(r.median / 1000).toFixed(2)} s`));
  row('deploy->live max', results.map((r) => `${(r.max / 1000).toFixed(2)} s`));
} finally {
  await releaseSwarm();
  // A deleted service's task containers go a moment later; until then they hold the images.
  for (let attempt = 0; attempt < 60; attempt++) {
    const left = (await docker(['images', '-q', `bim-bench/${tag}`])).trim();
    if (!left) break;
    await docker(['rmi', ...['a', 'b', 'c', 'd'].map((t) => `bim-bench/${tag}:${t}`)]).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
  }
}
