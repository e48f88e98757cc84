// The swarm runtime across a kill -9 of the platform mid-rollout: nginx keeps serving, and the restarted
// platform reconciles from the service list (the interrupted revision's spec is reverted to the live one).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRunDir } from '@bim-pack/platform';
import { docker, getFreePort, makeAppImage, releaseSwarm, requireDocker, uniqueName, useSwarm, waitFor } from '@bim-pack/test-support';
import { makeSiteImage, removeImages, settled, swarmApiClient, viaProxy } from './swarm-support.js';

const app = uniqueName('swr').replace(/[^a-z0-9-]/g, '');
const images: Record<string, string> = {};
let dataDir: string;
let proxyPort: number;
let proxyUrl: string;
let child: ResultPromise | undefined;
let api: ReturnType<typeof swarmApiClient>;

async function spawnPlatform(): Promise<string[]> {
  child = execa(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'support/run-platform.ts'),
    JSON.stringify({ dataDir, port: 0, proxyPort, drainSeconds: 0.3, runtime: 'swarm' })], { reject: false, stdin: 'ignore', forceKillAfterDelay: 30_000 });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void child!.then((r) => reject(new Error(`platform exited: ${r.stderr}`)));
  });
  const info = JSON.parse(line) as { url: string; proxyUrl: string; token: string; reconciled: string[] };
  api = swarmApiClient(info.url, info.token);
  proxyUrl = info.proxyUrl;
  return info.reconciled;
}

async function serviceOf(): Promise<any> {
  const id = (await docker(['service', 'ls', '-q', '--filter', `label=im.backend.app=${app}`])).trim();
  return JSON.parse(await docker(['service', 'inspect', id]))[0];
}

test.before(async () => {
  await requireDocker();
  await useSwarm();
  dataDir = await mkdtemp(join(tmpdir(), 'bim-swarm-restart-'));
  proxyPort = await getFreePort();
  images.v1 = await makeSiteImage(`bim-test/${app}:v1`, 'hello v1');
  const dir = await mkdtemp(join(tmpdir(), 'bim-swarm-slow-'));
  images.slow = await makeAppImage({ base: 'busybox', appDir: dir, ref: `bim-test/${app}:slow`, cmd: ['/bin/sh', '-c', 'sleep 60; exec httpd -f -p "$PORT" -h /www'] });
  await rm(dir, { recursive: true, force: true });
  await spawnPlatform();
});

test.after(async () => {
  child?.kill('SIGTERM');
  await child;
  for (const prefix of [join(dataDir, 'nginx'), join(dataDir, 'nginx', 'front')]) {
    const pid = Number((await readFile(join(prefix, 'nginx.pid'), 'utf8').catch(() => '')).trim());
    if (pid) try { process.kill(pid, 'SIGQUIT'); } catch { /* already gone */ }
  }
  const { platformId } = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { platformId: string };
  const filter = `label=im.backend.platform=${platformId}`;
  for (const kind of ['service', 'config', 'secret']) {
    const ids = (await docker([kind, 'ls', '-q', '--filter', filter]).catch(() => '')).split('\n').filter(Boolean);
    if (ids.length) await docker([kind, 'rm', ...ids]).catch(() => undefined);
  }
  await removeImages([`bim-test/${app}:v1`, `bim-test/${app}:slow`]);
  await rm(dataDir, { recursive: true, force: true });
  await rm(defaultRunDir(dataDir), { recursive: true, force: true });
  await releaseSwarm();
});

test('kill -9 mid-rollout: nginx keeps serving r1; the restart marks r2 interrupted and reverts the service to r1', async () => {
  const first = await api('POST', `/v1/apps/${app}/deployments`, { image: images.v1, healthCheckPath: '/health/', replicas: 2 });
  assert.is(first.status, 201, first.text);
  assert.is((await settled(api, app, first.body.id)).status, 'live');
  assert.equal(await viaProxy(proxyUrl, app, '/'), { status: 200, body: 'hello v1\n' }, 'served before the kill');
  const slow = await api('POST', `/v1/apps/${app}/deployments`, { image: images.slow, replicas: 2, timeouts: { startSeconds: 90 } });
  await waitFor(async () => (await api('GET', `/v1/apps/${app}/deployments/${slow.body.id}`)).body.status === 'health-checking' || undefined, { what: 'health-checking' });
  assert.is((await serviceOf()).Spec.Labels['im.backend.revision'], 'r2');
  child!.kill('SIGKILL');
  await child;
  assert.equal(await viaProxy(proxyUrl, app, '/'), { status: 200, body: 'hello v1\n' }, 'nginx outlives the platform');
  const reconciled = await spawnPlatform();
  assert.ok(reconciled.some((n) => n.includes('interrupted')), reconciled.join('; '));
  const interrupted = await api('GET', `/v1/apps/${app}/deployments/${slow.body.id}`);
  assert.equal([interrupted.body.status, interrupted.body.failure.reason], ['failed', 'interrupted']);
  const svc = await serviceOf();
  assert.equal([svc.Spec.Labels['im.backend.revision'], svc.UpdateStatus.State.startsWith('rollback')], ['r1', true]);
  assert.is((await api('GET', `/v1/apps/${app}`)).body.liveRevision, 'r1');
  for (let i = 0; i < 4; i++) assert.equal(await viaProxy(proxyUrl, app, '/'), { status: 200, body: 'hello v1\n' });
});

test.run();
