/** Choosing the app folder: workspace roots, service folders, --path, and what is not an app. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detect } from '@bim-pack/detector';
import { isBimError } from '@bim-pack/shared';
import { makeTree } from './support/tree.js';

const json = (value: unknown) => JSON.stringify(value);
const api = { 'package.json': json({ name: '@shop/api', scripts: { start: 'node server.js' }, dependencies: { express: '4' } }), 'server.js': 'app.listen(process.env.PORT)\n' };
const nest = (prefix: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([k, v]) => [`${prefix}/${k}`, v]));

async function withTree<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const tree = makeTree(files);
  try {
    return await fn(tree.dir);
  } finally {
    tree.remove();
  }
}

test('a workspace root with one deployable app and libraries picks the app', async () => {
  await withTree({
    'package.json': json({ private: true, workspaces: ['apps/*', 'packages/*'] }),
    'package-lock.json': '{}',
    ...nest('apps/api', api),
    'packages/utils/package.json': json({ name: '@shop/utils', main: 'index.js' }),
    'packages/utils/index.js': 'module.exports = {};\n',
  }, async (dir) => {
    const plan = await detect(dir);
    assert.is(plan.path, 'apps/api');
    assert.is(plan.app.value, 'api');
    assert.match(plan.language.evidence[0]!.reason, /^the only deployable app under the folder \(package\.json declares workspaces\)/);
    assert.equal(plan.apps.map((a) => [a.path, a.name, a.language]), [['apps/api', 'api', 'node']]);
    // The lockfile lives at the root: relative evidence path and a warning.
    assert.equal(plan.packageManager.evidence[0]!.file, '../../package-lock.json');
    assert.ok(plan.warnings.some((w) => w.code === 'NODE_LOCKFILE_AT_WORKSPACE_ROOT'));
  });
});

test('detect on a member folder finds the workspace root above it, but only if its globs list the folder', async () => {
  await withTree({
    'package.json': json({ private: true, packageManager: 'pnpm@9.15.0' }),
    'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n",
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
    ...nest('apps/api', api),
    ...nest('apps/legacy', api),
    ...nest('tools/api', api),
  }, async (dir) => {
    const member = await detect(`${dir}/apps/api`);
    assert.is(member.packageManager.value, 'pnpm');
    assert.equal(member.packageManager.evidence[0]!.file, '../../package.json');
    assert.match(member.warnings.find((w) => w.code === 'NODE_LOCKFILE_AT_WORKSPACE_ROOT')!.message, /\(\.\.\/\.\.\/pnpm-lock\.yaml\)/);
    for (const outside of ['apps/legacy', 'tools/api']) {
      const plan = await detect(`${dir}/${outside}`);
      assert.is(plan.packageManager.value, 'npm', outside);
      assert.ok(plan.warnings.some((w) => w.code === 'NODE_NO_LOCKFILE'), outside);
    }
  });
});

test('service folders of different languages without workspace files are ambiguous', async () => {
  await withTree({
    ...nest('services/web', { 'index.html': '<h1>hi</h1>' }),
    ...nest('services/api', api),
    ...nest('examples/demo', api),
    ...nest('test/fixtures/app', api),
  }, async (dir) => {
    try {
      await detect(dir);
      assert.unreachable('should be ambiguous');
    } catch (error) {
      if (!isBimError(error)) throw error;
      assert.is(error.code, 'DETECT_AMBIGUOUS_ROOT');
      assert.is(error.message, 'the folder holds 2 apps (several app folders): services/api (node), services/web (static)');
      assert.is(error.hint, 'pick one with --path services/api');
      assert.equal((error.details?.candidates as Array<{ path: string }>).map((c) => c.path), ['services/api', 'services/web']);
    }
    const plan = await detect(dir, { path: 'services/web/' });
    assert.is(plan.path, 'services/web');
    assert.is(plan.language.value, 'static');
    assert.equal(plan.language.evidence[0], { reason: '--path services/web' });
  });
});

test('a root that is an app stays the app; its subfolders are not listed', async () => {
  await withTree({ ...api, 'package-lock.json': '{}', ...nest('client', { 'index.html': '<div id="app"></div>' }) }, async (dir) => {
    const plan = await detect(dir);
    assert.is(plan.path, '.');
    assert.is(plan.language.value, 'node');
    assert.equal(plan.apps, []);
  });
});

test('--path outside the folder or missing is DETECT_APP_NOT_FOUND; a folder with nothing in it is DETECT_NO_APP', async () => {
  await withTree({ ...nest('apps/api', api), 'apps/empty/README.md': '# soon' }, async (dir) => {
    for (const path of ['../elsewhere', 'apps/nope']) {
      try {
        await detect(dir, { path });
        assert.unreachable(path);
      } catch (error) {
        if (!isBimError(error)) throw error;
        assert.is(error.code, 'DETECT_APP_NOT_FOUND', path);
        assert.is(error.hint, 'use one of: --path apps/api');
      }
    }
    try {
      await detect(dir, { path: 'apps/empty' });
      assert.unreachable('empty');
    } catch (error) {
      if (!isBimError(error)) throw error;
      assert.is(error.code, 'DETECT_NO_APP');
    }
  });
});

test('a root with only traces (a library package) is still planned, with a warning for the start', async () => {
  await withTree({ 'package.json': json({ name: 'tiny-lib', main: 'index.js' }), 'index.js': 'module.exports = 1;\n', 'package-lock.json': '{}' }, async (dir) => {
    const plan = await detect(dir);
    assert.is(plan.language.value, 'node');
    assert.is(plan.start.value, null);
    assert.ok(plan.warnings.some((w) => w.code === 'NO_START_COMMAND'));
  });
});

test.run();
