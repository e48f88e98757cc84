import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { VERSION } from '../src/version.js';

const bin = new URL('../dist/bin.js', import.meta.url).pathname;

test('VERSION equals package.json version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.is(VERSION, pkg.version);
});

test('--version prints the version from the built CLI', async () => {
  const r = await execa('node', [bin, '--version']);
  assert.is(r.stdout, `bim-pack/${VERSION}`);
});

test('an unknown flag is a usage error with a hint and exit code 2', async () => {
  const r = await execa('node', [bin, 'detect', '--no-such-flag'], { reject: false });
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /^error USAGE_BAD_FLAG: Unknown option `--noSuchFlag`|^error USAGE_BAD_FLAG: Unknown option/m);
  assert.match(r.stderr, /^hint: /m);
  assert.not.match(r.stderr, /    at /);
});

test('--json error is one JSON document on stdout', async () => {
  const r = await execa('node', [bin, 'detect', '--bogus', '--json'], { reject: false });
  const doc = JSON.parse(r.stdout);
  assert.is(doc.ok, false);
  assert.is(doc.error.code, 'USAGE_BAD_FLAG');
});

test.run();
