import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  API_ERROR_CODES, DeploymentCreateSchema, buildApiPath, buildOpenApiDocument, explainImageRef, matchApiRoute,
} from '@bim-pack/shared';

const HEX = 'a'.repeat(64);

test('pinned images are accepted: repo@digest, registry host with port, local image id', () => {
  for (const image of [`ghcr.io/acme/shop@sha256:${HEX}`, `127.0.0.1:5000/shop@sha256:${HEX}`, `shop@sha256:${HEX}`, `sha256:${HEX}`]) {
    assert.is(explainImageRef(image), undefined, image);
    assert.ok(DeploymentCreateSchema.safeParse({ image }).success, image);
  }
});

test('a tag alone is rejected with a message that says how to pin', () => {
  const result = DeploymentCreateSchema.safeParse({ image: 'ghcr.io/acme/shop:latest' });
  assert.not.ok(result.success);
  assert.match(result.error!.issues[0]!.message, /not pinned: give the image by digest/);
  assert.match(explainImageRef(`shop:1@sha256:${HEX}`)!, /names a tag and a digest/);
  assert.match(explainImageRef('sha256:abc')!, /64 lower-case hex/);
  assert.match(explainImageRef(`Shop@sha256:${HEX}`)!, /not a valid repository/);
});

test('create: defaults, unknown fields, env names, secretEnv and PORT rules', () => {
  const parsed = DeploymentCreateSchema.parse({ image: `sha256:${HEX}`, env: { A_1: 'x' }, secretEnv: ['A_1'] });
  assert.equal(
    { port: parsed.port, path: parsed.healthCheckPath, start: parsed.timeouts.startSeconds, drain: parsed.timeouts.drainSeconds },
    { port: 8080, path: '/', start: 60, drain: 5 },
  );
  const paths = (body: unknown) => DeploymentCreateSchema.safeParse(body).error?.issues.map((i) => i.path.join('.'));
  assert.equal(paths({ image: `sha256:${HEX}`, extra: 1 }), ['']);
  assert.equal(paths({ image: `sha256:${HEX}`, env: { '1BAD': 'x' } }), ['env.1BAD']);
  assert.equal(paths({ image: `sha256:${HEX}`, env: {}, secretEnv: ['NOPE'] }), ['secretEnv.0']);
  assert.equal(paths({ image: `sha256:${HEX}`, env: { PORT: '1' } }), ['env.PORT']);
  assert.equal(paths({ image: `sha256:${HEX}`, healthCheckPath: 'health' }), ['healthCheckPath']);
});

test('route table: build and match paths, method not allowed, unknown paths', () => {
  const path = buildApiPath('getDeployment', { app: 'shop', deployment: 'dep_abc' });
  assert.is(path, '/v1/apps/shop/deployments/dep_abc');
  assert.equal(matchApiRoute('GET', path), { kind: 'route', name: 'getDeployment', params: { app: 'shop', deployment: 'dep_abc' } });
  assert.equal(matchApiRoute('POST', '/v1/apps/shop/deployments'), { kind: 'route', name: 'createDeployment', params: { app: 'shop' } });
  assert.equal(matchApiRoute('PUT', '/v1/apps/shop'), { kind: 'method-not-allowed', allowed: ['GET', 'DELETE'] });
  assert.equal(matchApiRoute('GET', '/v2/apps'), { kind: 'none' });
  assert.equal(matchApiRoute('GET', '/v1/apps//deployments'), { kind: 'none' });
});

test('error codes carry HTTP statuses', () => {
  assert.is(API_ERROR_CODES.UNAUTHORIZED, 401);
  assert.is(API_ERROR_CODES.DEPLOYMENT_IN_PROGRESS, 409);
  assert.is(API_ERROR_CODES.BODY_TOO_LARGE, 413);
});

test('docs/api/openapi.json matches the schemas (regenerate: node --conditions=source --import tsx scripts/gen-openapi.ts)', () => {
  const root = new URL('../../../../', import.meta.url);
  const { version } = JSON.parse(readFileSync(new URL('packages/shared/package.json', root), 'utf8')) as { version: string };
  const committed = readFileSync(new URL('docs/api/openapi.json', root), 'utf8');
  assert.is(committed, `${JSON.stringify(buildOpenApiDocument(version), null, 2)}\n`);
});

test.run();
