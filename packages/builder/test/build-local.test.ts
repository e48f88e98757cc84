/** buildImage without --publish: the image lands in the Docker engine; secret scan of its layers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { buildImage } from '@bim-pack/builder';
import { ensureBaseImages, getFreePort, packStandinEnv, requireDocker, uniqueName, waitFor } from '@bim-pack/test-support';
import { getText, makeNodeApp } from './apps.js';
import { makePlan } from './plan-fixture.js';

const image = `bim-test/${uniqueName('node-shop')}`;
const dirs: string[] = [];
const cacheHome = join(tmpdir(), uniqueName('bim-cache'));
const env = packStandinEnv({ BIM_REGISTRY_PASSWORD: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, XDG_CACHE_HOME: cacheHome });

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
});
test.after(async () => {
  const ids = (await execa('docker', ['images', '-q', image])).stdout.split('\n').filter(Boolean);
  if (ids.length) await execa('docker', ['rmi', '-f', ...new Set(ids)], { reject: false });
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  await rm(cacheHome, { recursive: true, force: true });
});

test('a local Node build: image id, tags in the engine, runs and answers', async () => {
  const appDir = await makeNodeApp();
  dirs.push(appDir);
  const result = await buildImage(makePlan(), { appDir, image, tags: ['dev'], processEnv: env });
  assert.match(result.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.is(result.digest, null);
  assert.not.ok(result.packArgs.includes('--publish'));
  for (const tag of result.tags) {
    const id = (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', `${image}:${tag}`])).stdout.trim();
    assert.is(id, result.imageId);
  }
  const labels = JSON.parse((await execa('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', result.imageId!])).stdout);
  assert.is(labels['im.backend.fingerprint'], result.fingerprint);
  const name = uniqueName('bim-node-run');
  const port = await getFreePort();
  try {
    await execa('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:8080`, result.imageId!]);
    const body = await waitFor(async () => {
      const res = await getText(`http://127.0.0.1:${port}/`);
      return res.status === 200 ? res.body : undefined;
    }, { what: 'the node image to answer' });
    assert.is(body, 'hello from node');
  } finally {
    await execa('docker', ['rm', '-f', name], { reject: false });
  }
  const again = await buildImage(makePlan(), { appDir, image, processEnv: env });
  assert.is(again.skipped, true);
  assert.is(again.imageId, result.imageId);
});

test('a secret value in an app file stops the build: key and file named, value never', async () => {
  const secret = `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const appDir = await makeNodeApp({ 'config/settings.json': JSON.stringify({ apiKey: secret }) });
  dirs.push(appDir);
  try {
    await buildImage(makePlan(), { appDir, image, processEnv: env, secrets: [{ key: 'STRIPE_KEY', value: secret }, { key: 'PORT', value: '8080' }] });
    assert.unreachable('should fail');
  } catch (error) {
    const e = error as { code: string; message: string; hint: string; details: unknown };
    assert.is(e.code, 'BUILD_SECRET_IN_IMAGE');
    assert.match(e.message, /STRIPE_KEY/);
    assert.match(e.message, /\/app\/config\/settings\.json/);
    assert.not.ok(JSON.stringify([e.message, e.hint, e.details]).includes(secret));
  }
});

test('a secret in the base (run) image layers is not the app\'s: no false alarm', async () => {
  const appDir = await makeNodeApp();
  dirs.push(appDir);
  await writeFile(join(appDir, 'server.js'), "require('http').createServer((q, s) => s.end('v2')).listen(8080);\n");
  // "ld-linux-x86-64" is in the base image's files (node's loader), never in the app's.
  const result = await buildImage(makePlan(), { appDir, image, processEnv: env, secrets: [{ key: 'LOADER', value: 'ld-linux-x86-64' }] });
  assert.is(result.skipped, false);
});

test('a secret build env value reaches pack through its env, not argv', async () => {
  const appDir = await makeNodeApp({ 'lib/extra.js': 'module.exports = 1;\n' });
  dirs.push(appDir);
  const argvFile = join(appDir, '..', `${appDir.split('/').pop()}-argv.jsonl`);
  dirs.push(argvFile);
  const secret = `npm_${Math.random().toString(36).slice(2)}${Date.now()}`;
  const result = await buildImage(makePlan(), {
    appDir, image, env: { NPM_TOKEN: secret }, secrets: [{ key: 'NPM_TOKEN', value: secret }],
    processEnv: { ...env, PACK_STANDIN_ARGV_FILE: argvFile },
  });
  const runs = readFileSync(argvFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[] });
  const build = runs.find((r) => r.argv[0] === 'build')!;
  assert.ok(build.argv.includes('NPM_TOKEN'));
  assert.not.ok(JSON.stringify(runs).includes(secret));
  assert.not.ok(JSON.stringify(result).includes(secret));
});

test.run();
