import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BimError } from '@bim-pack/shared';
import { ApiClient, createIdempotencyKey, startDeployment, waitUntilLive } from '@bim-pack/deployer';
import { docker, requireDocker, startFaultProxy, uniqueName, type Fault, type FaultProxy } from '@bim-pack/test-support';
import { makeSiteImage, plainErrors, startTestPlatform, stopTestPlatform } from './support.js';

let platform: Awaited<ReturnType<typeof startTestPlatform>>;
let proxy: FaultProxy;
let image = '';
const ref = `bim-deployer-test/${uniqueName('faults')}:v1`;
const retry = { retries: 5, baseMs: 40, maxMs: 400 };

test.before(plainErrors(async () => {
  await requireDocker();
  platform = await startTestPlatform();
  proxy = await startFaultProxy(platform.url);
  image = await makeSiteImage(ref, 'faults');
}));

test.after(plainErrors(async () => {
  await proxy?.close();
  if (platform) await stopTestPlatform(platform);
  await docker(['rmi', '-f', ref]).catch(() => {});
}));

const isCreate = (method?: string, url?: string) => method === 'POST' && /\/deployments$/.test(url ?? '');

test('dropped connections and 503s mid-deploy still make exactly one deployment, and it goes live', plainErrors(async () => {
  const app = uniqueName('flaky').toLowerCase();
  const seen: Record<string, number> = {};
  proxy.setDecide((req): Fault => {
    const key = isCreate(req.method, req.url) ? 'create' : req.url?.endsWith('/events') ? 'events' : /\/deployments\/dep_/.test(req.url ?? '') ? 'get' : 'other';
    const n = (seen[key] = (seen[key] ?? 0) + 1);
    if (key === 'create' && n === 1) return { kind: 'drop-after' }; // created, answer lost
    if (key === 'create' && n === 2) return { kind: 'status', status: 503, retryAfter: '0' };
    if (key === 'create' && n === 3) return { kind: 'drop-before' };
    if (key === 'events' && n === 1) return { kind: 'cut', afterMs: 5_000, afterFirstChunk: true }; // stream drops mid-deploy
    if (key === 'events' && n === 2) return { kind: 'status', status: 503 };
    if (key === 'get' && n === 1) return { kind: 'status', status: 429, retryAfter: '0' };
    return { kind: 'pass' };
  });
  const client = new ApiClient({ url: proxy.url, token: platform.token, retry });
  try {
    const key = createIdempotencyKey();
    const { deployment } = await startDeployment(client, app, { image, port: 8080, healthCheckPath: '/health' }, { idempotencyKey: key });
    const live = await waitUntilLive(client, deployment, { deadlineMs: 60_000 });
    assert.is(live.deployment.status, 'live');
    assert.ok(live.reconnects >= 1, 'the event stream was reopened');
    assert.equal(live.events.map((e) => e.seq), [...live.events.keys()].map((i) => i + 1), 'every event once, in order');
    const creates = proxy.hits.filter((h) => isCreate(h.method, h.path));
    assert.equal(creates.map((h) => h.fault), ['drop-after', 'status', 'drop-before', 'pass']);
    const direct = new ApiClient({ url: platform.url, token: platform.token });
    const { deployments } = await direct.listDeployments(app);
    await direct.close();
    assert.is(deployments.length, 1, 'exactly one deployment');
    assert.is(deployments[0]!.id, deployment.id);
  } finally {
    await client.close();
  }
}));

test('losing the API for good mid-deploy is API_UNREACHABLE (exit 9) with how to check, not DEPLOY_FAILED', plainErrors(async () => {
  const app = uniqueName('lost').toLowerCase();
  let created = false;
  proxy.setDecide((req): Fault => {
    if (created) return { kind: 'drop-before' };
    if (isCreate(req.method, req.url)) created = true;
    return { kind: 'pass' };
  });
  const client = new ApiClient({ url: proxy.url, token: platform.token, retry: { retries: 2, baseMs: 20, maxMs: 50 } });
  try {
    const { deployment } = await startDeployment(client, app, { image, port: 8080, healthCheckPath: '/health' }, { idempotencyKey: createIdempotencyKey() });
    await waitUntilLive(client, deployment, { deadlineMs: 30_000 });
    assert.unreachable('should lose contact');
  } catch (error) {
    const e = error as BimError;
    assert.is(e.code, 'API_UNREACHABLE');
    assert.is(e.exitCode, 9);
    assert.match(e.message, /lost contact with the API .* while deployment dep_\w+ of lost-/);
    assert.match(String(e.hint), /may still finish: check it with `bim-pack status --app lost-/);
  } finally {
    await client.close();
  }
}));

test.run();
