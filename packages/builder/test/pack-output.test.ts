import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPackVersion, classifyPackFailure, parsePackOutput, parsePackVersion, parseReportToml, parseWwwAuthenticate, registryBaseUrl } from '@bim-pack/builder';

const D = `sha256:${'ab'.repeat(32)}`;

test('pack --version: parse, missing, too old', () => {
  assert.is(parsePackVersion('0.40.9+git-0e5c9ea.build-6723'), '0.40.9');
  assert.is(checkPackVersion({ notFound: false, exitCode: 0, stdout: '0.29.0' }), '0.29.0');
  assert.throws(() => checkPackVersion({ notFound: true, exitCode: -1, stdout: '' }), (e: { code: string; hint: string }) => e.code === 'BUILD_PACK_MISSING' && /setup-pack/.test(e.hint));
  assert.throws(() => checkPackVersion({ notFound: false, exitCode: 0, stdout: '0.28.0+git' }), (e: { code: string }) => e.code === 'BUILD_PACK_TOO_OLD');
});

test('report.toml: registry digest and daemon image id', () => {
  assert.equal(parseReportToml(`[build]\n\n[image]\n  tags = ["a:1", "a:2"]\n  digest = "${D}"\n  manifest-size = 1083\n`), {
    tags: ['a:1', 'a:2'], digest: D, imageId: null, manifestSize: 1083, source: 'report.toml',
  });
  assert.is(parseReportToml('[image]\nimage-id = "5401a6398b6a"\n')?.imageId, '5401a6398b6a');
  assert.is(parseReportToml('not toml ['), null);
});

test('output fallback: *** Images line, with or without [exporter] prefix, and the quiet line', () => {
  assert.is(parsePackOutput(['Saving x...', `[exporter] *** Images (${D}):`]).digest, D);
  assert.is(parsePackOutput(['*** Images (5401a6398b6a):']).imageId, '5401a6398b6a');
  assert.is(parsePackOutput([`reg/app:@${D}`]).digest, D);
  assert.is(parsePackOutput(['nothing']).source, 'none');
});

test('failure classification: detection, docker, registry, untrusted, other', () => {
  const base = { exitCode: 1, builder: 'b', image: 'r/i:t', registry: 'ghcr.io' };
  assert.is(classifyPackFailure({ ...base, tail: ['ERROR: failed to build: executing lifecycle: failed with status code: 20'] }).code, 'BUILD_NO_BUILDPACK_DETECTED');
  assert.is(classifyPackFailure({ ...base, tail: ['ERROR: failed to build: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'] }).code, 'BUILD_DOCKER_UNAVAILABLE');
  const denied = classifyPackFailure({ ...base, tail: ['ERROR: failed to export: ... unauthorized: authentication required'] });
  assert.is(denied.code, 'PUBLISH_REGISTRY_DENIED');
  assert.match(denied.hint ?? '', /GITHUB_TOKEN/);
  assert.is(classifyPackFailure({ ...base, tail: ['PUT https://ghcr.io/v2/a/b/manifests/t: 403 Forbidden'] }).code, 'PUBLISH_REGISTRY_DENIED');
  assert.is(classifyPackFailure({ ...base, tail: ['layer size: 401 bytes', 'ERROR: failed to build: executing lifecycle: failed with status code: 51'] }).code, 'BUILD_PACK_FAILED');
  assert.is(classifyPackFailure({ ...base, tail: ['ERROR: builder b is untrusted'] }).code, 'BUILD_BUILDER_UNTRUSTED');
  const other = classifyPackFailure({ ...base, exitCode: 1, tail: ['ERROR: failed to build: executing lifecycle: failed with status code: 51'] });
  assert.is(other.code, 'BUILD_PACK_FAILED');
  assert.match(other.message, /status 51/);
  assert.equal((other.details as { tail: string[] }).tail.length, 1);
});

test('WWW-Authenticate and registry URLs', () => {
  assert.equal(parseWwwAuthenticate('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"'), {
    scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:a/b:pull' },
  });
  assert.equal(parseWwwAuthenticate('Basic realm="x"'), { scheme: 'basic', params: { realm: 'x' } });
  assert.is(registryBaseUrl('127.0.0.1:5000'), 'http://127.0.0.1:5000');
  assert.is(registryBaseUrl('ghcr.io'), 'https://ghcr.io');
  assert.is(registryBaseUrl('docker.io'), 'https://registry-1.docker.io');
});

test.run();
