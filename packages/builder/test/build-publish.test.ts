/** buildImage --publish against a real registry (htpasswd) with the pack stand-in: digest, auth, skip. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildImage } from '@bim-pack/builder';
import { ensureBaseImages, getFreePort, packStandinEnv, requireDocker, startRegistry, uniqueName, waitFor, type TestRegistry } from '@bim-pack/test-support';
import type { Reporter } from '@bim-pack/shared';
import { getText, makeStaticApp } from './apps.js';
import { makePlan } from './plan-fixture.js';

let registry: TestRegistry;
let appDir: string;
let work: string;
const argvFile = () => join(work, 'pack-argv.jsonl');
const packRuns = () => (existsSync(argvFile()) ? readFileSync(argvFile(), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const lines: string[] = [];
const reporter: Reporter = {
  stage: (s, m) => lines.push(`${s} ${m ?? ''}`), step: (m) => lines.push(m), info: (m) => lines.push(m),
  warn: (m) => lines.push(m), debug: (m) => lines.push(m), output: (_s, l) => lines.push(l),
};
const plan = makePlan({ language: { value: 'static', evidence: [] }, buildEnv: { value: {}, evidence: [] }, exclude: ['notes.txt'] });
const env = (password = registry.password) => packStandinEnv({
  BIM_REGISTRY_USERNAME: registry.username, BIM_REGISTRY_PASSWORD: password, PACK_STANDIN_ARGV_FILE: argvFile(),
  GITHUB_TOKEN: undefined, GH_TOKEN: undefined, XDG_CACHE_HOME: join(work, 'cache'),
});

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  registry = await startRegistry();
  appDir = await makeStaticApp();
  work = await mkdtemp(join(tmpdir(), 'bim-build-test-'));
});
test.after(async () => {
  await registry?.stop();
  await rm(appDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

let first: Awaited<ReturnType<typeof buildImage>>;
const image = () => `${registry.host}/acme/static-site`;

test('publishes, and the digest equals what the registry says (checked with plain fetch)', async () => {
  first = await buildImage(plan, { appDir, image: image(), tags: ['latest'], publish: true, processEnv: env() }, reporter);
  assert.match(first.digest ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.is(first.skipped, false);
  const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  for (const tag of first.tags) {
    const res = await fetch(`http://${registry.host}/v2/acme/static-site/manifests/${tag}`, {
      method: 'HEAD', headers: { authorization: auth, accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    assert.is(res.status, 200);
    assert.is(res.headers.get('docker-content-digest'), first.digest);
  }
  assert.ok(first.tags.includes('latest'));
  assert.ok(first.tags.some((t) => t.startsWith('fp-')));
});

test('the published image runs and answers over HTTP', async () => {
  const config = await mkdtemp(join(tmpdir(), 'bim-pull-'));
  const name = uniqueName('bim-static-run');
  try {
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } } }));
    await execa('docker', ['--config', config, 'pull', first.ref]);
    const port = await getFreePort();
    await execa('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:8080`, first.ref]);
    const body = await waitFor(async () => {
      const res = await getText(`http://127.0.0.1:${port}/`);
      return res.status === 200 ? res.body : undefined;
    }, { what: 'the static image to answer' });
    assert.match(body, /hello static/);
  } finally {
    await execa('docker', ['rm', '-f', name], { reject: false });
    await execa('docker', ['rmi', first.ref], { reject: false });
    await rm(config, { recursive: true, force: true });
  }
});

test('the token reached pack only through a private DOCKER_CONFIG, removed afterwards', () => {
  const runs = packRuns().filter((r) => r.argv[0] === 'build');
  assert.is(runs.length, 1);
  const run = runs[0];
  assert.not.ok(JSON.stringify(run.argv).includes(registry.password));
  assert.ok(run.dockerConfig);
  assert.equal(run.modes, { dir: 0o700, file: 0o600 });
  assert.not.ok(existsSync(run.dockerConfig));
  assert.not.ok(lines.join('\n').includes(registry.password));
  assert.not.ok(JSON.stringify(first).includes(registry.password));
  assert.ok(first.packArgs.includes('--publish'));
});

test('an unchanged source skips pack and reuses the digest', async () => {
  const before = packRuns().length;
  const again = await buildImage(plan, { appDir, image: image(), tags: ['latest'], publish: true, processEnv: env() }, reporter);
  assert.is(again.skipped, true);
  assert.is(again.digest, first.digest);
  assert.is(again.fingerprint, first.fingerprint);
  assert.is(packRuns().length, before, 'pack did not run (not even --version)');
});

test('changing an excluded file does not rebuild; changing a source file does', async () => {
  await writeFile(join(appDir, 'notes.txt'), 'changed notes\n');
  const same = await buildImage(plan, { appDir, image: image(), publish: true, processEnv: env() }, reporter);
  assert.is(same.skipped, true);
  assert.is(same.fingerprint, first.fingerprint);
  await writeFile(join(appDir, 'index.html'), '<h1>hello changed</h1>\n');
  const rebuilt = await buildImage(plan, { appDir, image: image(), publish: true, processEnv: env() }, reporter);
  assert.is(rebuilt.skipped, false);
  assert.is.not(rebuilt.fingerprint, first.fingerprint);
  assert.is.not(rebuilt.digest, first.digest);
  const forced = await buildImage(plan, { appDir, image: image(), publish: true, force: true, processEnv: env() }, reporter);
  assert.is(forced.skipped, false);
});

test('no token given: the user\'s own `docker login` config is used as it is', async () => {
  const userConfig = join(work, 'user-docker');
  await mkdir(userConfig, { recursive: true });
  await writeFile(join(userConfig, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } } }));
  await writeFile(join(appDir, 'index.html'), '<h1>hello docker login</h1>\n');
  const processEnv = packStandinEnv({ XDG_CACHE_HOME: join(work, 'cache'), DOCKER_CONFIG: userConfig, PACK_STANDIN_ARGV_FILE: argvFile(), BIM_REGISTRY_PASSWORD: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined });
  const result = await buildImage(plan, { appDir, image: image(), publish: true, processEnv }, reporter);
  assert.match(result.digest ?? '', /^sha256:/);
  assert.is(packRuns().at(-1).dockerConfig, userConfig);
  assert.ok(existsSync(join(userConfig, 'config.json')), 'the user\'s config is left in place');
});

test('a wrong token: PUBLISH_REGISTRY_DENIED with a hint, the token nowhere', async () => {
  const wrong = `wrong-${Math.random().toString(36).slice(2)}-token`;
  await writeFile(join(appDir, 'index.html'), '<h1>hello denied</h1>\n');
  const seen: string[] = [];
  const capture: Reporter = { ...reporter, output: (_s, l) => seen.push(l), info: (m) => seen.push(m), warn: (m) => seen.push(m) };
  try {
    await buildImage(plan, { appDir, image: image(), publish: true, processEnv: env(wrong) }, capture);
    assert.unreachable('should fail');
  } catch (error) {
    const e = error as { code: string; hint: string; message: string; details: unknown };
    assert.is(e.code, 'PUBLISH_REGISTRY_DENIED');
    assert.match(e.hint, /BIM_REGISTRY_PASSWORD|docker login/);
    assert.not.ok(JSON.stringify({ m: e.message, d: e.details, h: e.hint }).includes(wrong));
  }
  assert.not.ok(seen.join('\n').includes(wrong));
  const last = packRuns().at(-1);
  assert.not.ok(JSON.stringify(last.argv).includes(wrong));
  assert.not.ok(existsSync(last.dockerConfig));
});

test('a secret in a published app layer (gzip blob from the registry) is found', async () => {
  const secret = `be-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  await writeFile(join(appDir, 'leak.html'), `<p>${secret}</p>\n`);
  try {
    await buildImage(plan, { appDir, image: image(), publish: true, processEnv: env(), secrets: [{ key: 'BACKEND_IM_TOKEN', value: secret }] });
    assert.unreachable('should fail');
  } catch (error) {
    const e = error as { code: string; message: string; details: unknown };
    assert.is(e.code, 'BUILD_SECRET_IN_IMAGE');
    assert.match(e.message, /BACKEND_IM_TOKEN.*\/www\/leak\.html/);
    assert.not.ok(JSON.stringify([e.message, e.details]).includes(secret));
  } finally {
    await rm(join(appDir, 'leak.html'));
  }
});

test.run();
