/** The generated descriptor (pure, exact text), the effective filter, and the include check on a real folder. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProjectToml } from '@bim-pack/shared';
import { assertIncludeTakesNoEnvFile, chooseBuildFilter, describeDescriptor, ENV_FILE_EXCLUDES, isRuntimeEnvFile, prepareBuild } from '@bim-pack/builder';
import { makePlan } from './plan-fixture.js';

const dirs: string[] = [];
test.after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('runtime env files: .env and .env.*, templates excepted', () => {
  assert.equal(ENV_FILE_EXCLUDES, ['.env', '.env.*', '!.env.example', '!.env.sample', '!.env.template']);
  for (const f of ['.env', '.env.local', 'api/.env.production']) assert.ok(isRuntimeEnvFile(f), f);
  for (const f of ['.env.example', 'api/.env.sample', '.env.template', '.envrc', 'env.js', 'a.env']) assert.not.ok(isRuntimeEnvFile(f), f);
});

test('no project.toml: a 0.2 descriptor that only excludes env files', () => {
  const filter = chooseBuildFilter(makePlan(), null);
  assert.equal(filter, { include: [], exclude: [...ENV_FILE_EXCLUDES] });
  assert.is(describeDescriptor({ projectToml: null, filter, appDir: '/src/shop' }), [
    '[_]',
    'schema-version = "0.2"',
    '',
    '[io.buildpacks]',
    'exclude = [ ".env", ".env.*", "!.env.example", "!.env.sample", "!.env.template" ]',
    '',
  ].join('\n'));
});

test('the user\'s project.toml: every table and key kept, their excludes after ours, local buildpack uris made absolute', () => {
  const projectToml = parseProjectToml([
    '[_]',
    'schema-version = "0.2"',
    'id = "shop"',
    '[_.metadata]',
    'team = "payments"',
    '[io.buildpacks]',
    'builder = "paketobuildpacks/builder-jammy-base"',
    'exclude = ["notes.txt", ".env", "!.env.example"]',
    '[[io.buildpacks.group]]',
    'id = "local/bp"',
    'uri = "./buildpacks/local"',
    '[[io.buildpacks.group]]',
    'id = "paketo-buildpacks/nodejs"',
    'uri = "docker://paketobuildpacks/nodejs"',
    '[[io.buildpacks.build.env]]',
    'name = "BP_NODE_RUN_SCRIPTS"',
    'value = "build"',
    '[im.backend]',
    'port = 3000',
    '[com.example.tool]',
    'flag = true',
  ].join('\n'));
  const filter = chooseBuildFilter(makePlan(), projectToml);
  assert.equal(filter.exclude, [...ENV_FILE_EXCLUDES, 'notes.txt']);
  const text = describeDescriptor({ projectToml, filter, appDir: '/src/shop', localUris: ['./buildpacks/local'] });
  assert.is(text, [
    '[_]',
    'schema-version = "0.2"',
    'id = "shop"',
    '',
    '[_.metadata]',
    'team = "payments"',
    '',
    '[io.buildpacks]',
    'builder = "paketobuildpacks/builder-jammy-base"',
    'exclude = [ ".env", ".env.*", "!.env.example", "!.env.sample", "!.env.template", "notes.txt" ]',
    '',
    '[[io.buildpacks.group]]',
    'id = "local/bp"',
    'uri = "/src/shop/buildpacks/local"',
    '',
    '[[io.buildpacks.group]]',
    'id = "paketo-buildpacks/nodejs"',
    'uri = "docker://paketobuildpacks/nodejs"',
    '',
    '[[io.buildpacks.build.env]]',
    'name = "BP_NODE_RUN_SCRIPTS"',
    'value = "build"',
    '',
    '[im.backend]',
    'port = 3000',
    '',
    '[com.example.tool]',
    'flag = true',
    '',
  ].join('\n'));
  // The parsed project.toml is left as read.
  assert.equal(projectToml.io?.buildpacks?.exclude, ['notes.txt', '.env', '!.env.example']);
});

test('include mode: the include is kept as is; schema 0.1 filters live under [build]', () => {
  const projectToml = parseProjectToml('[io.buildpacks]\ninclude = ["src/", "package.json"]\n');
  const filter = chooseBuildFilter(makePlan(), projectToml);
  assert.equal(filter, { include: ['src/', 'package.json'], exclude: [] });
  assert.is(describeDescriptor({ projectToml, filter, appDir: '/a' }), '[_]\nschema-version = "0.2"\n\n[io.buildpacks]\ninclude = [ "src/", "package.json" ]\n');
  const old = parseProjectToml('[_]\nschema-version = "0.1"\n[build]\nexclude = ["tmp/"]\n');
  const oldFilter = chooseBuildFilter(makePlan(), old);
  assert.equal(oldFilter.exclude, [...ENV_FILE_EXCLUDES, 'tmp/']);
  assert.is(describeDescriptor({ projectToml: old, filter: oldFilter, appDir: '/a' }),
    '[_]\nschema-version = "0.1"\n\n[build]\nexclude = [ ".env", ".env.*", "!.env.example", "!.env.sample", "!.env.template", "tmp/" ]\n');
});

test('an include that takes a .env fails clearly, naming the file and the fix; one that does not passes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bim-include-'));
  dirs.push(dir);
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src/index.js'), '');
  await writeFile(join(dir, '.env'), 'STRIPE_KEY=x\n');
  await writeFile(join(dir, '.env.example'), 'STRIPE_KEY=\n');
  assertIncludeTakesNoEnvFile(dir, { include: ['src/', '.env.example'], exclude: [] });
  try {
    assertIncludeTakesNoEnvFile(dir, { include: ['*'], exclude: [] });
    assert.unreachable();
  } catch (error) {
    const e = error as { code: string; message: string; hint: string };
    assert.is(e.code, 'CONFIG_PROJECT_TOML_INVALID');
    assert.is(e.message, `${join(dir, 'project.toml')}: [io.buildpacks] include takes .env into the image (runtime env files never go into the image)`);
    assert.match(e.hint, /^drop the pattern that matches \.env from include/);
  }
});

test('the fingerprint uses the same filter: a changed .env changes nothing, a changed template does', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bim-fp-env-'));
  dirs.push(dir);
  await writeFile(join(dir, 'server.js'), 'x');
  await writeFile(join(dir, '.env'), 'A=1\n');
  await writeFile(join(dir, '.env.example'), 'A=\n');
  const options = { appDir: dir, image: 'ghcr.io/acme/shop', processEnv: {}, fingerprintCache: false as const };
  const first = await prepareBuild(makePlan(), options);
  await writeFile(join(dir, '.env'), 'A=2\n');
  await writeFile(join(dir, '.env.staging'), 'A=3\n');
  assert.is((await prepareBuild(makePlan(), options)).fingerprint, first.fingerprint);
  await writeFile(join(dir, '.env.example'), 'A=\nB=\n');
  assert.is.not((await prepareBuild(makePlan(), options)).fingerprint, first.fingerprint);
});

test.run();
