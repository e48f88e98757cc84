import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startPlatform, type RunningPlatform } from '@bim-pack/platform';
import {
  BUSYBOX_IMAGE, docker, ensureBaseImages, getFreePort, PACK_STANDIN_BIN, requireDocker, startRegistry, startTokenRegistry, uniqueName,
  type TestRegistry,
} from '@bim-pack/test-support';
import { runDoctor } from '../src/doctor/run-doctor.js';
import { DoctorResultSchema, type Check } from '../src/doctor/schema.js';
import { copyFixture, runCli } from './support/run-cli.js';
import { validateJsonOutput } from './support/json-schema.js';

await requireDocker();
await ensureBaseImages();
const home = await mkdtemp(join(tmpdir(), 'bim-doctor-home-'));
const token = `doctor-good-${Math.random().toString(36).slice(2, 14)}`;
const registry: TestRegistry = await startRegistry();
const tokenRegistry = await startTokenRegistry();
// A platform in BIM_PACK_HOME's data dir, where `--target local` finds it.
const platform: RunningPlatform = await startPlatform({
  dataDir: join(home, 'platform'), port: 0, proxyPort: await getFreePort(), token,
});
// The stand-in world has no real builder images: a local image plays the builder.
const builder = `${uniqueName('bim-doctor-builder')}:1`;
await docker(['tag', BUSYBOX_IMAGE, builder]);

