import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isKnownTrustedBuilder, labelEnv, planPackBuild } from '@bim-pack/builder';
import { makePlan } from './plan-fixture.js';

test('planPackBuild gives the exact pack argv for a published build', () => {
  const plan = makePlan({ buildpacks: { value: ['paketo-buildpacks/nodejs'], evidence: [] } });
  const result = planPackBuild({
    plan,
    appDir: '/src/shop',
    image: 'ghcr.io/acme/shop',
    tags: ['abc123', 'latest', 'fp-0123'],
    publish: true,
    reportDir: '/tmp/report',
    descriptor: '/src/shop/project.toml',
    buildpacks: ['paketo-community/rust'],
    env: { BP_LOG_LEVEL: 'DEBUG' },
    labels: { source: 'https://github.com/acme/shop', revision: 'abc123', created: '2026-01-01T00:00:00.000Z', fingerprint: '0123' },
    cacheImage: 'ghcr.io/acme/shop:cache',
    pullPolicy: 'if-not-present',
    creationTime: 'now',
    previousImage: 'ghcr.io/acme/shop:latest',
  });
  assert.equal(result.argv, [
    'build', 'ghcr.io/acme/shop:abc123',
    '--builder', 'paketobuildpacks/builder-jammy-base',
    '--path', '/src/shop',
    '--descriptor', '/src/shop/project.toml',
    '--tag', 'ghcr.io/acme/shop:latest',
    '--tag', 'ghcr.io/acme/shop:fp-0123',
    '--buildpack', 'paketo-buildpacks/nodejs',
    '--buildpack', 'paketo-community/rust',
    '--env', 'BP_IMAGE_LABELS=im.backend.fingerprint=0123',
    '--env', 'BP_LOG_LEVEL=DEBUG',
    '--env', 'BP_NODE_VERSION=20.x',
    '--env', 'BP_OCI_CREATED=2026-01-01T00:00:00.000Z',
    '--env', 'BP_OCI_REVISION=abc123',
    '--env', 'BP_OCI_SOURCE=https://github.com/acme/shop',
    '--publish',
    '--cache-image', 'ghcr.io/acme/shop:cache',
    '--pull-policy', 'if-not-present',
    '--creation-time', 'now',
    '--previous-image', 'ghcr.io/acme/shop:latest',
    '--trust-builder',
    '--report-output-dir', '/tmp/report',
  ]);
  assert.is(result.imageRef, 'ghcr.io/acme/shop:abc123');
  assert.equal(result.refs, ['ghcr.io/acme/shop:abc123', 'ghcr.io/acme/shop:latest', 'ghcr.io/acme/shop:fp-0123']);
});

test('a local build of an untrusted builder: no --publish, no --trust-builder, flag builder wins', () => {
  const result = planPackBuild({
    plan: makePlan({ buildEnv: { value: {}, evidence: [] } }),
    appDir: '/a', image: '127.0.0.1:5000/x', tags: ['fp-1'], publish: false, reportDir: '/r', descriptor: null,
    builder: 'registry.example.com/my/builder:1',
  });
  assert.equal(result.argv, ['build', '127.0.0.1:5000/x:fp-1', '--builder', 'registry.example.com/my/builder:1', '--path', '/a', '--report-output-dir', '/r']);
});

test('--cache-image without --publish is a usage error, as in pack', () => {
  assert.throws(() => planPackBuild({
    plan: makePlan(), appDir: '/a', image: 'x/y', tags: ['t'], publish: false, reportDir: '/r', descriptor: null, cacheImage: 'x/y:cache',
  }), (e: Error & { code?: string }) => e.code === 'USAGE_BAD_FLAG');
});

test('pack has no --label flag: labels travel as image-labels buildpack env', () => {
  assert.equal(labelEnv({ source: 's', revision: null, fingerprint: 'f' }), { BP_OCI_SOURCE: 's', BP_IMAGE_LABELS: 'im.backend.fingerprint=f' });
  const argv = planPackBuild({ plan: makePlan(), appDir: '/a', image: 'x/y', tags: ['t'], publish: false, reportDir: '/r', descriptor: null, labels: { fingerprint: 'f' } }).argv;
  assert.not.ok(argv.some((a) => a.startsWith('--label')));
});

test('known builders are trusted regardless of tag and docker.io prefix', () => {
  assert.ok(isKnownTrustedBuilder('heroku/builder:24'));
  assert.ok(isKnownTrustedBuilder('docker.io/paketobuildpacks/builder-jammy-full:latest'));
  assert.ok(isKnownTrustedBuilder('gcr.io/buildpacks/builder:google-22'));
  assert.not.ok(isKnownTrustedBuilder('evil.example.com/heroku/builder:24'));
});

test('secret build env values stay off argv: --env NAME, pack reads the value from its env', () => {
  const argv = planPackBuild({
    plan: makePlan({ buildEnv: { value: {}, evidence: [] } }), appDir: '/a', image: 'x/y', tags: ['t'], publish: false, reportDir: '/r', descriptor: null,
    env: { NPM_TOKEN: 'npm_secret_value', BP_X: '1' }, fromHostEnv: ['NPM_TOKEN'],
  }).argv;
  assert.equal(argv.slice(argv.indexOf('--env'), argv.indexOf('--env') + 4), ['--env', 'BP_X=1', '--env', 'NPM_TOKEN']);
  assert.not.ok(argv.join(' ').includes('npm_secret_value'));
});

test.run();
