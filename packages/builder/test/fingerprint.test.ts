import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, utimes, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintSource, listBuildFiles } from '@bim-pack/builder';

let dir: string;
const put = async (rel: string, text: string) => {
  await mkdir(join(dir, rel, '..'), { recursive: true });
  await writeFile(join(dir, rel), text);
};

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bim-fp-'));
  await put('.gitignore', 'node_modules/\n*.log\n');
  await put('src/index.js', 'a');
  await put('src/.gitignore', 'generated/\n!keep.log\n');
  await put('src/generated/out.js', 'g');
  await put('src/keep.log', 'k');
  await put('node_modules/x/index.js', 'n');
  await put('debug.log', 'd');
  await put('.git/HEAD', 'ref');
  await put('README.md', 'r');
});
test.after.each(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('files: .gitignore files (nested, with negation) apply and .git is left out', () => {
  assert.equal(listBuildFiles({ appDir: dir }), ['.gitignore', 'README.md', 'src/.gitignore', 'src/index.js', 'src/keep.log']);
});

test('project.toml exclude and include use gitignore patterns', () => {
  assert.equal(listBuildFiles({ appDir: dir, exclude: ['*.md', '/src/keep.log'] }), ['.gitignore', 'src/.gitignore', 'src/index.js']);
  assert.equal(listBuildFiles({ appDir: dir, include: ['src/**', '!*.log'] }), ['src/.gitignore', 'src/index.js']);
});

test('the hash follows content and context, not ignored files', async () => {
  const a = await fingerprintSource({ appDir: dir, context: { builder: 'b1' } });
  assert.is(a.files, 5);
  await put('debug.log', 'changed');
  await put('node_modules/x/index.js', 'changed');
  assert.is((await fingerprintSource({ appDir: dir, context: { builder: 'b1' } })).hash, a.hash);
  assert.is.not((await fingerprintSource({ appDir: dir, context: { builder: 'b2' } })).hash, a.hash);
  await put('src/index.js', 'b');
  assert.is.not((await fingerprintSource({ appDir: dir, context: { builder: 'b1' } })).hash, a.hash);
});

test('the stat cache reuses hashes of old files and still sees a same-size edit', async () => {
  const cacheFile = join(dir, '..', `${dir.split('/').pop()}-cache.json`);
  try {
    const old = new Date(Date.now() - 60_000);
    for (const f of ['.gitignore', 'README.md', 'src/.gitignore', 'src/index.js', 'src/keep.log']) await utimes(join(dir, f), old, old);
    // ctime cannot be set back: wait until it is older than the racy window.
    const ctime = (await stat(join(dir, 'README.md'))).ctimeMs;
    await new Promise((r) => setTimeout(r, Math.max(0, ctime + 3_100 - Date.now())));
    const first = await fingerprintSource({ appDir: dir, cacheFile });
    assert.is(first.cached, 0);
    const second = await fingerprintSource({ appDir: dir, cacheFile });
    assert.is(second.cached, 5);
    assert.is(second.hash, first.hash);
    await writeFile(join(dir, 'src/index.js'), 'z');
    await utimes(join(dir, 'src/index.js'), old, old); // same size, same mtime: ctime and content still tell
    const third = await fingerprintSource({ appDir: dir, cacheFile });
    assert.is(third.cached, 4);
    assert.is.not(third.hash, first.hash);
  } finally {
    await rm(cacheFile, { force: true });
  }
});

test.run();
