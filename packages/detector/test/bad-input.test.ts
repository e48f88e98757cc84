/**
 * detect() on broken trees: each case ends in a clear BimError or a plan warning, never a crash.
 * Unreadable files: the suite usually runs as root, for whom chmod 000 changes nothing, so that
 * case runs detection in a child process switched to the unprivileged user "nobody".
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, openSync, ftruncateSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { detect } from '@bim-pack/detector';
import { isBimError } from '@bim-pack/shared';
import { makeTree } from './support/tree.js';

const SERVER = "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 3000);\n";

async function detectError(dir: string, options = {}): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await detect(dir, options);
  } catch (error) {
    if (isBimError(error)) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
    throw error;
  }
  throw new Error('detect did not fail');
}

test('a path that does not exist is DETECT_PATH_NOT_FOUND', async () => {
  const error = await detectError('/tmp/bim-no-such-folder-4711');
  assert.is(error.code, 'DETECT_PATH_NOT_FOUND');
  assert.ok(error.hint);
});

test('an empty folder is DETECT_NO_APP with a hint naming what to add', async () => {
  const tree = makeTree();
  try {
    const error = await detectError(tree.dir);
    assert.is(error.code, 'DETECT_NO_APP');
    assert.match(error.message, /is empty/);
    assert.match(error.hint ?? '', /package\.json.*requirements\.txt.*Procfile/);
  } finally {
    tree.remove();
  }
});

test('a folder of only dependencies counts as empty', async () => {
  const tree = makeTree({ 'node_modules/left-pad/package.json': '{"name":"left-pad","scripts":{"start":"node ."}}' });
  try {
    assert.is((await detectError(tree.dir)).code, 'DETECT_NO_APP');
  } finally {
    tree.remove();
  }
});

test('package.json that is not JSON is a warning with its line; detection goes on', async () => {
  const tree = makeTree({ 'package.json': '{\n  "name": "shop",\n  "scripts": { "start": "node server.js", }\n}\n', 'server.js': SERVER });
  try {
    const plan = await detect(tree.dir);
    assert.is(plan.language.value, 'node');
    assert.is(plan.start.value, 'node server.js');
    const warning = plan.warnings.find((w) => w.code === 'FILE_INVALID_JSON');
    assert.ok(warning);
    assert.is(warning.file, 'package.json');
    assert.is(warning.line, 3);
  } finally {
    tree.remove();
  }
});

test('binary junk in package.json is a warning, not a crash', async () => {
  const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
  const tree = makeTree({ 'package.json': junk, 'server.js': SERVER, 'logo.png': junk });
  try {
    const plan = await detect(tree.dir);
    assert.equal(plan.warnings.map((w) => w.code), ['FILE_BINARY', 'NODE_NO_LOCKFILE']);
    assert.is(plan.warnings[0]!.file, 'package.json');
    assert.is(plan.start.value, 'node server.js');
  } finally {
    tree.remove();
  }
});

test('a 200 MB file is never read into memory', async () => {
  const tree = makeTree({ 'package.json': '{"name":"big","scripts":{"start":"node server.js"}}', 'package-lock.json': '{}' });
  try {
    // Sparse: 200 MB of size without 200 MB of disk.
    const fd = openSync(join(tree.dir, 'server.js'), 'w');
    ftruncateSync(fd, 200 * 1024 * 1024);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const plan = await detect(tree.dir);
    const grown = process.memoryUsage().rss - before;
    assert.ok(grown < 50 * 1024 * 1024, `rss grew by ${grown} bytes`);
    assert.ok(Date.now() - started < 2000);
    const warning = plan.warnings.find((w) => w.code === 'FILE_TOO_LARGE');
    assert.ok(warning);
    assert.is(warning.file, 'server.js');
    assert.match(warning.message, /200 MB, above the 1 MB read limit/);
  } finally {
    tree.remove();
  }
});

test('a symlink loop and a dangling package.json link end in a plan with warnings', async () => {
  const tree = makeTree({ 'index.html': '<h1>hi</h1>' });
  try {
    symlinkSync('.', join(tree.dir, 'loop'));
    symlinkSync('missing.json', join(tree.dir, 'package.json'));
    const plan = await detect(tree.dir);
    assert.is(plan.language.value, 'static');
    assert.equal(plan.warnings.map((w) => [w.code, w.file]), [['BROKEN_SYMLINK', 'package.json']]);
  } finally {
    tree.remove();
  }
});

test('an unreadable package.json is a warning (run as an unprivileged user when we are root)', async () => {
  const tree = makeTree({ 'package.json': '{"scripts":{"start":"node server.js"}}', 'server.js': SERVER });
  try {
    chmodSync(join(tree.dir, 'package.json'), 0o000);
    let warnings: Array<{ code: string; file?: string }>;
    if (process.getuid?.() === 0) {
      chownSync(tree.dir, 65534, 65534);
      const script = `const { detect } = await import('@bim-pack/detector'); const plan = await detect(${JSON.stringify(tree.dir)}); console.log(JSON.stringify(plan.warnings));`;
      const child = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: new URL('../', import.meta.url).pathname, encoding: 'utf8', uid: 65534, gid: 65534,
        env: { ...process.env, HOME: '/tmp', TSX_TSCONFIG_PATH: '' },
      });
      assert.is(child.status, 0, child.stderr);
      warnings = JSON.parse(child.stdout.trim().split('\n').pop()!) as typeof warnings;
    } else {
      warnings = (await detect(tree.dir)).warnings;
    }
    const warning = warnings.find((w) => w.code === 'FILE_UNREADABLE');
    assert.ok(warning, JSON.stringify(warnings));
    assert.is(warning.file, 'package.json');
  } finally {
    tree.remove();
  }
});

test.run();
