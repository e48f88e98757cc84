/** project.toml overrides, proved with the shipped project.toml.example so the example stays valid. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { detect } from '@bim-pack/detector';
import { isBimError } from '@bim-pack/shared';
import { makeTree } from './support/tree.js';

const example = readFileSync(new URL('../../../project.toml.example', import.meta.url), 'utf8');
const app = {
  'package.json': JSON.stringify({ name: '@acme/shop', scripts: { start: 'node server.js', build: 'tsc', test: 'node --test' }, engines: { node: '20.x' }, dependencies: { express: '^4.21.2' } }),
  'package-lock.json': '{}',
  'server.js': "require('express')().listen(3000);\n",
  'Procfile': 'web: node server.js\n',
  '.env.example': 'LOG_LEVEL=info\nSESSION_SECRET=\n',
};

test('every key of project.toml.example lands in the plan, with the line as evidence', async () => {
  const tree = makeTree({ ...app, 'project.toml': example });
  try {
    const plan = await detect(tree.dir);
    const line = (pattern: RegExp) => example.split('\n').findIndex((l) => pattern.test(l)) + 1;
    assert.is(plan.projectToml, 'project.toml');
    assert.equal(plan.app, { value: 'orders-api', evidence: [{ file: 'project.toml', line: line(/^name = "orders-api"/), reason: 'project.toml [im.backend] name' }] });
    assert.equal(plan.builder.value, 'paketobuildpacks/builder-jammy-base');
    assert.equal(plan.builder.evidence[0], { file: 'project.toml', line: line(/^builder =/), reason: 'project.toml [io.buildpacks] builder' });
    assert.equal(plan.buildpacks.value, ['paketo-buildpacks/nodejs', 'paketo-buildpacks/procfile@5.10.1']);
    // Detected BP_NODE_RUN_SCRIPTS stays; project.toml values win on the same name.
    assert.equal(plan.buildEnv.value, { BP_NODE_RUN_SCRIPTS: 'build', BP_NODE_VERSION: '22.*', BP_PROCFILE_DEFAULT_PROCESS: 'node dist/server.js' });
    assert.equal(plan.exclude, ['docs/', '*.md', 'test/fixtures/']);
    assert.equal(plan.include, []);
    assert.is(plan.port.value, 8080);
    assert.is(plan.healthCheckPath, '/healthz');
    assert.is(plan.test.value, 'npm test');
    assert.is(plan.start.value, 'node dist/server.js');
    assert.match(plan.start.evidence[0]!.reason, /instead of "node server.js"/);
    assert.equal(plan.envNames, ['LOG_LEVEL', 'SESSION_SECRET', 'DATABASE_URL', 'STRIPE_API_KEY']);
    assert.equal(plan.smoke, [{ path: '/healthz', status: 200 }, { path: '/orders', status: 200, contains: '[' }]);
    assert.ok(plan.warnings.some((w) => w.code === 'PORT_HARDCODED' && w.file === 'server.js' && w.line === 1));
    // The Procfile's web line would still win inside a Paketo image: say so.
    assert.ok(plan.warnings.some((w) => w.code === 'PROCFILE_OVERRIDES_START' && w.file === 'Procfile' && w.line === 1));
  } finally {
    tree.remove();
  }
});

test('a port in project.toml that matches the hard-coded one silences the port warning', async () => {
  const tree = makeTree({ ...app, 'project.toml': '[im.backend]\nport = 3000\n' });
  try {
    const plan = await detect(tree.dir);
    assert.is(plan.port.value, 3000);
    assert.is(plan.port.hardcoded, 3000);
    assert.equal(plan.port.evidence[0], { file: 'project.toml', line: 2, reason: 'project.toml [im.backend] port = 3000: the platform sets PORT=3000' });
    assert.not.ok(plan.warnings.some((w) => w.code === 'PORT_HARDCODED'));
  } finally {
    tree.remove();
  }
});

test('with a Heroku builder, [im.backend] start without a Procfile is a warning', async () => {
  const { Procfile: _dropped, ...noProcfile } = app;
  const tree = makeTree({ ...noProcfile, 'project.toml': '[io.buildpacks]\nbuilder = "heroku/builder:24"\n[im.backend]\nstart = "node a.js"\n' });
  try {
    const plan = await detect(tree.dir);
    assert.is(plan.start.value, 'node a.js');
    assert.is(plan.buildEnv.value.BP_PROCFILE_DEFAULT_PROCESS, undefined);
    assert.equal(plan.warnings.find((w) => w.code === 'START_NEEDS_PROCFILE')?.hint, 'add a Procfile with the line `web: node a.js`');
  } finally {
    tree.remove();
  }
});

test('an empty test-command turns the tests off', async () => {
  const tree = makeTree({ ...app, 'project.toml': '[im.backend]\ntest-command = ""\n' });
  try {
    assert.is((await detect(tree.dir)).test.value, null);
  } finally {
    tree.remove();
  }
});

test('a bad project.toml is CONFIG_PROJECT_TOML_INVALID with line and column', async () => {
  const tree = makeTree({ ...app, 'project.toml': '[io.buildpacks]\nbuilder = "x"\nbuilder = "y"\n' });
  try {
    await detect(tree.dir);
    assert.unreachable('detect should fail');
  } catch (error) {
    if (!isBimError(error)) throw error;
    assert.is(error.code, 'CONFIG_PROJECT_TOML_INVALID');
    assert.match(error.message, /^project\.toml:3:\d+: not valid TOML/);
  } finally {
    tree.remove();
  }
});

test.run();
