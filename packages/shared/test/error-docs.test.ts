import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, EXIT } from '@bim-pack/shared';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

test('docs/errors.md describes every error code, under its exit class', () => {
  const sections = docs.split(/^## /m).slice(1);
  for (const [code, klass] of Object.entries(ERROR_CODES)) {
    const section = sections.find((s) => s.startsWith(`${klass} (exit ${EXIT[klass]})`));
    assert.ok(section, `docs/errors.md has no section "${klass} (exit ${EXIT[klass]})"`);
    assert.match(section!, `| \`${code}\` |`, `${code} is missing under ${klass}`);
  }
});

test('docs/errors.md lists no code that does not exist', () => {
  const listed = [...docs.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
  for (const code of listed) assert.ok(code in ERROR_CODES, `${code} is documented but not defined`);
});

test.run();
