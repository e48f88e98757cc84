import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BimError, isBimError } from '@bim-pack/shared';
import { ApiClient, createIdempotencyKey, rollbackWhenFree, listSmokeChecks, startDeployment, verifyDeployment, waitUntilLive } from '@bim-pack/deployer';
import { docker, getFreePort, requireDocker, uniqueName } from '@bim-pack/test-support';
import { makeScriptImage, makeSiteImage, plainErrors, startTestPlatform, stopTestPlatform } from './support.js';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let client: ApiClient;
const images: string[] = [];
const app = uniqueName('dc').slice(0, 40).toLowerCase();
let v1 = '';
let v2 = '';
const steps: string[] = [];
const reporter = { stage() {}, step: (m: string) => steps.push(m), info() {}, warn() {}, debug() {}, output() {} };

test.before(plainErrors(async () => {
  await requireDocker();
  platform = await startTestPlatform();
  client = new ApiClient({ url: platform.url, token: platform.token, reporter, retry: { retries: 3, baseMs: 50, maxMs: 300 } });
  for (const name of ['v1', 'v2']) images.push(`bim-deployer-test/${app}:${name}`);
  v1 = await makeSiteImage(images[0]!, 'hello v1');
  v2 = await makeSiteImage(images[1]!, 'hello v2');
}));

test.after(plainErrors(async () => {
  await client?.close();
  if (platform) await stopTestPlatform(platform);
  for (const ref of images) await docker(['rmi', '-f', ref]).catch(() => {});
}));

const request = (image: string) => ({ image, env: { GREETING: 'hi' }, port: 8080, healthCheckPath: '/health', timeouts: { startSeconds: 20, drainSeconds: 0.2 } });

test('deploy a local image: events until live, the verdict from the API, smoke checks pass', plainErrors(async () => {
  const { deployment, previousRevision } = await startDeployment(client, app, request(v1), { idempotencyKey: createIdempotencyKey(), reporter });
  assert.is(previousRevision, null);
  const live = await waitUntilLive(client, deployment, { deadlineMs: 60_000, reporter });
  assert.is(live.deployment.status, 'live');
  assert.equal(live.events.map((e) => e.name).at(-1), 'live');
  assert.ok(live.events.some((e) => e.name === 'health-checking'));
  assert.ok(steps.some((s) => s.startsWith('live:')));
  const smoke = await verifyDeployment(client, live.deployment, listSmokeChecks('/health', [{ path: '/', status: 200, contains: 'hello v1' }]), {
    previousRevision, deadlineMs: 10_000,
  });
  assert.equal(smoke.map((s) => [s.path, s.status, s.ok]), [['/health', 200, true], ['/', 200, true]]);
  const listed = await client.listDeployments(app);
  assert.is(listed.deployments.length, 1);
  assert.equal(listed.deployments[0]!.envNames, ['GREETING']);
}));

test('a failing smoke test rolls back to the previous revision, which still answers', plainErrors(async () => {
  const { deployment, previousRevision } = await startDeployment(client, app, request(v2), { idempotencyKey: createIdempotencyKey() });
  assert.is(previousRevision, 'r1');
  const live = await waitUntilLive(client, deployment, { deadlineMs: 60_000 });
  try {
    await verifyDeployment(client, live.deployment, listSmokeChecks('/health', [{ path: '/', status: 200, contains: 'hello v9' }]), {
      previousRevision, deadlineMs: 1_500,
    });
    assert.unreachable('smoke should fail');
  } catch (error) {
    if (!isBimError(error)) throw error;
    assert.is(error.code, 'SMOKE_FAILED');
    assert.match(error.message, /GET http:\/\/.*\/ the body does not contain "hello v9"; body starts: "hello v2\\n"; rolled back to r1/);
    assert.is(error.exitCode, 8);
  }
  const appNow = await client.getApp(app);
  assert.is(appNow.liveRevision, 'r1');
  const again = await verifyDeployment(client, { ...live.deployment, url: appNow.url }, [{ path: '/', status: 200, contains: 'hello v1' }], {
    previousRevision: null, deadlineMs: 5_000,
  });
  assert.ok(again[0]!.ok);
}));

test('an app that exits on boot: DEPLOY_FAILED exited-on-boot with its last log lines; the old revision keeps serving', plainErrors(async () => {
  const ref = `bim-deployer-test/${app}:crash`;
  images.push(ref);
  const id = await makeScriptImage(ref, 'echo "config missing: DATABASE_URL"; exit 3');
  const { deployment } = await startDeployment(client, app, request(id), { idempotencyKey: createIdempotencyKey() });
  try {
    await waitUntilLive(client, deployment, { deadlineMs: 60_000 });
    assert.unreachable('should fail');
  } catch (error) {
    if (!isBimError(error)) throw error;
    assert.is(error.code, 'DEPLOY_FAILED');
    assert.is(error.details?.failure, 'exited-on-boot');
    assert.match(error.message, /exited on boot \(exit code 3\)/);
    assert.ok((error.details?.logTail as string[]).some((l) => l.includes('config missing: DATABASE_URL')));
    assert.is(error.exitCode, 7);
  }
  assert.is((await client.getApp(app)).liveRevision, 'r1');
}));

test('logs: the live revision\'s lines as NDJSON', plainErrors(async () => {
  const lines = [];
  for await (const line of client.logs(app, { tail: 50 })) lines.push(line);
  assert.ok(lines.every((l) => l.revision === 'r1'));
}));

test('a wrong token is DEPLOY_UNAUTHORIZED (no retries); a closed port is API_UNREACHABLE after retries', plainErrors(async () => {
  const bad = new ApiClient({ url: platform.url, token: 'wrong-token-0123456789' });
  try {
    await bad.listApps();
    assert.unreachable();
  } catch (error) {
    assert.is((error as BimError).code, 'DEPLOY_UNAUTHORIZED');
  } finally {
    await bad.close();
  }
  const port = await getFreePort();
  const gone = new ApiClient({ url: `http://127.0.0.1:${port}`, token: 'x', retry: { retries: 2, baseMs: 20, maxMs: 50 } });
  const started = Date.now();
  try {
    await gone.whoami();
    assert.unreachable();
  } catch (error) {
    assert.is((error as BimError).code, 'API_UNREACHABLE');
    assert.match((error as BimError).message, /3 attempts/);
    assert.is((error as BimError).exitCode, 9);
  } finally {
    await gone.close();
  }
  assert.ok(Date.now() - started < 5_000);
}));

test('rollback and destroy through the client', plainErrors(async () => {
  const d = await startDeployment(client, app, request(v2), { idempotencyKey: createIdempotencyKey() });
  await waitUntilLive(client, d.deployment, { deadlineMs: 60_000 });
  const rolled = await rollbackWhenFree(client, app, undefined);
  assert.is(rolled.deployment.revision, 'r1');
  const destroyed = await client.destroyApp(app);
  assert.ok(destroyed.destroyed);
  assert.is(await client.findApp(app), null);
}));

test.run();
