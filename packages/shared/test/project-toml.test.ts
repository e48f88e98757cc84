import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BimError, parseProjectToml } from '@bim-pack/shared';

test('parses descriptor and [im.backend]', () => {
  const p = parseProjectToml(`[_]\nschema-version = "0.2"\n\n[io.buildpacks]\nbuilder = "heroku/builder:24"\nexclude = ["*.md"]\n\n[[io.buildpacks.build.env]]\nname = "BP_NODE_RUN_SCRIPTS"\nvalue = "build"\n\n[im.backend]\nname = "shop"\nport = 3000\nsmoke = [{ path = "/health", contains = "ok" }]\n`);
  assert.is(p.io?.buildpacks?.builder, 'heroku/builder:24');
  assert.equal(p.io?.buildpacks?.build?.env, [{ name: 'BP_NODE_RUN_SCRIPTS', value: 'build' }]);
  assert.is(p.im?.backend?.port, 3000);
  assert.equal(p.im?.backend?.smoke, [{ path: '/health', status: 200, contains: 'ok' }]);
});

test('syntax error names file, line and column', () => {
  try {
    parseProjectToml('[_]\nschema-version = \n', 'app/project.toml');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, BimError);
    assert.is((error as BimError).code, 'CONFIG_PROJECT_TOML_INVALID');
    assert.match((error as BimError).message, /^app\/project\.toml:2:\d+: not valid TOML/);
  }
});

test('schema error names the key and its line', () => {
  try {
    parseProjectToml('[im.backend]\nname = "Bad_Name"\n');
    assert.unreachable();
  } catch (error) {
    assert.match((error as BimError).message, /project\.toml:2: im\.backend\.name: must be a DNS label/);
  }
});

test('include and exclude together are rejected', () => {
  assert.throws(() => parseProjectToml('[io.buildpacks]\ninclude = ["a"]\nexclude = ["b"]\n'), /mutually exclusive/);
});

test('other tools may add their own tables', () => {
  const p = parseProjectToml('[com.example.tool]\nx = 1\n');
  assert.ok(p);
});

test.run();
