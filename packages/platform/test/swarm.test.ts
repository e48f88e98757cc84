// The swarm runtime on a real single-node swarm (loopback), real nginx: replicas, start-first redeploys
// under load, Swarm's own rollback on a failing health check, secrets as files, restart reconciliation.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunningPlatform } from '@bim-pack/platform';
import { docker, releaseSwarm, requireDocker, uniqueName, useSwarm, waitFor } from '@bim-pack/test-support';
import {
  cleanupSwarmPlatform, makeSiteImage, removeImages, settled, startLoad, startSwarmPlatform, swarmApiClient, viaProxy,
} from './swarm-support.js';

const app = uniqueName('sw').replace(/[^a-z0-9-]/g, '');
const SECRET = 'swarm-secret-value-never-in-specs';
const images: Record<string, string> = {};
let platform: RunningPlatform;
let api: ReturnType<typeof swarmApiClient>;

async function deploy(image: string, extra: Record<string, unknown> = {}) {
  const created = await api('POST', `/v1/apps/${app}/deployments`, {
    image, env: { API_SECRET: SECRET, GREETING: 'plain' }, secretEnv: ['API_SECRET'], healthCheckPath: '/health/', replicas: 2, ...extra,
  });
  assert.is(created.status, 201, created.text);
  return settled(api, app, created.body.id);
}

async function service(): Promise<any> {
  const services = JSON.parse(await docker(['service', 'ls', '--format', '{{json .}}', '--filter', `label=im.backend.app=${app}`]).then((t) => `[${t.split('\n').filter(Boolean).join(',')}]`));
  assert.is(services.length, 1);
  return JSON.parse(await docker(['service', 'inspect', services[0].ID]))[0];
}

async function upstreamPorts(): Promise<number[]> {
  const conf = await readFile(join(platform.dataDir, 'nginx', 'nginx.conf'), 'utf8');
  const block = new RegExp(`upstream app_${app.replace(/-/g, '_')} \\{([^}]*)\\}`).exec(conf)?.[1] ?? '';
  return [...block.matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])).sort();
}

async function taskPorts(): Promise<number[]> {
  const ids = (await docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${(await service()).Spec.Name}`])).split('\n').filter(Boolean);
  const ports = await Promise.all(ids.map(async (id) => Number((await docker(['port', id])).match(/0\.0\.0\.0:(\d+)/)?.[1])));
  return ports.sort();
}

test.before(async () => {
  await requireDocker();
  await useSwarm();
  images.v1 = await makeSiteImage(`bim-test/${app}:v1`, 'hello v1');
  images.v2 = await makeSiteImage(`bim-test/${app}:v2`, 'hello v2');
  images.sick = await makeSiteImage(`bim-test/${app}:sick`, 'hello sick', { health: false });
  platform = await startSwarmPlatform();
  api = swarmApiClient(platform.url, platform.token);
});

test.after(async () => {
  if (platform) await cleanupSwarmPlatform(platform).catch((error: Error) => console.error(`cleanup: ${error.message}`));
  await removeImages(['v1', 'v2', 'sick'].map((tag) => `bim-test/${app}:${tag}`));
  await releaseSwarm();
});

test('deploy with 2 replicas: one start-first service, both replicas answer through nginx, secrets are files', async () => {
  const done = await deploy(images.v1!);
  assert.is(done.status, 'live', JSON.stringify(done.failure));
  assert.is(done.replicas, 2);
  const events = await fetch(`${platform.url}/v1/apps/${app}/deployments/${done.id}/events`, { headers: { authorization: `Bearer ${platform.token}` } });
  assert.equal([...(await events.text()).matchAll(/^event: (.+)$/gm)].map((m) => m[1]), ['queued', 'pulling', 'starting', 'health-checking', 'switching', 'live']);
  const spec = (await service()).Spec;
  assert.is(spec.Mode.Replicated.Replicas, 2);
  assert.equal([spec.UpdateConfig.Order, spec.UpdateConfig.FailureAction], ['start-first', 'rollback']);
  assert.is(spec.Labels['im.backend.revision'], 'r1');
  const env: string[] = spec.TaskTemplate.ContainerSpec.Env;
  assert.ok(env.includes('API_SECRET_FILE=/run/secrets/API_SECRET') && env.includes('GREETING=plain') && env.includes('PORT=8080'), env.join(' '));
  assert.not.ok(JSON.stringify(spec).includes(SECRET), 'the secret value is in the service spec');
  // Both replicas serve: nginx has one upstream server per task, and round-robin reaches two hostnames.
  await waitFor(async () => (await upstreamPorts()).length === 2 || undefined, { timeoutMs: 10_000, what: 'two upstreams' });
  assert.equal(await upstreamPorts(), await taskPorts());
  const hosts = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const response = await viaProxy(platform.proxyUrl, app, '/who.txt');
    assert.is(response.status, 200);
    hosts.add(response.body.trim());
  }
  assert.is(hosts.size, 2, [...hosts].join(','));
  assert.equal(await viaProxy(platform.proxyUrl, app, '/secret.txt'), { status: 200, body: SECRET });
  assert.equal(await viaProxy(platform.proxyUrl, app, '/'), { status: 200, body: 'hello v1\n' });
});

test('redeploy under load through nginx: zero non-2xx, Swarm replaced every replica', async () => {
  const load = startLoad(platform.proxyUrl, app);
  const done = await deploy(images.v2!);
  await new Promise((r) => setTimeout(r, 500));
  const result = await load.stop();
  assert.is(done.status, 'live', JSON.stringify(done.failure));
  assert.ok(result.sent > 50, `only ${result.sent} requests`);
  assert.equal({ non2xx: result.non2xx, errors: result.errors.slice(0, 3) }, { non2xx: 0, errors: [] });
  assert.ok(result.bodies.has('hello v2'), [...result.bodies].join(','));
  const svc = await service();
  assert.equal([svc.Spec.Labels['im.backend.revision'], svc.PreviousSpec.Labels['im.backend.revision']], ['r2', 'r1']);
  await waitFor(async () => JSON.stringify(await upstreamPorts()) === JSON.stringify(await taskPorts()) || undefined, { timeoutMs: 10_000, what: 'upstreams = tasks' });
  for (let i = 0; i < 6; i++) assert.equal(await viaProxy(platform.proxyUrl, app, '/'), { status: 200, body: 'hello v2\n' });
});

test('a failing health check: Swarm rolls the service back by itself, the old image keeps serving', async () => {
  const load = startLoad(platform.proxyUrl, app, 2);
  const done = await deploy(images.sick!, { timeouts: { startSeconds: 30 } });
  const result = await load.stop();
  assert.is(done.status, 'failed');
  assert.is(done.failure.reason, 'health-timeout', done.failure.message);
  // The verdict came from Swarm: it had already rolled back when the platform saw the replica fail (the platform never asked).
  assert.ok(/failed its health check .*unhealthy.*; Swarm rolled \S+ back to r2/.test(done.failure.message), done.failure.message);
  const svc = await waitFor(async () => {
    const s = await service();
    return s.UpdateStatus?.State === 'rollback_completed' ? s : undefined;
  }, { timeoutMs: 30_000, what: 'rollback completed' });
  assert.is(svc.Spec.Labels['im.backend.revision'], 'r2');
  assert.equal({ non2xx: result.non2xx, errors: result.errors.slice(0, 3) }, { non2xx: 0, errors: [] });
  assert.equal([...result.bodies], ['hello v2']);
  const appNow = await api('GET', `/v1/apps/${app}`);
  assert.is(appNow.body.liveRevision, 'r2');
});

test('platform restart reconciles from the service list: a replaced task gets its new port in nginx', async () => {
  const dataDir = platform.dataDir;
  await platform.stop();
  // While the platform is down, one replica dies; Swarm starts a new task on another port.
  const before = await taskPorts();
  const victim = (await docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${(await service()).Spec.Name}`])).split('\n')[0]!;
  await docker(['rm', '-f', victim]);
  await waitFor(async () => {
    const now = await taskPorts();
    return now.length === 2 && JSON.stringify(now) !== JSON.stringify(before) ? now : undefined;
  }, { timeoutMs: 30_000, what: 'replacement task' });
  platform = await startSwarmPlatform({ dataDir });
  api = swarmApiClient(platform.url, platform.token);
  await waitFor(async () => JSON.stringify(await upstreamPorts()) === JSON.stringify(await taskPorts()) || undefined, { timeoutMs: 10_000, what: 'upstreams = tasks' });
  for (let i = 0; i < 6; i++) assert.equal(await viaProxy(platform.proxyUrl, app, '/'), { status: 200, body: 'hello v2\n' });
  const appNow = await api('GET', `/v1/apps/${app}`);
  assert.is(appNow.body.liveRevision, 'r2');
});

