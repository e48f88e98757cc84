/**
 * Env files stay out of the image by default: real app folders, the pack stand-in (which applies the
 * descriptor's include/exclude like pack), the real Docker engine.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { buildImage, scanEngineImage } from '@bim-pack/builder';
import { ensureBaseImages, packStandinEnv, requireDocker, uniqueName, waitFor } from '@bim-pack/test-support';
import { makeNodeApp } from './apps.js';
import { makePlan } from './plan-fixture.js';

const image = `bim-test/${uniqueName('env-files')}`;
const dirs: string[] = [];
const cacheHome = join(tmpdir(), uniqueName('bim-cache'));
const env = packStandinEnv({ BIM_REGISTRY_PASSWORD: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, XDG_CACHE_HOME: cacheHome });
const secret = `sk_live_${Math.random().toString(36).slice(2)}${Date.now()}`;

interface StandinRun { argv: string[]; descriptor: { path: string; dir: number; file: number; text: string } | null }
const runsOf = (file: string): StandinRun[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as StandinRun) : []);

/** Every path under /app in the image, listed by the image's own node. */
async function appFiles(ref: string): Promise<string[]> {
  const { stdout } = await execa('docker', ['run', '--rm', ref, 'node', '-e', "console.log(require('fs').readdirSync('/app', { recursive: true }).sort().join('\\n'))"]);
  return stdout.split('\n').filter(Boolean);
}

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

test('a .env with a real secret: the build succeeds, the image has no env file and no secret; the user\'s excludes are kept', async () => {
  const appDir = await makeNodeApp({
    '.env': `STRIPE_KEY=${secret}\nPORT=8080\n`,
    '.env.example': 'STRIPE_KEY=\n',
    'api/.env.local': `STRIPE_KEY=${secret}\n`,
    'notes.txt': 'mine, excluded by my project.toml\n',
    'project.toml': '[_]\nschema-version = "0.2"\n\n[io.buildpacks]\nexclude = ["notes.txt"]\n\n[im.backend]\nport = 8080\n',
  });
  dirs.push(appDir);
  const argvFile = `${appDir}-argv.jsonl`;
  dirs.push(argvFile);
  const result = await buildImage(makePlan(), {
    appDir, image, processEnv: { ...env, PACK_STANDIN_ARGV_FILE: argvFile }, secrets: [{ key: 'STRIPE_KEY', value: secret }],
  });
  assert.is(result.skipped, false);
  const files = await appFiles(result.imageId!);
  assert.equal(files, ['.env.example', 'api', 'package.json', 'project.toml', 'server.js']);
  assert.equal(await scanEngineImage(result.imageId!, [{ key: 'STRIPE_KEY', value: secret }]), []);

  // pack got a private descriptor outside the app folder: the user's tables plus the env excludes; gone afterwards.
  const build = runsOf(argvFile).find((r) => r.argv[0] === 'build')!;
  const descriptor = build.descriptor!;
  assert.is(build.argv[build.argv.indexOf('--descriptor') + 1], descriptor.path);
  assert.ok(relative(appDir, descriptor.path).startsWith('..'), descriptor.path);
  assert.is(descriptor.dir, 0o700);
  assert.is(descriptor.file, 0o600);
  assert.is(descriptor.text, '[_]\nschema-version = "0.2"\n\n[io.buildpacks]\n'
    + 'exclude = [ ".env", ".env.*", "!.env.example", "!.env.sample", "!.env.template", "notes.txt" ]\n\n[im.backend]\nport = 8080\n');
  assert.not.ok(existsSync(descriptor.path));
  assert.not.ok(JSON.stringify(result).includes(secret));
});

test('include that takes .env: a clear error before pack runs; an include without it builds just those files', async () => {
  const appDir = await makeNodeApp({ '.env': `STRIPE_KEY=${secret}\n`, 'project.toml': '[io.buildpacks]\ninclude = ["*"]\n', 'docs/a.md': 'x\n' });
  dirs.push(appDir);
  const argvFile = `${appDir}-argv.jsonl`;
  dirs.push(argvFile);
  const processEnv = { ...env, PACK_STANDIN_ARGV_FILE: argvFile };
  try {
    await buildImage(makePlan(), { appDir, image, processEnv });
    assert.unreachable('should fail');
  } catch (error) {
    const e = error as { code: string; message: string; hint: string };
    assert.is(e.code, 'CONFIG_PROJECT_TOML_INVALID');
    assert.match(e.message, /\[io\.buildpacks\] include takes \.env into the image/);
    assert.match(e.hint, /drop the pattern that matches \.env from include/);
  }
  assert.equal(runsOf(argvFile), []);

  await writeFile(join(appDir, 'project.toml'), '[io.buildpacks]\ninclude = ["server.js", "package.json", "/docs/"]\n');
  const result = await buildImage(makePlan(), { appDir, image, processEnv });
  assert.equal(await appFiles(result.imageId!), ['docs', 'docs/a.md', 'package.json', 'server.js']);
});

test('Ctrl-C while pack runs: the temp descriptor is removed too', async () => {
  const appDir = await makeNodeApp({ '.env': 'A=1\n', 'lib/x.js': `module.exports = ${Date.now()};\n` });
  dirs.push(appDir);
  const argvFile = `${appDir}-argv.jsonl`;
  dirs.push(argvFile);
  const controller = new AbortController();
  const running = buildImage(makePlan(), { appDir, image, processEnv: { ...env, PACK_STANDIN_ARGV_FILE: argvFile, PACK_STANDIN_DELAY_MS: '20000' } }, undefined, controller.signal);
  const build = await waitFor(async () => runsOf(argvFile).find((r) => r.argv[0] === 'build'), { what: 'the stand-in to start' });
  assert.ok(existsSync(build.descriptor!.path));
  controller.abort();
  await running.then(() => assert.unreachable('should abort'), () => undefined);
  assert.not.ok(existsSync(build.descriptor!.path));
});

test.run();