const app = await copyFixture('static-plain');
await writeFile(join(app, 'project.toml'), `[_]\nschema-version = "0.2"\n\n[io.buildpacks]\nbuilder = "${builder}"\n\n[im.backend]\nname = "shop"\n`);
const git = (...args: string[]) => execa('git', ['-C', app, ...args], { env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' } });
await git('init', '-q', '-b', 'main');
await git('add', '-A');
await git('commit', '-q', '-m', 'first');

const baseEnv = {
  HOME: home, BIM_PACK_HOME: home, PATH: `${PACK_STANDIN_BIN}:${process.env.PATH}`, BACKEND_IM_URL: undefined, BACKEND_IM_TOKEN: undefined,
  BIM_REGISTRY_USERNAME: undefined, BIM_REGISTRY_PASSWORD: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, CI: 'true',
};
async function doctor(args: string[], env: Record<string, string | undefined>) {
  const r = await runCli(['doctor', app, '--json', ...args], { env: { ...baseEnv, ...env } });
  const doc = DoctorResultSchema.parse(JSON.parse(r.stdout));
  await validateJsonOutput('doctor-result', r.stdout);
  const status = Object.fromEntries(doc.checks.map((c) => [c.id, c.status]));
  const check = (id: Check['id']) => doc.checks.find((c) => c.id === id)!;
  return { r, doc, status, check };
}
/** The same checks in this process (no CLI start-up): for tests about one check's verdict. */
async function checks(flags: { image?: string; target?: string }, env: Record<string, string | undefined>) {
  const merged: Record<string, string | undefined> = { ...process.env, ...baseEnv, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const list = await runDoctor({ dir: app, ...flags, env: merged });
  return { status: Object.fromEntries(list.map((c) => [c.id, c.status])), check: (id: Check['id']) => list.find((c) => c.id === id)! };
}
const remote = (reg: TestRegistry, over: Record<string, string | undefined> = {}) => ({
  BACKEND_IM_URL: platform.url, BACKEND_IM_TOKEN: token, BIM_REGISTRY_USERNAME: reg.username, BIM_REGISTRY_PASSWORD: reg.password, ...over,
});

test('everything good: every check passes (the untrusted test builder warns) and doctor exits 0', async () => {
  const { r, doc, status } = await doctor(['--image', `${registry.host}/acme/shop`], remote(registry));
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(status, { pack: 'pass', docker: 'pass', registry: 'pass', target: 'pass', builder: 'warn', git: 'pass', 'project-toml': 'pass' });
  assert.is(doc.ok, true);
  assert.is(doc.error, undefined);
});

test('a wrong registry password fails the registry check with PUBLISH_REGISTRY_DENIED and exit 10; the password is never shown', async () => {
  const wrong = 'wrong-password-7d1e0c';
  const { r, doc, check } = await doctor(['--image', `${registry.host}/acme/shop`], remote(registry, { BIM_REGISTRY_PASSWORD: wrong }));
  assert.is(r.exitCode, 10);
  assert.is(doc.ok, false);
  assert.is(doc.error?.code, 'DOCTOR_CHECKS_FAILED');
  assert.is(check('registry').status, 'fail');
  assert.is(check('registry').code, 'PUBLISH_REGISTRY_DENIED');
  assert.ok(check('registry').hint);
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(wrong));
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(registry.password));
});

test('Bearer token exchange: good credentials pass, bad ones are refused by the token service', async () => {
  const image = `${tokenRegistry.registry.host}/acme/shop`;
  const before = tokenRegistry.tokens.requests.length;
  const good = await checks({ image }, remote(tokenRegistry.registry));
  assert.is(good.check('registry').status, 'pass', good.check('registry').message);
  assert.ok(tokenRegistry.tokens.requests.slice(before).some((q) => q.ok && q.scope === 'repository:acme/shop:pull'));
  const bad = await checks({ image }, remote(tokenRegistry.registry, { BIM_REGISTRY_PASSWORD: 'not-the-password' }));
  assert.is(bad.check('registry').status, 'fail');
  assert.is(bad.check('registry').code, 'PUBLISH_REGISTRY_DENIED');
  assert.match(bad.check('registry').message, /token service/);
});

test('a wrong Backend.im token fails the target check (DEPLOY_UNAUTHORIZED); no token at all is CONFIG_TOKEN_MISSING', async () => {
  const wrong = await doctor(['--image', `${registry.host}/acme/shop`], remote(registry, { BACKEND_IM_TOKEN: 'wrong-token-0123456789' }));
  assert.is(wrong.check('target').status, 'fail');
  assert.is(wrong.check('target').code, 'DEPLOY_UNAUTHORIZED');
  assert.is(wrong.r.exitCode, 10);
  const none = await checks({ image: `${registry.host}/acme/shop` }, remote(registry, { BACKEND_IM_TOKEN: undefined }));
  assert.is(none.check('target').code, 'CONFIG_TOKEN_MISSING');
});

test('an API that does not answer is API_UNREACHABLE; no target at all is CONFIG_NO_TARGET, as in deploy', async () => {
  const port = await getFreePort();
  const { check } = await checks({}, remote(registry, { BACKEND_IM_URL: `http://127.0.0.1:${port}` }));
  assert.is(check('target').status, 'fail');
  assert.is(check('target').code, 'API_UNREACHABLE');
  const none = await checks({}, remote(registry, { BACKEND_IM_URL: undefined }));
  assert.is(none.check('target').code, 'CONFIG_NO_TARGET');
  const bad = await checks({ target: 'ftp://nowhere' }, {});
  assert.is(bad.check('target').code, 'CONFIG_TARGET_INVALID');
});

test('--target local finds the running platform under BIM_PACK_HOME (and never starts one); no registry is needed', async () => {
  const { r, status, check } = await doctor(['--target', 'local'], {});
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(status.target, 'pass');
  assert.match(check('target').message, /local platform/);
  assert.is(status.registry, 'skip');
  const elsewhere = await mkdtemp(join(tmpdir(), 'bim-doctor-empty-'));
  const none = await checks({ target: 'local' }, { BIM_PACK_HOME: elsewhere });
  assert.is(none.check('target').status, 'fail');
  assert.match(none.check('target').message, /no local platform is running/);
  assert.is(await readdir(elsewhere).then((f) => f.length), 0, 'nothing started or written');
  await rm(elsewhere, { recursive: true, force: true });
});

test('no pack, an old pack, no Docker engine: each fails with the code deploy would give', async () => {
  const { r, check } = await doctor([], { ...remote(registry), PATH: process.env.PATH, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  assert.is(r.exitCode, 10);
  assert.is(check('pack').code, 'BUILD_PACK_MISSING');
  assert.match(check('pack').hint ?? '', /setup-pack/);
  assert.is(check('docker').code, 'BUILD_DOCKER_UNAVAILABLE');
  const old = await checks({}, { ...remote(registry), PACK_STANDIN_VERSION: '0.28.3' });
  assert.is(old.check('pack').code, 'BUILD_PACK_TOO_OLD');
  assert.match(old.check('pack').message, /pack 0\.28\.3 is too old/);
});

test('a dirty tree warns; --strict turns warnings into failure', async () => {
  await writeFile(join(app, 'new-page.html'), '<p>new</p>\n');
  const loose = await checks({ image: `${registry.host}/acme/shop` }, remote(registry));
  assert.is(loose.check('git').status, 'warn');
  assert.match(loose.check('git').message, /uncommitted changes/);
  const strict = await doctor(['--image', `${registry.host}/acme/shop`, '--strict'], remote(registry));
  assert.is(strict.r.exitCode, 10);
  await rm(join(app, 'new-page.html'));
});

test('people get one line per check and a hint under failures, without colour codes', async () => {
  const r = await runCli(['doctor', app], { env: { ...baseEnv, ...remote(registry, { BACKEND_IM_TOKEN: 'wrong-token-0123456789' }) } });
  assert.is(r.exitCode, 10);
  assert.match(r.stdout, /^FAIL {2}target +http:\/\/127\.0\.0\.1:\d+ \(BACKEND_IM_URL\): /m);
  assert.match(r.stdout, /^ +hint: /m);
  assert.match(r.stdout, /^not ready: /m);
  assert.not.match(`${r.stdout}${r.stderr}`, /\x1b\[/);
});

test.after(async () => {
  await platform.stop();
  await registry.stop();
  await tokenRegistry.registry.stop();
  await tokenRegistry.tokens.stop();
  await docker(['rmi', builder]).catch(() => undefined);
  await rm(app, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

test.run();
