import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { php, toPhpConstraint } from '../../src/languages/php.js';
import { complete, openApp, openFixture, writeApp } from './app-files.js';

test('composer constraints translate to buildpack constraints', () => {
  assert.equal(['^8.2', '~8.1', '>=8.1', '8.3.*', '>=8.1 <8.4', '8.2.4'].map(toPhpConstraint), ['^8.2', '^8.1', '>=8.1', '8.3.*', null, '8.2.4']);
});

test('laravel: jammy-full, nginx, public web root, php constraint, artisan test', async () => {
  const app = await openFixture('php-laravel');
  assert.is(php.score(app), 14);
  const f = complete(await php.detect(app, null));
  assert.is(f.framework.value, 'laravel');
  assert.is(f.builder.value, 'paketobuildpacks/builder-jammy-full');
  assert.equal(f.buildEnv.value, { BP_PHP_SERVER: 'nginx', BP_PHP_VERSION: '^8.2', BP_PHP_WEB_DIR: 'public' });
  assert.is(f.runtimeVersion.value, '^8.2');
  assert.equal(f.runtimeVersion.evidence[0], { file: 'composer.json', line: 7, reason: 'requires php' });
  assert.is(f.test.value, 'php artisan test');
  assert.is(f.name?.value, 'tasks');
});

test('symfony: framework-bundle, composer test script', async () => {
  const f = complete(await php.detect(await openFixture('php-symfony'), null));
  assert.is(f.framework.value, 'symfony');
  assert.is(f.buildEnv.value.BP_PHP_WEB_DIR, 'public');
  assert.is(f.buildEnv.value.BP_PHP_VERSION, '>=8.1');
  assert.is(f.test.value, 'composer test');
});

test('plain index.php, broken composer.json: warning, web root at the app root', async () => {
  const { dir, cleanup } = writeApp({ 'composer.json': '{"require": ', 'index.php': '<?php echo "hi";' });
  try {
    const app = await openApp(dir);
    const f = complete(await php.detect(app, null));
    assert.is(f.framework.value, null);
    assert.is(f.buildEnv.value.BP_PHP_WEB_DIR, '.');
    assert.is(f.runtimeVersion.value, null);
    assert.equal(app.warnings.map((w) => w.code), ['FILE_INVALID_JSON']);
  } finally { cleanup(); }
});

test.run();
