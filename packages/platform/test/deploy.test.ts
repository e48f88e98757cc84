// Deploy, redeploy under traffic, failed health checks that keep the old revision serving, rollback, logs,
// events and destroy: real Docker engine, real nginx.
import { Agent } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docker, requireDocker, uniqueName } from '@bim-pack/test-support';
import {
  apiClient, cleanupPlatform, makeShellImage, makeStaticImage, proxyGet, startTestPlatform, waitForDeployment, type Api, type TestPlatform,
} from './support/platform.js';

let platform: TestPlatform;
let api: Api;
const app = uniqueName('web').replace(/[^a-z0-9-]/g, '');
const images: Record<string, string> = {};
const SECRET = 'hunter2-never-shown';

async function deploy(image: string, extra: Record<string, unknown> = {}) {
  const created = await api('POST', `/v1/apps/${app}/deployments`, { image, env: { API_SECRET: SECRET }, healthCheckPath: '/health/', ...extra });
  assert.is(created.status, 201, created.text);
  return waitForDeployment(api, app, created.body.id);
}

test.before(async () => {
  await requireDocker();
  images.v1 = await makeStaticImage(`bim-test/${app}:v1`, 'hello v1');
  images.v2 = await makeStaticImage(`bim-test/${app}:v2`, 'hello v2');
  images.crash = await makeShellImage(`bim-test/${app}:crash`, 'echo "booting with secret $API_SECRET"; echo "fatal: no database" >&2; exit 3');
  images.silent = await makeShellImage(`bim-test/${app}:silent`, 'echo started; exec sleep 600');
  images.wrongPort = await makeShellImage(`bim-test/${app}:wrong-port`, 'exec httpd -f -p 9090 -h /www');
  images.logs = await makeShellImage(`bim-test/${app}:logs`, 'echo "booting on $PORT"; exec httpd -f -v -p $PORT -h /www');
  platform = await startTestPlatform();
  api = apiClient(platform.url, platform.token);
});
test.after(async () => {
  await cleanupPlatform(platform);
  await docker(['rmi', ...Object.keys(images).map((tag) => `bim-test/${app}:${tag === 'wrongPort' ? 'wrong-port' : tag}`)]).catch(() => undefined);
});

