import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('README.md command reference and exit codes match the built CLI', async () => {
  const r = await execa('node', ['scripts/gen-readme.mjs', '--check'], { cwd: root, reject: false });
  assert.is(r.exitCode, 0, r.stderr || 'README.md is out of date: run node scripts/gen-readme.mjs');
});

test.run();
