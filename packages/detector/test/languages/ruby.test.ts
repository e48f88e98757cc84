import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ruby } from '../../src/languages/ruby.js';
import { complete, openApp, openFixture, writeApp } from './app-files.js';

test('rails: rails server on $PORT, .ruby-version pin, assets, rails test', async () => {
  const app = await openFixture('ruby-rails');
  assert.is(ruby.score(app), 12);
  const f = complete(await ruby.detect(app, null));
  assert.is(f.framework.value, 'rails');
  assert.is(f.packageManager.value, 'bundler');
  assert.is(f.runtimeVersion.value, '3.3.4');
  assert.is(f.start.value, 'bundle exec rails server -b 0.0.0.0 -p ${PORT:-8080} -e production');
  assert.equal(f.buildEnv.value, { BP_PROCFILE_DEFAULT_PROCESS: 'bundle exec rails server -b 0.0.0.0 -p ${PORT:-8080} -e production', BP_MRI_VERSION: '3.3.4' });
  assert.is(f.buildCommand.value, 'bundle exec rails assets:precompile');
  assert.is(f.test.value, 'bundle exec rails test');
  assert.equal(app.warnings, []);
});

test('sinatra with config.ru and puma: Gemfile ruby line, rspec', async () => {
  const f = complete(await ruby.detect(await openFixture('ruby-sinatra'), null));
  assert.is(f.framework.value, 'sinatra');
  assert.is(f.start.value, 'bundle exec puma -b tcp://0.0.0.0:${PORT:-8080}');
  assert.equal(f.runtimeVersion.evidence, [{ file: 'Gemfile', line: 3, reason: 'the ruby line pins Ruby' }]);
  assert.is(f.buildEnv.value.BP_MRI_VERSION, '3.2.4');
  assert.is(f.test.value, 'bundle exec rspec');
});

test('classic sinatra file, no lock, no server gem: runs itself, warns about the lock', async () => {
  const { dir, cleanup } = writeApp({ Gemfile: "source 'https://rubygems.org'\ngem 'sinatra'\n", 'hello.rb': "require 'sinatra'\nget('/') { 'hi' }\n" });
  try {
    const app = await openApp(dir);
    const f = complete(await ruby.detect(app, null));
    assert.is(f.start.value, 'bundle exec ruby hello.rb -o 0.0.0.0 -p ${PORT:-8080}');
    assert.equal(app.warnings.map((w) => w.code), ['RUBY_LOCK_MISSING']);
  } finally { cleanup(); }
});

test('rack app without a server gem: rackup, and a warning to add puma', async () => {
  const { dir, cleanup } = writeApp({ Gemfile: "gem 'rack'\n", 'Gemfile.lock': 'GEM\n', 'config.ru': 'run ->(env) { [200, {}, ["ok"]] }\n' });
  try {
    const app = await openApp(dir);
    const f = complete(await ruby.detect(app, null));
    assert.is(f.framework.value, 'rack');
    assert.is(f.start.value, 'bundle exec rackup -o 0.0.0.0 -p ${PORT:-8080}');
    assert.equal(app.warnings.map((w) => [w.code, w.hint]), [['RUBY_SERVER_MISSING', 'bundle add puma']]);
  } finally { cleanup(); }
});

test.run();
