// Restart reconciliation (kill -9 during a deployment) and an nginx config failure, with a platform
// in its own process, real Docker and real nginx.
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRunDir, readPlatformFile } from '@bim-pack/platform';
import { docker, getFreePort, requireDocker, uniqueName, waitFor } from '@bim-pack/test-support';
import { apiClient, makeShellImage, makeStaticImage, proxyGet, waitForDeployment, type Api } from './support/platform.js';

const app = uniqueName('rs').replace(/[^a-z0-9-]/g, '');
let dataDir: string;
let proxyPort: number;
let child: ResultPromise | undefined;
let api: Api;
let proxyUrl: string;
const images: Record<string, string> = {};

async function spawnPlatform(): Promise<{ reconciled: string[] }> {
  child = execa(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'support/run-platform.ts'),
    JSON.stringify({ dataDir, port: 0, proxyPort, drainSeconds: 0.3 })], { reject: false, stdin: 'ignore', forceKillAfterDelay: 30_000 });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void child!.then((r) => reject(new Error(`platform exited: ${r.stderr}`)));
  });
  const info = JSON.parse(line) as { url: string; proxyUrl: string; token: string; reconciled: string[] };
  api = apiClient(info.url, info.token);
  proxyUrl = info.proxyUrl;
  return info;
}

test.before(async () => {
  await requireDocker();
  dataDir = await mkdtemp(join(tmpdir(), 'bim-platform-restart-'));
  proxyPort = await getFreePort();
  images.v1 = await makeStaticImage(`bim-test/${app}:v1`, 'hello v1');
  images.v2 = await makeStaticImage(`bim-test/${app}:v2`, 'hello v2');
  images.slow = await makeShellImage(`bim-test/${app}:slow`, 'sleep 30; exec httpd -f -p $PORT -h /www');
  await spawnPlatform();
});
test.after(async () => {
  child?.kill('SIGTERM');
  await child;
  // Whatever happened to the platform, its two nginx instances must not outlive the test.
  for (const prefix of [join(dataDir, 'nginx'), join(dataDir, 'nginx', 'front')]) {
    const pid = Number((await readFile(join(prefix, 'nginx.pid'), 'utf8').catch(() => '')).trim());
    if (pid) try { process.kill(pid, 'SIGQUIT'); } catch { /* already gone */ }
  }
  const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { platformId: string };
  const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${state.platformId}`]);
  if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
  await docker(['rmi', `bim-test/${app}:v1`, `bim-test/${app}:v2`, `bim-test/${app}:slow`]).catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
  await rm(defaultRunDir(dataDir), { recursive: true, force: true });
});

test('kill -9 during a deployment: nginx keeps serving; on restart the deployment ends failed and the app serves its live revision', async () => {
  const first = await api('POST', `/v1/apps/${app}/deployments`, { image: images.v1 });
  assert.is((await waitForDeployment(api, app, first.body.id)).status, 'live');
  assert.ok(await readPlatformFile(dataDir), 'platform.json names a running platform');
  const slow = await api('POST', `/v1/apps/${app}/deployments`, { image: images.slow, timeouts: { startSeconds: 60 } });
  await waitFor(async () => (await api('GET', `/v1/apps/${app}/deployments/${slow.body.id}`)).body.status === 'health-checking', { what: 'health-checking' });
  child!.kill('SIGKILL');
  await child;
  assert.is(await readPlatformFile(dataDir), undefined, 'a dead platform is not found');
  assert.equal(await proxyGet(proxyUrl, app), { status: 200, body: 'hello v1\n' }, 'nginx outlives the platform');
  const { reconciled } = await spawnPlatform();
  assert.ok(reconciled.some((n) => n.includes('interrupted')), reconciled.join('; '));
  const interrupted = await api('GET', `/v1/apps/${app}/deployments/${slow.body.id}`);
  assert.equal([interrupted.body.status, interrupted.body.failure.reason], ['failed', 'interrupted']);
  assert.is(await docker(['ps', '-aq', '--filter', `label=im.backend.deployment=${slow.body.id}`]), '');
  assert.is((await api('GET', `/v1/apps/${app}`)).body.liveRevision, 'r1');
  assert.equal(await proxyGet(proxyUrl, app), { status: 200, body: 'hello v1\n' });
  const next = await api('POST', `/v1/apps/${app}/deployments`, { image: images.v2 });
  const done = await waitForDeployment(api, app, next.body.id);
  assert.equal([done.status, done.revision], ['live', 'r3']);
  assert.equal(await proxyGet(proxyUrl, app), { status: 200, body: 'hello v2\n' });
});

test('nginx config failure: the deployment ends proxy-failed, nothing half-switched, the old revision serves', async () => {
  // A missing log directory makes `nginx -t` fail, as a full or cleaned-up disk would.
  const logs = join(dataDir, 'nginx', 'logs');
  await rename(logs, `${logs}.away`);
  try {
    const created = await api('POST', `/v1/apps/${app}/deployments`, { image: images.v1 });
    assert.is(created.status, 201, created.text);
    const done = await waitForDeployment(api, app, created.body.id);
    assert.equal([done.status, done.failure?.reason], ['failed', 'proxy-failed']);
    assert.match(done.failure!.message, /nginx test failed/);
    assert.is(await docker(['ps', '-aq', '--filter', `label=im.backend.deployment=${created.body.id}`]), '');
  } finally {
    await rename(`${logs}.away`, logs);
  }
  assert.equal(await proxyGet(proxyUrl, app), { status: 200, body: 'hello v2\n' });
  assert.is((await api('GET', `/v1/apps/${app}`)).body.liveRevision, 'r3');
});

test.run();
