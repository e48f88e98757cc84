// Pull by digest from a real private registry (docker-registry with htpasswd) using the platform's own
// credentials; a digest that does not exist; a platform without credentials.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docker, requireDocker, startRegistry, uniqueName, type TestRegistry } from '@bim-pack/test-support';
import { apiClient, cleanupPlatform, makeStaticImage, proxyGet, startTestPlatform, waitForDeployment } from './support/platform.js';

const app = uniqueName('reg').replace(/[^a-z0-9-]/g, '');
let registry: TestRegistry;
let pinned: string;
let repo: string;

test.before(async () => {
  await requireDocker();
  registry = await startRegistry();
  await makeStaticImage(`bim-test/${app}:v1`, 'pulled by digest');
  repo = `${registry.host}/bim-test/${app}`;
  const dockerConfig = await mkdtemp(join(tmpdir(), 'bim-docker-config-'));
  try {
    await execa('docker', ['--config', dockerConfig, 'login', '-u', registry.username, '--password-stdin', registry.host], { input: registry.password });
    await docker(['tag', `bim-test/${app}:v1`, `${repo}:v1`]);
    const pushed = await execa('docker', ['--config', dockerConfig, 'push', `${repo}:v1`]);
    pinned = `${repo}@${/digest: (sha256:[a-f0-9]{64})/.exec(pushed.stdout)![1]}`;
  } finally {
    await rm(dockerConfig, { recursive: true, force: true });
  }
  // Forget the registry name locally so the platform has to pull.
  await docker(['rmi', `${repo}:v1`]);
});
test.after(async () => {
  await docker(['rmi', '-f', `bim-test/${app}:v1`, pinned]).catch(() => undefined);
  await registry.stop();
});

// First: once the engine pulled a digest with credentials it may serve it again without asking the registry.
test('a platform without credentials for the registry: pull-denied', async () => {
  const platform = await startTestPlatform({ registryAuth: {} });
  try {
    const api = apiClient(platform.url, platform.token);
    const created = await api('POST', `/v1/apps/${app}/deployments`, { image: pinned });
    const failed = await waitForDeployment(api, app, created.body.id);
    assert.equal([failed.status, failed.failure?.reason], ['failed', 'pull-denied'], failed.failure?.message);
  } finally {
    await cleanupPlatform(platform);
  }
});

test('pull by digest with the platform\'s registry credentials (registry-auth.json), then a digest that does not exist', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bim-platform-reg-'));
  await writeFile(join(dataDir, 'registry-auth.json'), JSON.stringify({ [registry.host]: { username: registry.username, password: registry.password } }), { mode: 0o600 });
  const platform = await startTestPlatform({ dataDir });
  try {
    const api = apiClient(platform.url, platform.token);
    const created = await api('POST', `/v1/apps/${app}/deployments`, { image: pinned });
    const done = await waitForDeployment(api, app, created.body.id);
    assert.is(done.status, 'live', JSON.stringify(done.failure));
    assert.is(done.image, pinned);
    assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'pulled by digest\n' });
    assert.not.ok(platform.logs.join('\n').includes(registry.password));
    const missing = await api('POST', `/v1/apps/${app}/deployments`, { image: `${repo}@sha256:${'f'.repeat(64)}` });
    const failed = await waitForDeployment(api, app, missing.body.id);
    assert.equal([failed.status, failed.failure?.reason], ['failed', 'image-not-found']);
    assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'pulled by digest\n' });
  } finally {
    await cleanupPlatform(platform);
  }
});

test.run();
