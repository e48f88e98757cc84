// The API edge against a real platform (real Docker, real nginx): auth, bad input, idempotency, conflicts, faults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docker, requireDocker, uniqueName } from '@bim-pack/test-support';
import { apiClient, cleanupPlatform, makeShellImage, makeStaticImage, startTestPlatform, waitForDeployment, type Api, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let api: Api;
let site: string;
let slow: string;
const app = uniqueName('api').replace(/[^a-z0-9-]/g, '');

test.before(async () => {
  await requireDocker();
  site = await makeStaticImage(`bim-test/${app}-site:1`, 'site');
  // Answers only after 2 s: keeps a deployment in progress long enough to observe.
  slow = await makeShellImage(`bim-test/${app}-slow:1`, 'sleep 2; exec httpd -f -p $PORT -h /www');
  platform = await startTestPlatform();
  api = apiClient(platform.url, platform.token);
});
test.after(async () => {
  await cleanupPlatform(platform);
  await docker(['rmi', `bim-test/${app}-site:1`, `bim-test/${app}-slow:1`]).catch(() => undefined);
});

test('auth: missing or wrong token is 401 with the one error shape; whoami answers with the right one', async () => {
  for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: `Basic ${platform.token}` }, { authorization: `Bearer ${platform.token}x` }] as Array<Record<string, string>>) {
    const res = await fetch(`${platform.url}/v1/apps`, { headers });
    assert.is(res.status, 401);
    const body = await res.json() as { error: { code: string; hint: string } };
    assert.is(body.error.code, 'UNAUTHORIZED');
    assert.match(body.error.hint, /token/);
  }
  const who = await api('GET', '/v1/whoami');
  assert.is(who.status, 200);
  assert.equal({ apiVersion: who.body.apiVersion, runtime: who.body.runtime }, { apiVersion: 'v1', runtime: 'docker' });
});

test('routes: unknown path 404, wrong method 405, unknown app 404', async () => {
  assert.is((await api('GET', '/v1/nope')).body.error.code, 'ROUTE_NOT_FOUND');
  const wrong = await api('PUT', `/v1/apps/${app}`);
  assert.equal([wrong.status, wrong.body.error.code, wrong.headers.get('allow')], [405, 'METHOD_NOT_ALLOWED', 'GET, DELETE']);
  assert.equal([(await api('GET', '/v1/apps/ghost')).status, (await api('GET', '/v1/apps/ghost')).body.error.code], [404, 'APP_NOT_FOUND']);
});

test('bad input: each with its stable code, nothing created', async () => {
  const path = `/v1/apps/${app}/deployments`;
  const cases: Array<[unknown, string, RegExp]> = [
    ['{"image": ', 'BAD_JSON', /not valid JSON/],
    [{ image: site, extra: true }, 'VALIDATION_FAILED', /unknown field extra/],
    [{ image: site, env: { '1BAD': 'x' } }, 'VALIDATION_FAILED', /env\.1BAD: must be a POSIX env name/],
    [{ image: 'registry.example/shop:latest' }, 'IMAGE_NOT_PINNED', /not pinned/],
    [{ image: site, port: 70000 }, 'VALIDATION_FAILED', /port/],
    [{ image: `sha256:${'0'.repeat(64)}` }, 'IMAGE_NOT_FOUND', /does not exist/],
    [{ image: site, replicas: 3 }, 'REPLICAS_NOT_SUPPORTED', /1 replica/],
  ];
  for (const [body, code, message] of cases) {
    const res = await api('POST', path, body);
    assert.is(res.body.error?.code, code, JSON.stringify(body));
    assert.match(res.body.error.message, message);
    assert.ok(res.body.error.hint, `hint for ${code}`);
  }
  const badName = await api('POST', '/v1/apps/Not_A_Label/deployments', { image: site });
  assert.equal([badName.status, badName.body.error.code], [400, 'VALIDATION_FAILED']);
  assert.match(badName.body.error.message, /DNS label/);
  const huge = await api('POST', path, { image: site, env: { BIG: 'x'.repeat(300 * 1024) } });
  assert.equal([huge.status, huge.body.error.code], [413, 'BODY_TOO_LARGE']);
  assert.is((await api('GET', `/v1/apps/${app}`)).status, 404);
});

test('idempotency and one deployment at a time', async () => {
  const path = `/v1/apps/${app}/deployments`;
  const body = { image: slow, env: { SECRET_TOKEN: 'value-never-echoed' }, timeouts: { startSeconds: 20 } };
  const first = await api('POST', path, body, { 'idempotency-key': 'key-1' });
  assert.is(first.status, 201);
  assert.not.ok(first.text.includes('value-never-echoed'));
  assert.equal(first.body.envNames, ['SECRET_TOKEN']);
  const again = await api('POST', path, body, { 'idempotency-key': 'key-1' });
  assert.equal([again.status, again.body.id, again.headers.get('idempotent-replayed')], [200, first.body.id, 'true']);
  const other = await api('POST', path, { ...body, port: 8081 }, { 'idempotency-key': 'key-1' });
  assert.equal([other.status, other.body.error.code], [422, 'IDEMPOTENCY_KEY_REUSED']);
  const busy = await api('POST', path, { image: site });
  assert.equal([busy.status, busy.body.error.code], [409, 'DEPLOYMENT_IN_PROGRESS']);
  assert.match(busy.body.error.hint, new RegExp(first.body.id));
  const done = await waitForDeployment(api, app, first.body.id);
  assert.is(done.status, 'live');
  const replay = await api('POST', path, body, { 'idempotency-key': 'key-1' });
  assert.equal([replay.status, replay.body.id, replay.body.status], [200, first.body.id, 'live']);
  const list = await api('GET', path);
  assert.is(list.body.deployments.length, 1);
  assert.not.ok(list.text.includes('value-never-echoed'));
  assert.not.ok(platform.logs.join('\n').includes('value-never-echoed'));
  assert.is((await api('POST', path, body, { 'idempotency-key': 'x'.repeat(300) })).body.error.code, 'IDEMPOTENCY_KEY_INVALID');
});

test('Docker down: create answers 503 RUNTIME_UNAVAILABLE and creates nothing; the API stays up', async () => {
  const down = await startTestPlatform({ dockerSocket: '/nonexistent/docker.sock' });
  try {
    const downApi = apiClient(down.url, down.token);
    for (const image of [site, `127.0.0.1:1/shop@sha256:${'a'.repeat(64)}`]) {
      const res = await downApi('POST', `/v1/apps/${app}/deployments`, { image });
      assert.equal([res.status, res.body.error.code], [503, 'RUNTIME_UNAVAILABLE']);
      assert.match(res.body.error.hint, /Docker/);
    }
    assert.equal((await downApi('GET', '/v1/apps')).body, { apps: [] });
  } finally {
    await cleanupPlatform(down);
  }
});

test.run();
