/**
 * `bim-pack deploy --target local` end to end: the real built CLI, the pack stand-in first on
 * PATH, a private BIM_PACK_HOME whose platform the CLI starts itself (real Docker and nginx).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { docker, ensureBaseImages, getFreePort, requireDocker, uniqueName, waitFor } from '@bim-pack/test-support';
import { DeployResultSchema, ErrorDocumentSchema } from '../src/result-schema.js';
import { cliEnv, copyFixture, getApp, removeImages, runCli, startCli, stopLocalPlatform } from './deploy-support.js';

let home: string;
let proxyPort: number;
let shop: string;
let site: string;
const id = uniqueName('e2e').toLowerCase();
const shopApp = `shop-${id}`.slice(0, 60);
const siteApp = `site-${id}`.slice(0, 60);
const image = (app: string) => `bim-e2e/${app}`;
const SECRET = `sk_live_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
let secretsFile: string;
const env = (extra: Record<string, string | undefined> = {}) => cliEnv(home, proxyPort, extra);
const deployShop = (extra: string[] = []) =>
  runCli(['deploy', '--target', 'local', '--app', shopApp, '--image', image(shopApp), '--env-file', secretsFile, '--smoke-timeout', '5', '--json', ...extra], { cwd: shop, env: env() });

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  home = await mkdtemp(join(tmpdir(), 'bim-e2e-home-'));
  proxyPort = await getFreePort();
  shop = await copyFixture('node-http-shop');
  site = await copyFixture('static-plain');
  // Outside the app folder: the stand-in copies the whole folder (it ignores [io.buildpacks] exclude).
  secretsFile = join(dirname(shop), 'secrets.env');
  await writeFile(secretsFile, `# runtime secrets\nSHOP_API_KEY="${SECRET}"\n`);
});

test.after(async () => {
  await stopLocalPlatform(home);
  for (const app of [shopApp, siteApp]) await removeImages(image(app));
  await rm(dirname(shop), { recursive: true, force: true });
  await rm(dirname(site), { recursive: true, force: true });
});

test('no target on a non-TTY fails fast with CONFIG_NO_TARGET (exit 2) and a hint', async () => {
  const r = await runCli(['deploy', '--json'], { cwd: site, env: env() });
  assert.is(r.exitCode, 2);
  const doc = ErrorDocumentSchema.parse(r.json);
  assert.is(doc.error.code, 'CONFIG_NO_TARGET');
  assert.is(doc.error.stage, 'config');
  assert.match(String(doc.error.hint), /--target local/);
});

test('a variable in .env.example without a value fails listing it (CONFIG_ENV_MISSING, exit 2)', async () => {
  const r = await runCli(['deploy', '--target', 'local', '--app', shopApp, '--json'], { cwd: shop, env: env() });
  assert.is(r.exitCode, 2, r.stderr);
  const doc = ErrorDocumentSchema.parse(r.json);
  assert.is(doc.error.code, 'CONFIG_ENV_MISSING');
  assert.equal(doc.error.missing, ['SHOP_API_KEY']);
  assert.match(r.stderr, /error CONFIG_ENV_MISSING: .*SHOP_API_KEY/);
});

test('deploy a static fixture to the local target: live, smoke-tested, one JSON result', async () => {
  const r = await runCli(['deploy', '--target', 'local', '--app', siteApp, '--image', image(siteApp), '--json'], { cwd: site, env: env() });
  assert.is(r.exitCode, 0, r.stderr);
  const doc = DeployResultSchema.parse(r.json);
  assert.is(doc.deployment.status, 'live');
  assert.match(doc.image.ref, /^sha256:[a-f0-9]{64}$/);
  assert.equal(doc.stages.map((s) => s.name), ['config', 'detect', 'tests', 'build', 'deploy', 'live', 'smoke', 'summary']);
  assert.is(doc.stages.find((s) => s.name === 'tests')!.status, 'skipped');
  const page = await getApp(doc.url, '/');
  assert.is(page.status, 200);
  assert.match(r.stderr, /==> smoke/);
});

test('deploy the Node fixture: tests run, env delivered, the secret appears nowhere', async () => {
  const r = await deployShop();
  assert.is(r.exitCode, 0, r.stderr);
  const doc = DeployResultSchema.parse(r.json);
  assert.is(doc.stages.find((s) => s.name === 'tests')!.status, 'ok');
  assert.equal(doc.envNames, ['SHOP_API_KEY']);
  assert.equal(doc.smoke.map((s) => [s.path, s.ok]), [['/health', true], ['/', true], ['/api/items', true]]);
  const items = await getApp(doc.url, '/api/items');
  assert.match(items.body, /"keyConfigured":true/, 'the app got the value at deploy time');
  const imageConfig = await docker(['image', 'inspect', doc.image.ref]);
  const platformLog = await readFile(join(home, 'platform', 'platform.log'), 'utf8');
  const containers = (await docker(['ps', '-q', '--filter', `label=im.backend.app=${shopApp}`])).split('\n').filter(Boolean);
  const containerLogs = (await Promise.all(containers.map((c) => docker(['logs', c]).catch(() => '')))).join('\n');
  for (const [where, text] of Object.entries({ stdout: r.stdout, stderr: r.stderr, imageConfig, platformLog, containerLogs })) {
    assert.not.ok(text.includes(SECRET), `the secret leaked into ${where}`);
  }
});

test('a redeploy with unchanged source skips the build and makes the next revision', async () => {
  const r = await deployShop();
  assert.is(r.exitCode, 0, r.stderr);
  const doc = DeployResultSchema.parse(r.json);
  assert.ok(doc.image.reused);
  assert.is(doc.deployment.revision, 'r2');
  assert.match(String(doc.stages.find((s) => s.name === 'build')!.note), /reused/);
  assert.not.match(r.stderr, /pack \d+\.\d+\.\d+: building/);
});

test('a failing smoke test rolls back (SMOKE_FAILED, exit 8) and the old revision still answers', async () => {
  const toml = join(shop, 'project.toml');
  const original = await readFile(toml, 'utf8');
  await writeFile(toml, original.replace('contains = "teapot"', 'contains = "samovar"'));
  try {
    const r = await deployShop();
    assert.is(r.exitCode, 8, r.stderr);
    const doc = ErrorDocumentSchema.parse(r.json);
    assert.is(doc.error.code, 'SMOKE_FAILED');
    assert.is(doc.error.stage, 'smoke');
    assert.is(doc.error.revision, 'r3');
    assert.match(doc.error.message, /\/api\/items the body does not contain "samovar"; body starts: .*teapot.*; rolled back to r2/);
    const status = await runCli(['status', '--target', 'local', '--app', shopApp, '--json'], { cwd: shop, env: env() });
    assert.is(status.json.liveRevision, 'r2');
    const page = await getApp(String(doc.error.url), '/api/items');
    assert.is(page.status, 200);
  } finally {
    await writeFile(toml, original);
  }
});

test('without pack: config, detect and tests run, then BUILD_PACK_MISSING (exit 5) with the pack command it would run', async () => {
  const path = String(env().PATH).split(':').filter((p) => !p.includes('pack-standin')).join(':');
  const r = await runCli(['deploy', '--target', 'local', '--app', siteApp, '--image', image(siteApp), '--force', '--json'], { cwd: site, env: env({ PATH: path }) });
  assert.is(r.exitCode, 5, r.stderr);
  const doc = ErrorDocumentSchema.parse(r.json);
  assert.is(doc.error.code, 'BUILD_PACK_MISSING');
  assert.is(doc.error.stage, 'build');
  assert.match(String(doc.error.packCommand), /^pack build bim-e2e\/site-\S+ --builder \S+ --path \//);
  assert.equal(doc.error.stages!.map((s) => `${s.name}:${s.status}`), ['config:ok', 'detect:ok', 'tests:skipped', 'build:failed']);
});

test('Ctrl-C mid-build stops pack, leaves no temp files and no deployment (exit 130)', async () => {
  const privateTmp = await mkdtemp(join(tmpdir(), 'bim-e2e-tmp-'));
  const app = `int-${id}`.slice(0, 60);
  const child = startCli(['deploy', '--target', 'local', '--app', app, '--image', image(shopApp), '--env-file', secretsFile, '--force', '--skip-tests'], {
    cwd: shop, env: env({ TMPDIR: privateTmp }),
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  await waitFor(async () => /pack \d+\.\d+\.\d+: building/.test(stderr), { timeoutMs: 30_000, what: 'pack to start' });
  child.kill('SIGINT');
  const r = await child;
  assert.is(r.exitCode, 130, stderr);
  assert.match(stderr, /error INTERRUPTED: interrupted during build; no deployment was created/);
  assert.equal(await readdir(privateTmp), [], 'no temp files left');
  await rm(privateTmp, { recursive: true, force: true });
  const apps = await runCli(['apps', '--target', 'local', '--json'], { cwd: shop, env: env() });
  assert.not.ok(apps.json.apps.some((a: { name: string }) => a.name === app));
});

test('failing app tests stop the deploy before the build: TESTS_FAILED (exit 4) with the last lines', async () => {
  const failing = join(shop, 'test', 'broken.test.js');
  await writeFile(failing, "require('node:test')('checkout works', () => { throw new Error('checkout is broken'); });\n");
  try {
    const r = await deployShop();
    assert.is(r.exitCode, 4, r.stderr);
    const doc = ErrorDocumentSchema.parse(r.json);
    assert.is(doc.error.code, 'TESTS_FAILED');
    assert.is(doc.error.stage, 'tests');
    assert.match(doc.error.message, /^the app's tests failed \(`npm test`, exit code 1\)$/);
    assert.ok((doc.error.outputTail as string[]).some((l) => l.includes('checkout is broken')));
    assert.match(r.stderr, /\| .*checkout is broken/);
    assert.equal(doc.error.stages!.map((s) => s.name), ['config', 'detect', 'tests']);
  } finally {
    await rm(failing, { force: true });
  }
});

test('an app that listens on another port: DEPLOY_FAILED (exit 7) naming the port, with its log lines', async () => {
  const dir = await copyFixture('node-no-start');
  const app = `port-${id}`.slice(0, 60);
  try {
    const r = await runCli(['deploy', '--target', 'local', '--app', app, '--image', image(app), '--skip-tests', '--start-timeout', '8', '--json'], { cwd: dir, env: env() });
    assert.is(r.exitCode, 7, r.stderr);
    const doc = ErrorDocumentSchema.parse(r.json);
    assert.is(doc.error.code, 'DEPLOY_FAILED');
    assert.is(doc.error.stage, 'live');
    assert.is(doc.error.failure, 'wrong-port');
    assert.match(doc.error.message, /answered on port 3000, not on PORT=8080/);
    assert.ok((doc.error.logTail as string[]).some((l) => l.includes('listening on 3000')));
    assert.match(r.stderr, /\| listening on 3000/);
  } finally {
    await rm(dirname(dir), { recursive: true, force: true });
    await removeImages(image(app));
  }
});

test('Ctrl-C while waiting for live: the deployment exists, and the message says how to follow or undo it', async () => {
  const dir = await copyFixture('node-no-start');
  const app = `wait-${id}`.slice(0, 60);
  try {
    const child = startCli(['deploy', '--target', 'local', '--app', app, '--image', image(app), '--skip-tests', '--start-timeout', '30', '--json'], { cwd: dir, env: env() });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    await waitFor(async () => /starting: /.test(stderr), { timeoutMs: 60_000, what: 'the deployment to start' });
    child.kill('SIGINT');
    const r = await child;
    assert.is(r.exitCode, 130, stderr);
    const doc = ErrorDocumentSchema.parse(JSON.parse(String(r.stdout)));
    assert.is(doc.error.code, 'INTERRUPTED');
    assert.is(doc.error.stage, 'live');
    assert.match(doc.error.message, new RegExp(`deployment ${doc.error.deploymentId} \\(${app} r1\\) was created and continues on the platform`));
    assert.match(String(doc.error.hint), new RegExp(`bim-pack status --app ${app}.*bim-pack rollback --app ${app}`));
    const status = await runCli(['status', '--target', 'local', '--app', app, '--json'], { cwd: dir, env: env() });
    assert.is(status.json.deployments[0].id, doc.error.deploymentId);
  } finally {
    await rm(dirname(dir), { recursive: true, force: true });
    await removeImages(image(app));
  }
});

test('status, logs, rollback, apps and destroy through the CLI', async () => {
  const logs = await runCli(['logs', '--target', 'local', '--app', shopApp, '--tail', '20'], { cwd: shop, env: env() });
  assert.is(logs.exitCode, 0, logs.stderr);
  assert.match(logs.stdout, /http shop listening on 8080/);
  const follow = startCli(['logs', '--target', 'local', '--app', shopApp, '--follow'], { cwd: shop, env: env() });
  let followed = '';
  follow.stdout!.on('data', (d) => { followed += d; });
  await waitFor(async () => followed.includes('http shop listening on 8080'), { timeoutMs: 20_000, what: 'logs --follow output' });
  follow.kill('SIGINT');
  assert.is((await follow).exitCode, 0, 'Ctrl-C ends logs --follow normally');
  const back = await runCli(['rollback', 'r1', '--target', 'local', '--app', shopApp, '--json'], { cwd: shop, env: env() });
  assert.is(back.exitCode, 0, back.stderr);
  assert.is(back.json.revision, 'r1');
  const noYes = await runCli(['destroy', '--target', 'local', '--app', shopApp], { cwd: shop, env: env() });
  assert.is(noYes.exitCode, 2);
  const gone = await runCli(['destroy', '--target', 'local', '--app', shopApp, '--yes', '--json'], { cwd: shop, env: env() });
  assert.is(gone.exitCode, 0, gone.stderr);
  assert.ok(gone.json.removedRevisions.includes('r1'));
  const apps = await runCli(['apps', '--target', 'local', '--json'], { cwd: shop, env: env() });
  assert.not.ok(apps.json.apps.some((a: { name: string }) => a.name === shopApp));
  assert.ok(apps.json.apps.some((a: { name: string }) => a.name === siteApp));
  const missing = await runCli(['status', '--target', 'local', '--app', shopApp], { cwd: shop, env: env() });
  assert.is(missing.exitCode, 7);
  assert.match(missing.stderr, /error DEPLOY_NOT_FOUND/);
});

test.run();
