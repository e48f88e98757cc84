import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BimError, type Deployment } from '@bim-pack/shared';
import {
  assertLive, backoffDelay, codeForApiError, errorFromResponse, explainFailure, isNotProcessedStatus, isRetryableStatus, judgeResponse,
  listSmokeChecks, parseRetryAfter, resolveLoopback, SseParser,
} from '@bim-pack/deployer';

const policy = { retries: 5, baseMs: 100, maxMs: 1000 };

test('backoffDelay: equal jitter over 2^attempt, capped; Retry-After wins when longer, capped too', () => {
  assert.is(backoffDelay(0, policy, undefined, () => 0), 50);
  assert.is(backoffDelay(0, policy, undefined, () => 1), 100);
  assert.is(backoffDelay(3, policy, undefined, () => 0.5), 600);
  assert.is(backoffDelay(9, policy, undefined, () => 1), 1000);
  assert.is(backoffDelay(0, policy, 700, () => 0), 700);
  assert.is(backoffDelay(0, policy, 5000, () => 0), 1000);
  assert.is(backoffDelay(3, policy, 10, () => 1), 800);
});

test('parseRetryAfter: seconds and HTTP dates', () => {
  assert.is(parseRetryAfter('3'), 3000);
  assert.is(parseRetryAfter(undefined), undefined);
  assert.is(parseRetryAfter('soon'), undefined);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.is(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.is(parseRetryAfter('Thu, 01 Jan 2025 00:00:05 GMT', now), 0);
});

test('retryable statuses', () => {
  assert.ok(isRetryableStatus(503) && isRetryableStatus(429) && isRetryableStatus(500));
  assert.not.ok(isRetryableStatus(404) || isRetryableStatus(409) || isRetryableStatus(200));
  assert.ok(isNotProcessedStatus(503) && isNotProcessedStatus(429));
  assert.not.ok(isNotProcessedStatus(500) || isNotProcessedStatus(502));
});

test('SseParser: events split anywhere, CRLF, comments, multi-line data', () => {
  const p = new SseParser();
  const text = ': hello\r\n\r\nid: 1\r\nevent: queued\r\ndata: {"a":1}\r\n\r\nid: 2\nevent: live\ndata: x\ndata: y\n\n';
  const out = [];
  for (let i = 0; i < text.length; i += 3) out.push(...p.push(text.slice(i, i + 3)));
  assert.equal(out, [{ id: '1', event: 'queued', data: '{"a":1}' }, { id: '2', event: 'live', data: 'x\ny' }]);
});

test('codeForApiError maps API codes to stable bim-pack codes', () => {
  assert.is(codeForApiError('UNAUTHORIZED', 401), 'DEPLOY_UNAUTHORIZED');
  assert.is(codeForApiError('APP_NOT_FOUND', 404), 'DEPLOY_NOT_FOUND');
  assert.is(codeForApiError('DEPLOYMENT_IN_PROGRESS', 409), 'DEPLOY_CONFLICT');
  assert.is(codeForApiError('IMAGE_NOT_PINNED', 400), 'DEPLOY_REJECTED');
  assert.is(codeForApiError('ROUTE_NOT_FOUND', 404), 'DEPLOY_BAD_RESPONSE');
  assert.is(codeForApiError('RUNTIME_UNAVAILABLE', 503), 'API_UNREACHABLE');
});

test('errorFromResponse: keeps the API hint; a non-API body is a bad response', () => {
  const ctx = { baseUrl: 'http://x', what: 'POST /v1/apps/a/deployments' };
  const e = errorFromResponse(400, JSON.stringify({ error: { code: 'IMAGE_NOT_PINNED', message: 'tag', hint: 'use a digest' } }), ctx);
  assert.is(e.code, 'DEPLOY_REJECTED');
  assert.is(e.hint, 'use a digest');
  assert.is(errorFromResponse(404, '<html>', ctx).code, 'DEPLOY_BAD_RESPONSE');
  assert.is(errorFromResponse(502, '<html>', ctx).code, 'API_UNREACHABLE');
});

test('resolveLoopback dials 127.0.0.1 for <app>.localhost and keeps Host', () => {
  assert.equal(resolveLoopback('http://shop.localhost:7080/health'), { url: 'http://127.0.0.1:7080/health', host: 'shop.localhost:7080' });
  assert.equal(resolveLoopback('https://api.example.com/x'), { url: 'https://api.example.com/x' });
});

test('listSmokeChecks: health path first, no duplicates; judgeResponse', () => {
  assert.equal(listSmokeChecks('/health', [{ path: '/', status: 200, contains: 'hi' }]), [
    { path: '/health', status: 200 }, { path: '/', status: 200, contains: 'hi' },
  ]);
  assert.equal(listSmokeChecks('/', [{ path: '/', status: 200 }]), [{ path: '/', status: 200 }]);
  assert.is(judgeResponse({ path: '/', status: 200 }, 200, ''), undefined);
  assert.is(judgeResponse({ path: '/', status: 200 }, 503, ''), 'answered 503, expected 200');
  assert.is(judgeResponse({ path: '/', status: 200, contains: 'ok' }, 200, 'nope'), 'the body does not contain "ok"');
});

const deployment = (over: Partial<Deployment>): Deployment => ({
  id: 'dep_aaaaaaaaaaaaaaaaaaaa', app: 'shop', revision: 'r2', image: 'sha256:x', imageId: null, status: 'failed', envNames: [],
  secretEnvNames: [], port: 8080, healthCheckPath: '/health', replicas: 1, failure: null, createdAt: '2026-01-01T00:00:00Z', finishedAt: null,
  url: 'http://shop.localhost:7080', ...over,
});

test('explainFailure names each failure class with a fix', () => {
  const d = deployment({});
  const ex = (reason: any, extra = {}) => explainFailure(d, { reason, message: 'm', logTail: [], ...extra });
  assert.match(ex('exited-on-boot', { exitCode: 3 }).message, /exited on boot \(exit code 3\)/);
  assert.match(ex('never-listened').message, /never answered on its port 8080/);
  assert.match(ex('wrong-port', { listeningPorts: [3000] }).message, /answered on port 3000, not on PORT=8080/);
  assert.match(ex('wrong-port', { listeningPorts: [3000] }).hint, /port = 3000/);
  assert.match(ex('health-timeout').message, /health check GET \/health timed out/);
});

test('assertLive: DEPLOY_FAILED with failure class and log tail in details', () => {
  assertLive(deployment({ status: 'live' }));
  try {
    assertLive(deployment({ failure: { reason: 'exited-on-boot', message: 'm', exitCode: 1, logTail: ['boom'] } }));
    assert.unreachable();
  } catch (error) {
    assert.instance(error, BimError);
    assert.is((error as BimError).code, 'DEPLOY_FAILED');
    assert.equal((error as BimError).details?.failure, 'exited-on-boot');
    assert.equal((error as BimError).details?.logTail, ['boom']);
  }
});

test.run();
