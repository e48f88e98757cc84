import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempDockerConfig, mergeDockerConfig, readRegistryCredentials } from '@bim-pack/builder';

const creds = { registry: 'ghcr.io', username: 'octo', password: 'tok-secret-1', source: 'GITHUB_TOKEN' };

test('credentials: explicit BIM_REGISTRY_* for any registry, GitHub tokens for ghcr.io only', () => {
  assert.is(readRegistryCredentials('127.0.0.1:5000', { BIM_REGISTRY_USERNAME: 'u', BIM_REGISTRY_PASSWORD: 'p' })?.username, 'u');
  assert.is(readRegistryCredentials('ghcr.io', { GH_TOKEN: 't' })?.source, 'GH_TOKEN');
  assert.is(readRegistryCredentials('docker.io', { GITHUB_TOKEN: 't' }), null);
  assert.is(readRegistryCredentials('ghcr.io', {}), null);
});

test('merge keeps the user\'s other registries and helpers, ours wins for its registry', () => {
  const merged = mergeDockerConfig({
    auths: { 'docker.io': { auth: 'eDp5' }, 'ghcr.io': { auth: 'b2xkOm9sZA==' } },
    credHelpers: { 'ghcr.io': 'gh', '123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
    credsStore: 'desktop',
    currentContext: 'colima',
  }, creds);
  assert.equal(merged, {
    auths: { 'docker.io': { auth: 'eDp5' }, 'ghcr.io': { auth: Buffer.from('octo:tok-secret-1').toString('base64') } },
    credHelpers: { '123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
    currentContext: 'colima',
  });
});

test('the temporary DOCKER_CONFIG is private (0700/0600), links contexts, and is removed', async () => {
  const home = await mkdtemp(join(tmpdir(), 'bim-home-'));
  try {
    await mkdir(join(home, '.docker/contexts/meta'), { recursive: true });
    await writeFile(join(home, '.docker/config.json'), JSON.stringify({ currentContext: 'other', auths: { 'docker.io': { auth: 'eDp5' } } }));
    const config = await createTempDockerConfig(creds, { HOME: home });
    assert.is(statSync(config.dir).mode & 0o777, 0o700);
    assert.is(statSync(join(config.dir, 'config.json')).mode & 0o777, 0o600);
    assert.ok(existsSync(join(config.dir, 'contexts/meta')));
    const written = JSON.parse(readFileSync(join(config.dir, 'config.json'), 'utf8'));
    assert.equal(Object.keys(written.auths).sort(), ['docker.io', 'ghcr.io']);
    await config.remove();
    assert.not.ok(existsSync(config.dir));
    assert.ok(existsSync(join(home, '.docker/contexts/meta')), 'the user\'s contexts survive');
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test.run();
