/** The Bearer token exchange against a real token-auth registry on 127.0.0.1, and a publish through it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildImage, RegistryClient } from '@bim-pack/builder';
import { ensureBaseImages, packStandinEnv, requireDocker, startTokenRegistry, type TestRegistry, type TestTokenServer } from '@bim-pack/test-support';
import { makeStaticApp } from './apps.js';
import { makePlan } from './plan-fixture.js';

let registry: TestRegistry;
let tokens: TestTokenServer;
let appDir: string;

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  ({ registry, tokens } = await startTokenRegistry());
  appDir = await makeStaticApp('token flow');
});
test.after(async () => {
  await registry?.stop();
  await tokens?.stop();
  await rm(appDir, { recursive: true, force: true });
  await rm(`${appDir}-cache`, { recursive: true, force: true });
});

test('the registry demands a Bearer token (WWW-Authenticate points at our token service)', async () => {
  const res = await fetch(`http://${registry.host}/v2/`);
  assert.is(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="bim-test-registry"/);
});

test('docker push through the token flow, then our client reads the same digest', async () => {
  const config = await mkdtemp(join(tmpdir(), 'bim-push-'));
  const ref = `${registry.host}/acme/pushed:v1`;
  try {
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } } }));
    await execa('docker', ['tag', 'bim-pack-test/busybox:1', ref]);
    const push = await execa('docker', ['--config', config, 'push', ref]);
    const pushed = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    assert.ok(pushed);
    const before = tokens.requests.length;
    const client = new RegistryClient({ registry: registry.host, username: registry.username, password: registry.password });
    const head = await client.headManifest('acme/pushed', 'v1');
    assert.is(head?.digest, pushed);
    assert.ok(tokens.requests.slice(before).some((r) => r.ok && r.scope === 'repository:acme/pushed:pull'));
    assert.is(await client.headManifest('acme/pushed', 'no-such-tag'), null);
  } finally {
    await execa('docker', ['rmi', ref], { reject: false });
    await rm(config, { recursive: true, force: true });
  }
});

test('wrong credentials at the token service: PUBLISH_REGISTRY_DENIED', async () => {
  const client = new RegistryClient({ registry: registry.host, username: registry.username, password: 'not-the-password' });
  try {
    await client.headManifest('acme/pushed', 'v1');
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'PUBLISH_REGISTRY_DENIED');
  }
});

test('buildImage publishes through the token flow and verifies the digest', async () => {
  const env = packStandinEnv({ BIM_REGISTRY_USERNAME: registry.username, BIM_REGISTRY_PASSWORD: registry.password, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, XDG_CACHE_HOME: join(appDir, '..', `${appDir.split('/').pop()}-cache`) });
  const plan = makePlan({ language: { value: 'static', evidence: [] }, buildEnv: { value: {}, evidence: [] } });
  const result = await buildImage(plan, { appDir, image: `${registry.host}/acme/token-site`, publish: true, processEnv: env });
  assert.match(result.digest ?? '', /^sha256:/);
  const again = await buildImage(plan, { appDir, image: `${registry.host}/acme/token-site`, tags: ['v2'], publish: true, processEnv: env });
  assert.is(again.skipped, true);
  assert.is(again.digest, result.digest);
  // The skip re-tagged the image in the registry (PUT manifest with a push token).
  const client = new RegistryClient({ registry: registry.host, username: registry.username, password: registry.password });
  assert.is((await client.headManifest('acme/token-site', 'v2'))?.digest, result.digest);
});

test.run();
