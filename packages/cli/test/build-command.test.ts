/** `bim-pack build` through the built CLI with the pack stand-in: --json result, Ctrl-C, pack errors. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureBaseImages, packStandinEnv, requireDocker, startRegistry, waitFor, type TestRegistry } from '@bim-pack/test-support';

const bin = new URL('../dist/bin.js', import.meta.url).pathname;
let registry: TestRegistry;
let appDir: string;
let work: string;
const argvFile = () => join(work, 'argv.jsonl');
const packRuns = () => (existsSync(argvFile()) ? readFileSync(argvFile(), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
const env = (extra: Record<string, string | undefined> = {}) => packStandinEnv({
  BIM_REGISTRY_USERNAME: registry.username, BIM_REGISTRY_PASSWORD: registry.password, PACK_STANDIN_ARGV_FILE: argvFile(),
  GITHUB_TOKEN: undefined, GH_TOKEN: undefined, XDG_CACHE_HOME: join(work, 'cache'), ...extra,
});

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  registry = await startRegistry();
  appDir = await mkdtemp(join(tmpdir(), 'bim-cli-build-'));
  await writeFile(join(appDir, 'index.html'), '<h1>cli build</h1>\n');
  work = await mkdtemp(join(tmpdir(), 'bim-cli-work-'));
});
test.after(async () => {
  await registry?.stop();
  await rm(appDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

test('build --publish --json: one document with digest, tags, fingerprint and secret-free pack args', async () => {
  const r = await execa('node', [bin, 'build', appDir, '--image', `${registry.host}/acme/cli`, '--tag', 'v1', '--publish', '--json'], { env: env(), extendEnv: false, reject: false });
  assert.is(r.exitCode, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.ok, true);
  assert.match(doc.digest, /^sha256:[0-9a-f]{64}$/);
  assert.ok(doc.tags.includes('v1'));
  assert.is(doc.skipped, false);
  assert.ok(doc.packArgs.includes('--publish'));
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(registry.password));
  const head = await fetch(`http://${registry.host}/v2/acme/cli/manifests/v1`, {
    method: 'HEAD',
    headers: { authorization: `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`, accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  assert.is(head.headers.get('docker-content-digest'), doc.digest);
  const again = await execa('node', [bin, 'build', appDir, '--image', `${registry.host}/acme/cli`, '--publish'], { env: env(), extendEnv: false });
  assert.match(again.stdout, /^reused .*@sha256:/m);
  assert.match(again.stdout, new RegExp(`^digest   ${doc.digest}$`, 'm'));
});

test('Ctrl-C mid-build: pack stops, the temporary DOCKER_CONFIG and report dir are gone, exit 130', async () => {
  await writeFile(join(appDir, 'index.html'), '<h1>interrupted</h1>\n');
  const before = packRuns().length;
  const child = execa('node', [bin, 'build', appDir, '--image', `${registry.host}/acme/cli`, '--publish'], {
    env: env({ PACK_STANDIN_DELAY_MS: '30000' }), extendEnv: false, reject: false,
  });
  const started = Date.now();
  const run = await waitFor(async () => packRuns().slice(before).find((r) => r.argv[0] === 'build'), { what: 'pack build to start', timeoutMs: 20_000 });
  assert.ok(existsSync(run.dockerConfig), 'the temporary DOCKER_CONFIG exists while pack runs');
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  const r = await child;
  assert.is(r.exitCode, 130);
  assert.match(r.stderr, /INTERRUPTED/);
  assert.ok(Date.now() - started < 20_000, 'stopped long before the stand-in would finish');
  assert.not.ok(existsSync(run.dockerConfig), 'the temporary DOCKER_CONFIG was removed');
  const reportDir = run.argv[run.argv.indexOf('--report-output-dir') + 1];
  assert.not.ok(existsSync(reportDir), 'the report dir was removed');
  assert.throws(() => process.kill(run.pid, 0), 'the pack process is gone');
});

test('two quick Ctrl-Cs: exit at once, and still no temporary DOCKER_CONFIG left', async () => {
  await writeFile(join(appDir, 'index.html'), '<h1>interrupted twice</h1>\n');
  const before = packRuns().length;
  const child = execa('node', [bin, 'build', appDir, '--image', `${registry.host}/acme/cli`, '--publish'], {
    env: env({ PACK_STANDIN_DELAY_MS: '30000' }), extendEnv: false, reject: false,
  });
  const run = await waitFor(async () => packRuns().slice(before).find((r) => r.argv[0] === 'build'), { what: 'pack build to start', timeoutMs: 20_000 });
  child.kill('SIGINT');
  child.kill('SIGINT');
  const r = await child;
  assert.is(r.exitCode, 130);
  assert.not.ok(existsSync(run.dockerConfig), 'the temporary DOCKER_CONFIG was removed');
  await waitFor(async () => {
    try { process.kill(run.pid, 0); return false; } catch { return true; }
  }, { what: 'the pack process to end', timeoutMs: 10_000 });
});

test('no Docker engine: BUILD_DOCKER_UNAVAILABLE from pack\'s own error, exit 5', async () => {
  await writeFile(join(appDir, 'index.html'), '<h1>no docker</h1>\n');
  const r = await execa('node', [bin, 'build', appDir, '--image', `${registry.host}/acme/cli`, '--publish'], {
    env: env({ DOCKER_HOST: 'tcp://127.0.0.1:1' }), extendEnv: false, reject: false,
  });
  assert.is(r.exitCode, 5);
  assert.match(r.stderr, /^error BUILD_DOCKER_UNAVAILABLE: /m);
  assert.match(r.stderr, /^hint: .*docker info/m);
  assert.match(r.stderr, /\| ERROR: failed to build/);
});

test('pack too old and pack missing: clear errors with install hints', async () => {
  await writeFile(join(appDir, 'index.html'), '<h1>old pack</h1>\n');
  const old = await execa('node', [bin, 'build', appDir, '--image', 'bim-test/old', '--force'], { env: env({ PACK_STANDIN_VERSION: '0.28.1' }), extendEnv: false, reject: false });
  assert.is(old.exitCode, 5);
  assert.match(old.stderr, /^error BUILD_PACK_TOO_OLD: pack 0\.28\.1 is too old/m);
  const path = (process.env.PATH ?? '').split(':').filter((p) => !existsSync(join(p, 'pack'))).join(':');
  const missing = await execa('node', [bin, 'build', appDir, '--image', 'bim-test/old', '--force'], { env: { ...env(), PATH: path }, extendEnv: false, reject: false });
  assert.is(missing.exitCode, 5);
  assert.match(missing.stderr, /^error BUILD_PACK_MISSING: /m);
  assert.match(missing.stderr, /setup-pack/);
});

test('a bad flag value is a usage error', async () => {
  const r = await execa('node', [bin, 'build', appDir, '--pull-policy', 'sometimes'], { env: env(), extendEnv: false, reject: false });
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /^error USAGE_BAD_FLAG: --pull-policy/m);
});

test.run();
