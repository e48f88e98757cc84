/** Node decisions on small real trees: package managers, static exports, start commands, ports. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detect } from '@bim-pack/detector';
import { makeTree } from './support/tree.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);
async function planOf(files: Record<string, string>) {
  const tree = makeTree(files);
  try {
    return await detect(tree.dir);
  } finally {
    tree.remove();
  }
}
const server = (pkg: Record<string, unknown>, extra: Record<string, string> = {}) =>
  ({ 'package.json': json({ name: 'svc', scripts: { start: 'node server.js' }, ...pkg }), 'server.js': 'require("http").createServer().listen(process.env.PORT);\n', ...extra });

test('package manager: lockfiles, yarn formats and the packageManager field', async () => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [server({}, { 'package-lock.json': '{}' }), 'npm', 'paketobuildpacks/builder-jammy-base'],
    [server({}, { 'yarn.lock': '# yarn lockfile v1\n' }), 'yarn-classic', 'paketobuildpacks/builder-jammy-base'],
    [server({}, { 'yarn.lock': '__metadata:\n  version: 8\n' }), 'yarn-berry', 'heroku/builder:24'],
    [server({ packageManager: 'yarn@1.22.22' }, { 'yarn.lock': '' }), 'yarn-classic', 'paketobuildpacks/builder-jammy-base'],
    [server({ packageManager: 'pnpm@9.15.0+sha512.abc' }, { 'pnpm-lock.yaml': '' }), 'pnpm', 'heroku/builder:24'],
    [server({}, { 'bun.lockb': '' }), 'bun', 'paketobuildpacks/builder-jammy-base'],
  ];
  for (const [files, manager, builder] of cases) {
    const plan = await planOf(files);
    assert.is(plan.packageManager.value, manager, JSON.stringify(Object.keys(files)));
    assert.is(plan.builder.value, builder, manager);
  }
});

test('several lockfiles and a packageManager/lockfile mismatch are warnings', async () => {
  const several = await planOf(server({}, { 'package-lock.json': '{}', 'yarn.lock': '' }));
  assert.is(several.packageManager.value, 'yarn-classic');
  assert.ok(several.warnings.some((w) => w.code === 'NODE_SEVERAL_LOCKFILES'));
  const mismatch = await planOf(server({ packageManager: 'pnpm@9.0.0' }, { 'package-lock.json': '{}' }));
  assert.is(mismatch.packageManager.value, 'pnpm');
  assert.ok(mismatch.warnings.some((w) => w.code === 'NODE_LOCKFILE_MISMATCH'));
});

test('static exports become nginx sites with the right root', async () => {
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ 'package.json': json({ scripts: { build: 'next build' }, dependencies: { next: '15.0.0' } }), 'next.config.mjs': "export default { output: 'export' };\n" }, 'next', 'out'],
    [{ 'package.json': json({ scripts: { build: 'vite build' }, devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-static': '3' } }) }, 'sveltekit', 'build'],
    [{ 'package.json': json({ scripts: { build: 'nuxt generate' }, dependencies: { nuxt: '3' } }) }, 'nuxt', '.output/public'],
    [{ 'package.json': json({ scripts: { build: 'react-scripts build' }, dependencies: { 'react-scripts': '5' } }), 'public/index.html': '<div id=root>' }, 'create-react-app', 'build'],
  ];
  for (const [files, framework, root] of cases) {
    const plan = await planOf({ ...files, 'package-lock.json': '{}' });
    assert.is(plan.language.value, 'static', framework);
    assert.is(plan.framework.value, framework);
    assert.is(plan.buildEnv.value.BP_WEB_SERVER_ROOT, root, framework);
    assert.is(plan.buildEnv.value.BP_NODE_RUN_SCRIPTS, 'build');
    assert.equal(plan.buildpacks.value, ['paketo-buildpacks/web-servers']);
  }
});

test('a site with a tooling-only package.json is static; a committed nginx.conf replaces the generated one', async () => {
  const site = await planOf({ 'package.json': json({ devDependencies: { prettier: '3' } }), 'package-lock.json': '{}', 'public/index.html': '<h1>hi</h1>', 'nginx.conf': 'events {}\n' });
  assert.is(site.language.value, 'static');
  assert.equal(site.buildEnv.value, {});
  assert.equal(site.buildEnv.evidence[0]?.file, 'nginx.conf');
});

test('astro with a server adapter is a node server, not a static site', async () => {
  const plan = await planOf({ 'package.json': json({ scripts: { build: 'astro build' }, dependencies: { astro: '5', '@astrojs/node': '9' } }), 'package-lock.json': '{}' });
  assert.is(plan.language.value, 'node');
  assert.is(plan.start.value, 'node ./dist/server/entry.mjs');
  assert.is(plan.port.honoursPortEnv, true);
});

test('start: main, then conventional entry files; a library gets none and a warning', async () => {
  const main = await planOf({ 'package.json': json({ main: 'lib/boot.js' }), 'lib/boot.js': 'require("http").createServer().listen(8080);\n', 'package-lock.json': '{}' });
  assert.is(main.start.value, 'node lib/boot.js');
  const app = await planOf({ 'package.json': json({ name: 'a' }), 'app.js': 'require("http").createServer().listen(process.env.PORT);\n', 'package-lock.json': '{}' });
  assert.is(app.start.value, 'node app.js');
  const lib = await planOf({ 'package.json': json({ name: 'lib', main: 'index.js' }), 'index.js': 'module.exports = 1;\n', 'package-lock.json': '{}' });
  assert.is(lib.start.value, null);
  assert.ok(lib.warnings.some((w) => w.code === 'NO_START_COMMAND' && /Procfile/.test(w.hint ?? '')));
});

test('dev servers in start and npm\'s test placeholder are caught', async () => {
  const plan = await planOf({ 'package.json': json({ scripts: { start: 'nodemon server.js', test: 'echo "Error: no test specified" && exit 1' } }), 'server.js': '', 'package-lock.json': '{}' });
  assert.ok(plan.warnings.some((w) => w.code === 'NODE_START_IS_DEV' && w.line === 3));
  assert.is(plan.test.value, null);
});

test('port: env with fallback, hard-coded listen in an imported file, --port flag, database ports ignored', async () => {
  const fallback = await planOf(server({}, { 'server.js': 'const port = process.env.PORT ?? 3000;\napp.listen(port);\n' }));
  assert.equal([fallback.port.honoursPortEnv, fallback.port.hardcoded], [true, null]);
  const imported = await planOf(server({}, { 'server.js': "import { start } from './src/http.js';\nstart();\n", 'src/http.js': 'export const start = () => app.listen(5050);\n' }));
  assert.equal([imported.port.honoursPortEnv, imported.port.hardcoded], [false, 5050]);
  assert.equal(imported.warnings.find((w) => w.code === 'PORT_HARDCODED')?.file, 'src/http.js');
  const flag = await planOf({ 'package.json': json({ scripts: { start: 'next start -p 3001' }, dependencies: { next: '15' } }), 'package-lock.json': '{}' });
  assert.equal([flag.port.honoursPortEnv, flag.port.hardcoded], [false, 3001]);
  const db = await planOf(server({}, { 'server.js': "const db = connect({ host: 'db', port: 5432 });\nhttp.createServer().listen(process.env.PORT);\n" }));
  assert.equal([db.port.honoursPortEnv, db.port.hardcoded], [true, null]);
});

test('versions: .tool-versions becomes BP_NODE_VERSION; heroku builds warn about pins it does not read', async () => {
  const tool = await planOf(server({}, { 'package-lock.json': '{}', '.tool-versions': 'ruby 3.3.0\nnodejs 20.11.1\n' }));
  assert.is(tool.runtimeVersion.value, '20.11.1');
  assert.equal(tool.runtimeVersion.evidence[0], { file: '.tool-versions', line: 2, reason: '.tool-versions pins nodejs 20.11.1' });
  assert.is(tool.buildEnv.value.BP_NODE_VERSION, '20.11.1');
  const heroku = await planOf(server({ packageManager: 'pnpm@9.0.0' }, { 'pnpm-lock.yaml': '', '.nvmrc': 'v22\n' }));
  assert.is(heroku.runtimeVersion.value, '22');
  assert.ok(heroku.warnings.some((w) => w.code === 'NODE_VERSION_NOT_READ' && w.file === '.nvmrc'));
  const agree = await planOf(server({ engines: { node: '>=20' } }, { 'package-lock.json': '{}', '.nvmrc': '22' }));
  assert.not.ok(agree.warnings.some((w) => w.code === 'NODE_VERSION_CONFLICT'));
});

test('app names become DNS labels', async () => {
  assert.is((await planOf(server({ name: '@Acme/Billing_API.v2' }, { 'package-lock.json': '{}' }))).app.value, 'billing-api-v2');
});

test.run();
