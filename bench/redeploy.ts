/**
 * Redeploy under load (single-host docker runtime): deploys an app, then redeploys it 10 times
 * (alternating two images) while autocannon sends requests through the platform's nginx on
 * loopback. Prints requests sent, non-2xx responses, errors, and the time from the deploy call
 * to `live` (median and p95). Bounded: at most 120 s of load.
 * Run: node --conditions=source --import tsx bench/redeploy.ts   (BENCH_RUNS=10, BENCH_CONNECTIONS=8)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startPlatform } from '@bim-pack/platform';
import { docker, getFreePort, makeAppImage, uniqueName } from '@bim-pack/test-support';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const app = uniqueName('bench').replace(/[^a-z0-9-]/g, '');

async function makeSite(ref: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-bench-'));
  try {
    await writeFile(join(dir, 'index.html'), `${text}\n`);
    await mkdir(join(dir, 'health'));
    await writeFile(join(dir, 'health', 'index.html'), 'ok\n');
    return await makeAppImage({ base: 'busybox', appDir: dir, ref });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** POSTs a deployment and follows its event stream until live; returns milliseconds from the call to live. */
async function deploy(url: string, token: string, image: string): Promise<number> {
  const started = performance.now();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${url}/v1/apps/${app}/deployments`, { method: 'POST', headers, body: JSON.stringify({ image, healthCheckPath: '/health/' }) });
  const { id } = (await created.json()) as { id: string };
  if (created.status !== 201) throw new Error(`create answered ${created.status}`);
  const events = await fetch(`${url}/v1/apps/${app}/deployments/${id}/events`, { headers });
  const text = await events.text();
  if (!/^event: live$/m.test(text)) throw new Error(`deployment ${id} did not go live:\n${text}`);
  return performance.now() - started;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const v1 = await makeSite(`bim-bench/${app}:v1`, 'v1');
const v2 = await makeSite(`bim-bench/${app}:v2`, 'v2');
const dataDir = await mkdtemp(join(tmpdir(), 'bim-bench-platform-'));
const proxyPort = await getFreePort();
const platform = await startPlatform({ dataDir, port: 0, proxyPort, drainSeconds: 1 });
try {
  await deploy(platform.url, platform.token, v1);
  // Baseline: the same load for 5 s without any deployment, to tell the proxy's own errors from the switch's.
  const baseline = await autocannon({
    url: `http://127.0.0.1:${proxyPort}/`, headers: { host: `${app}.localhost:${proxyPort}` }, connections, duration: 5,
  });
  console.log(`baseline (5 s, no deploys): ${baseline.requests.total} responses, non-2xx ${baseline.non2xx}, errors ${baseline.errors}`);
  let finish: (result: autocannon.Result) => void = () => {};
  const finished = new Promise<autocannon.Result>((resolve) => (finish = resolve));
  const load = autocannon({
    url: `http://127.0.0.1:${proxyPort}/`, headers: { host: `${app}.localhost:${proxyPort}` }, connections, duration: 120,
  }, (_error, result) => finish(result));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await deploy(platform.url, platform.token, i % 2 === 0 ? v2 : v1));
  await new Promise((r) => setTimeout(r, 1500)); // let the last drain finish under load
  load.stop();
  const result = await finished;
  const sent = result.requests.sent;
  console.log(`redeploy under load (docker runtime, ${runs} redeploys, ${connections} connections through nginx)`);
  console.log(`requests sent:   ${sent}`);
  console.log(`2xx:             ${result['2xx']}`);
  console.log(`non-2xx:         ${result.non2xx}`);
  console.log(`errors:          ${result.errors} (timeouts ${result.timeouts})`);
  console.log(`deploy -> live:  median ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
} finally {
  await platform.stop();
  const { platformId } = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { platformId: string };
  const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${platformId}`]);
  if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
  await docker(['rmi', `bim-bench/${app}:v1`, `bim-bench/${app}:v2`]).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
}
