/**
 * `bim-pack deploy --target <URL>`: the platform used as a remote Backend.im, with a real
 * registry in between (publish, pull by digest), and a fault-injecting proxy in front of the API.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startPlatform, type RunningPlatform } from '@bim-pack/platform';
import {
  docker, ensureBaseImages, getFreePort, requireDocker, startFaultProxy, startRegistry, uniqueName, type Fault, type FaultProxy, type TestRegistry,
} from '@bim-pack/test-support';
import { DeployResultSchema, ErrorDocumentSchema } from '../src/result-schema.js';
import { cliEnv, copyFixture, getApp, runCli } from './deploy-support.js';

let registry: TestRegistry;
let platform: RunningPlatform;
let proxy: FaultProxy;
let home: string;
let site: string;
const platformLog: string[] = [];
const app = uniqueName('remote').toLowerCase();
const repo = () => `${registry.host}/acme/${app}`;
const env = () => cliEnv(home, 1, { BACKEND_IM_TOKEN: platform.token, BIM_REGISTRY_USERNAME: registry.username, BIM_REGISTRY_PASSWORD: registry.password });
const isCreate = (method?: string, url?: string) => method === 'POST' && /\/deployments$/.test(url ?? '');

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  registry = await startRegistry();
  const dataDir = await mkdtemp(join(tmpdir(), 'bim-e2e-remote-'));
  // The platform pulls from the registry with its own credentials, from its config.
  platform = await startPlatform({
    dataDir, port: 0, proxyPort: await getFreePort(), drainSeconds: 0.2, log: (l) => platformLog.push(l),
    registryAuth: { [registry.host]: { username: registry.username, password: registry.password } },
  });
  proxy = await startFaultProxy(platform.url);
  home = await mkdtemp(join(tmpdir(), 'bim-e2e-home-'));
  site = await copyFixture('static-plain');
});

test.after(async () => {
  await proxy?.close();
  if (platform) {
    await platform.stop();
    const { platformId } = JSON.parse(await readFile(join(platform.dataDir, 'state.json'), 'utf8')) as { platformId: string };
    const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${platformId}`]);
    if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
    const images = await docker(['images', '-q', '--filter', `reference=${registry.host}/acme/*`]).catch(() => '');
    if (images.trim()) await docker(['rmi', '-f', ...new Set(images.split('\n').filter(Boolean))]).catch(() => {});
    await rm(platform.dataDir, { recursive: true, force: true });
  }
  await registry?.stop();
  await rm(home, { recursive: true, force: true });
  await rm(dirname(site), { recursive: true, force: true });
});

test('deploy to a remote target: publish to the registry, send repo@digest, the platform pulls it by digest', async () => {
  const r = await runCli(['deploy', '--target', platform.url, '--app', app, '--image', repo(), '--json'], { cwd: site, env: env() });
  assert.is(r.exitCode, 0, r.stderr);
  const doc = DeployResultSchema.parse(r.json);
  assert.is(doc.target.kind, 'remote');
  assert.match(doc.image.ref, new RegExp(`^${repo().replace(/[./]/g, '\\$&')}@sha256:[a-f0-9]{64}$`));
  assert.is(doc.image.ref, `${repo()}@${doc.image.digest}`);
  assert.is(doc.deployment.image, doc.image.ref);
  // The registry has exactly that manifest (checked independently of the builder).
  const res = await fetch(`http://${registry.host}/v2/acme/${app}/manifests/${doc.image.digest}`, {
    method: 'HEAD',
    headers: {
      authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`,
      accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
    },
  });
  assert.is(res.status, 200);
  assert.is(res.headers.get('docker-content-digest'), doc.image.digest);
  assert.ok(platformLog.some((l) => /pulling|pulled/i.test(l)), 'the platform pulled the image');
  assert.is((await getApp(doc.url, '/')).status, 200);
  for (const text of [r.stdout, r.stderr]) assert.not.ok(text.includes(registry.password) || text.includes(platform.token), 'no credentials in output');
});

test('the API dropping connections and answering 503 mid-deploy still yields exactly one deployment', async () => {
  const seen: Record<string, number> = {};
  proxy.setDecide((req): Fault => {
    const key = isCreate(req.method, req.url) ? 'create' : req.url?.endsWith('/events') ? 'events' : 'other';
    const n = (seen[key] = (seen[key] ?? 0) + 1);
    if (key === 'create' && n === 1) return { kind: 'drop-after' };
    if (key === 'create' && n === 2) return { kind: 'status', status: 503, retryAfter: '1' };
    if (key === 'events' && n === 1) return { kind: 'cut', afterMs: 100 };
    if (key === 'events' && n === 2) return { kind: 'drop-before' };
    return { kind: 'pass' };
  });
  const before = (await (await fetch(`${platform.url}/v1/apps/${app}/deployments`, { headers: { authorization: `Bearer ${platform.token}` } })).json()) as { deployments: unknown[] };
  const r = await runCli(['deploy', '--target', proxy.url, '--app', app, '--image', repo(), '--json'], { cwd: site, env: env() });
  assert.is(r.exitCode, 0, r.stderr);
  const doc = DeployResultSchema.parse(r.json);
  assert.ok(doc.image.reused, 'unchanged source: the published image is reused');
  const creates = proxy.hits.filter((h) => isCreate(h.method, h.path)).map((h) => h.fault);
  assert.equal(creates, ['drop-after', 'status', 'pass']);
  const after = (await (await fetch(`${platform.url}/v1/apps/${app}/deployments`, { headers: { authorization: `Bearer ${platform.token}` } })).json()) as { deployments: Array<{ id: string }> };
  assert.is(after.deployments.length, before.deployments.length + 1, 'exactly one new deployment');
  assert.is(after.deployments[0]!.id, doc.deployment.id);
});

test('losing the API after the deployment was created: API_UNREACHABLE (exit 9) with how to check', async () => {
  let created = false;
  proxy.setDecide((req): Fault => {
    if (created) return { kind: 'drop-before' };
    if (isCreate(req.method, req.url)) created = true;
    return { kind: 'pass' };
  });
  const r = await runCli(['deploy', '--target', proxy.url, '--app', app, '--image', repo(), '--json'], { cwd: site, env: env() });
  assert.is(r.exitCode, 9, r.stderr);
  const doc = ErrorDocumentSchema.parse(r.json);
  assert.is(doc.error.code, 'API_UNREACHABLE');
  assert.is(doc.error.stage, 'live');
  assert.match(String(doc.error.deploymentId), /^dep_/);
  assert.match(String(doc.error.hint), /bim-pack status --app/);
  proxy.setDecide(() => ({ kind: 'pass' }));
});

test('a wrong token is DEPLOY_UNAUTHORIZED (exit 7); a bad target is CONFIG_TARGET_INVALID (exit 2)', async () => {
  const bad = await runCli(['apps', '--target', platform.url, '--json'], { cwd: site, env: { ...env(), BACKEND_IM_TOKEN: 'not-the-token-0000' } });
  assert.is(bad.exitCode, 7);
  assert.is(bad.json.error.code, 'DEPLOY_UNAUTHORIZED');
  const invalid = await runCli(['apps', '--target', 'ftp://x', '--json'], { cwd: site, env: env() });
  assert.is(invalid.exitCode, 2);
  assert.is(invalid.json.error.code, 'CONFIG_TARGET_INVALID');
});

test.run();
