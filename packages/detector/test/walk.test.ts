/** The tree walk on real folders: ignored folders, virtualenvs, symlinks, special files, limits. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { walkTree } from '@bim-pack/detector';
import { makeTree } from './support/tree.js';

test('never lists files inside dependency, VCS, virtualenv or build-output folders', async () => {
  const tree = makeTree({
    'package.json': '{}',
    'src/index.js': '',
    'node_modules/express/package.json': '{}',
    'apps/web/node_modules/react/index.js': '',
    '.git/HEAD': 'ref: refs/heads/main',
    'vendor/autoload.php': '',
    '.venv/lib/site.py': '',
    'venv/bin/python': '',
    'pyenv-custom/pyvenv.cfg': 'home = /usr/bin',
    'pyenv-custom/lib/x.py': '',
    'target/classes/App.class': '',
    'build/index.html': '',
    'dist/main.js': '',
    'app/__pycache__/x.pyc': '',
    '.next/server.js': '',
  });
  try {
    const { files, warnings } = await walkTree(tree.dir);
    assert.equal(files, ['package.json', 'src/index.js']);
    assert.equal(warnings, []);
  } finally {
    tree.remove();
  }
});

test('symlink loops neither recurse nor crash; broken links become warnings', async () => {
  const tree = makeTree({ 'package.json': '{}', 'real.txt': 'x' });
  try {
    symlinkSync('.', join(tree.dir, 'self'));          // folder loop: never followed
    symlinkSync('b', join(tree.dir, 'a'));             // a -> b -> a: ELOOP
    symlinkSync('a', join(tree.dir, 'b'));
    symlinkSync('real.txt', join(tree.dir, 'alias.txt'));
    const { files, warnings } = await walkTree(tree.dir);
    assert.equal(files, ['alias.txt', 'package.json', 'real.txt']);
    assert.equal(warnings.map((w) => [w.code, w.file]), [['BROKEN_SYMLINK', 'a'], ['BROKEN_SYMLINK', 'b']]);
    assert.match(warnings[0]!.message, /ELOOP/);
  } finally {
    tree.remove();
  }
});

test('a FIFO is skipped, not opened (opening it would block)', async () => {
  const tree = makeTree({ 'package.json': '{}' });
  try {
    execFileSync('mkfifo', [join(tree.dir, 'server.js')]);
    const { files } = await walkTree(tree.dir);
    assert.equal(files, ['package.json']);
  } finally {
    tree.remove();
  }
});

test('depth and file-count limits bound the walk and say so', async () => {
  const tree = makeTree();
  try {
    for (let i = 0; i < 30; i++) writeFileSync(join(tree.dir, `f${i}.txt`), '');
    mkdirSync(join(tree.dir, 'a/b/c/d'), { recursive: true });
    writeFileSync(join(tree.dir, 'a/b/c/d/deep.txt'), '');
    const limited = await walkTree(tree.dir, { maxDepth: 12, maxFiles: 10 });
    assert.is(limited.files.length, 10);
    assert.equal(limited.warnings.map((w) => w.code), ['WALK_TRUNCATED']);
    const shallow = await walkTree(tree.dir, { maxDepth: 2, maxFiles: 1000 });
    assert.not.ok(shallow.files.includes('a/b/c/d/deep.txt'));
  } finally {
    tree.remove();
  }
});

test.run();