test('rollback: to a stored spec past Swarm\'s memory, then to Swarm\'s previous spec; logs; destroy removes service, secrets, specs', async () => {
  // After its own rollback Swarm keeps no previous spec: r1 comes back from the spec the runtime stored.
  const first = await api('POST', `/v1/apps/${app}/rollback`, {});
  assert.is(first.status, 200, first.text);
  assert.equal([first.body.from, first.body.deployment.revision], ['r2', 'r1']);
  let svc = await service();
  assert.equal([svc.Spec.Labels['im.backend.revision'], svc.UpdateStatus.State], ['r1', 'completed']);
  assert.equal(await viaProxy(platform.proxyUrl, app, '/'), { status: 200, body: 'hello v1\n' });
  // r2 is now Swarm's previous spec: the rollback is Swarm's own (rollback=previous).
  const second = await api('POST', `/v1/apps/${app}/rollback`, {});
  assert.is(second.status, 200, second.text);
  assert.is(second.body.deployment.revision, 'r2');
  svc = await service();
  assert.equal([svc.Spec.Labels['im.backend.revision'], svc.UpdateStatus.State.startsWith('rollback_')], ['r2', true]);
  assert.ok(['manually requested rollback', 'rollback completed'].includes(svc.UpdateStatus.Message), svc.UpdateStatus.Message);
  await waitFor(async () => (await viaProxy(platform.proxyUrl, app, '/')).body === 'hello v2\n' || undefined, { timeoutMs: 10_000, what: 'v2 served' });
  const logs = await api('GET', `/v1/apps/${app}/logs?tail=20`);
  assert.is(logs.status, 200, logs.text);
  assert.match(logs.text, /serving on 8080/);
  const destroyed = await api('DELETE', `/v1/apps/${app}`);
  assert.is(destroyed.status, 200, destroyed.text);
  assert.is((await docker(['service', 'ls', '-q', '--filter', `label=im.backend.app=${app}`])).trim(), '');
  assert.is((await docker(['config', 'ls', '-q', '--filter', `label=im.backend.app=${app}`])).trim(), '');
  await waitFor(async () => (await docker(['secret', 'ls', '-q', '--filter', `label=im.backend.app=${app}`])).trim() === '' || undefined,
    { timeoutMs: 20_000, what: 'secrets gone' });
});

test.run();