test('first deploy creates the app, goes live through every step, and nginx serves it', async () => {
  const done = await deploy(images.v1!);
  assert.is(done.status, 'live');
  assert.is(done.revision, 'r1');
  assert.is(done.url, `${platform.proxyUrl.replace('://', `://${app}.`)}`);
  const events = await fetch(`${platform.url}/v1/apps/${app}/deployments/${done.id}/events`, { headers: { authorization: `Bearer ${platform.token}` } });
  assert.is(events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const names = [...(await events.text()).matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
  assert.equal(names, ['queued', 'pulling', 'starting', 'health-checking', 'switching', 'live']);
  const resumed = await fetch(`${platform.url}/v1/apps/${app}/deployments/${done.id}/events`, {
    headers: { authorization: `Bearer ${platform.token}`, 'last-event-id': '4' },
  });
  assert.equal([...(await resumed.text()).matchAll(/^id: (\d+)$/gm)].map((m) => m[1]), ['5', '6'], 'a reconnect resumes after Last-Event-ID');
  assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v1\n' });
  const inspect = JSON.parse(await docker(['inspect', (await docker(['ps', '-q', '--filter', `label=im.backend.deployment=${done.id}`])).trim()]))[0];
  assert.is(inspect.Config.Labels['im.backend.revision'], 'r1');
  assert.ok(inspect.HostConfig.SecurityOpt.includes('no-new-privileges'));
  assert.is(inspect.HostConfig.Memory, 512 * 1024 * 1024);
  assert.is(inspect.HostConfig.RestartPolicy.Name, 'unless-stopped');
  assert.ok(inspect.Config.Env.includes('PORT=8080'));
});

test('redeploy under traffic: zero failed requests, the old revision is stopped after the drain', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let stop = false;
  const statuses: number[] = [];
  const errors: string[] = [];
  const load = Promise.all([0, 1, 2, 3].map(async () => {
    while (!stop) {
      try {
        statuses.push((await proxyGet(platform.proxyUrl, app, '/', agent)).status);
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  }));
  const done = await deploy(images.v2!);
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await load;
  agent.destroy();
  assert.is(done.status, 'live');
  assert.is(done.revision, 'r2');
  assert.ok(statuses.length > 20, `only ${statuses.length} requests`);
  assert.equal({ non200: statuses.filter((s) => s !== 200).length, errors }, { non200: 0, errors: [] });
  assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v2\n' });
  const list = await api('GET', `/v1/apps/${app}/deployments`);
  assert.equal(list.body.deployments.map((d: { revision: string; status: string }) => `${d.revision}:${d.status}`), ['r2:live', 'r1:superseded']);
  const r1 = list.body.deployments[1].id;
  const stopped = await docker(['ps', '-a', '--filter', `label=im.backend.deployment=${r1}`, '--format', '{{.State}}']);
  assert.ok(['running', 'exited'].includes(stopped.trim()), 'r1 is kept for rollback');
});

test('failed health checks are classified, never get traffic, and the live revision keeps serving', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['crash', 'exited-on-boot', /exited with code 3/],
    ['silent', 'never-listened', /nothing listened on port 8080/],
    ['wrongPort', 'wrong-port', /listens on 9090 but not on PORT=8080/],
    ['v1', 'health-timeout', /did not answer 2xx\/3xx/],
  ];
  for (const [image, reason, message] of cases) {
    const extra = image === 'v1' ? { healthCheckPath: '/missing', timeouts: { startSeconds: 2 } } : { timeouts: { startSeconds: 2 } };
    const done = await deploy(images[image]!, extra);
    assert.is(done.status, 'failed', image);
    assert.is(done.failure?.reason, reason, `${image}: ${done.failure?.message}`);
    assert.match(done.failure!.message, message);
    assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v2\n' });
    const left = await docker(['ps', '-aq', '--filter', `label=im.backend.deployment=${done.id}`]);
    assert.is(left, '', `${image}: the failed container is removed`);
  }
  const crashed = (await api('GET', `/v1/apps/${app}/deployments`)).body.deployments.find((d: { failure: { reason: string } | null }) => d.failure?.reason === 'exited-on-boot');
  // stdout and stderr are separate pipes: their order in the log is not guaranteed.
  assert.equal([...crashed.failure.logTail].sort(), ['booting with secret ***', 'fatal: no database']);
  assert.equal(crashed.failure.exitCode, 3);
  assert.is((await api('GET', `/v1/apps/${app}`)).body.liveRevision, 'r2');
});

test('rollback: to the previous revision, then to a named one; errors for unknown and live revisions', async () => {
  const back = await api('POST', `/v1/apps/${app}/rollback`);
  assert.is(back.status, 200, back.text);
  assert.equal([back.body.from, back.body.deployment.revision, back.body.deployment.status], ['r2', 'r1', 'live']);
  assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v1\n' });
  const list = (await api('GET', `/v1/apps/${app}/deployments`)).body.deployments;
  assert.is(list.find((d: { revision: string }) => d.revision === 'r2').status, 'rolled-back');
  const forward = await api('POST', `/v1/apps/${app}/rollback`, { revision: 'r2' });
  assert.equal([forward.status, forward.body.deployment.revision], [200, 'r2']);
  assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v2\n' });
  assert.equal((await api('POST', `/v1/apps/${app}/rollback`, { revision: 'r99' })).body.error.code, 'REVISION_NOT_FOUND');
  assert.equal((await api('POST', `/v1/apps/${app}/rollback`, { revision: 'r2' })).body.error.code, 'NOTHING_TO_ROLL_BACK');
  assert.equal((await api('POST', `/v1/apps/${app}/rollback`, { revision: 'r3' })).body.error.code, 'REVISION_NOT_AVAILABLE');
});

test('logs: tail of the live revision as NDJSON, follow streams new lines', async () => {
  const done = await deploy(images.logs!, { healthCheckPath: '/' });
  assert.is(done.status, 'live');
  const tail = await api('GET', `/v1/apps/${app}/logs?tail=50`);
  assert.is(tail.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
  const lines = tail.text.trim().split('\n').map((l) => JSON.parse(l) as { line: string; revision: string; stream: string });
  assert.equal(lines[0], { ...lines[0], line: 'booting on 8080', revision: done.revision, stream: 'stdout' });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 10_000).unref();
  const follow = await fetch(`${platform.url}/v1/apps/${app}/logs?tail=0&follow=1`, { headers: { authorization: `Bearer ${platform.token}` }, signal: abort.signal });
  const reader = follow.body!.getReader();
  // Keep asking until a line arrives: the engine attaches the follow a moment after the headers are sent.
  const poke = setInterval(() => void proxyGet(platform.proxyUrl, app, '/followed-request').catch(() => undefined), 200);
  let text = '';
  // busybox httpd -v logs each answer as "<peer>: response:<status>" on stderr.
  while (!text.includes('response:404')) text += new TextDecoder().decode((await reader.read()).value);
  clearInterval(poke);
  abort.abort();
  assert.match(text, /"stream":"stderr"/);
});

test('destroy: containers removed, app gone from nginx and the API', async () => {
  const res = await api('DELETE', `/v1/apps/${app}`);
  assert.is(res.status, 200);
  assert.is(res.body.destroyed, true);
  assert.is((await proxyGet(platform.proxyUrl, app)).status, 404);
  assert.is((await api('GET', `/v1/apps/${app}`)).status, 404);
  assert.is(await docker(['ps', '-aq', '--filter', `label=im.backend.app=${app}`]), '');
});

test.run();
