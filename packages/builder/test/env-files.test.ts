import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoSecretEnvFiles, defaultCacheImage, findShippedEnvFiles } from '@bim-pack/builder';

let dir: string;
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bim-envfiles-'));
  await writeFile(join(dir, '.gitignore'), '.env\n');
  await writeFile(join(dir, '.env'), 'STRIPE_KEY=sk_live_abcdefgh123\nPORT=3000\n');
  await writeFile(join(dir, '.env.example'), 'STRIPE_KEY=\n');
  await mkdir(join(dir, 'api'));
  await writeFile(join(dir, 'api/.env.production'), 'X=1\n');
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('pack ignores .gitignore, so a gitignored .env is still shipped; templates are not', () => {
  assert.equal(findShippedEnvFiles(dir), ['.env', 'api/.env.production']);
  assert.equal(findShippedEnvFiles(dir, undefined, ['.env', '.env.*']), []);
});

test('a shipped .env holding a secret stops the build before pack, naming key and file only', async () => {
  try {
    await assertNoSecretEnvFiles(dir, [{ key: 'STRIPE_KEY', value: 'sk_live_abcdefgh123' }]);
    assert.unreachable();
  } catch (error) {
    const e = error as { code: string; message: string; hint: string };
    assert.is(e.code, 'BUILD_SECRET_IN_IMAGE');
    assert.match(e.message, /^\.env holds the secret STRIPE_KEY/);
    assert.match(e.hint, /exclude = \["\.env"\]/);
    assert.not.ok(`${e.message}${e.hint}`.includes('sk_live_abcdefgh123'));
  }
  await assertNoSecretEnvFiles(dir, [{ key: 'STRIPE_KEY', value: 'sk_live_abcdefgh123' }], undefined, ['.env']);
});

test('CI keeps a registry cache image for published builds only', () => {
  assert.is(defaultCacheImage('ghcr.io/a/b', true, { CI: 'true' }), 'ghcr.io/a/b:build-cache');
  assert.is(defaultCacheImage('ghcr.io/a/b', false, { CI: 'true' }), undefined);
  assert.is(defaultCacheImage('ghcr.io/a/b', true, {}), undefined);
});

test.run();
