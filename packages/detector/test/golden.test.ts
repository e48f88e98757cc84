/** Every fixture's plan against its golden file, field by field. UPDATE_GOLDEN=1 rewrites them. */
import { test } from 'uvu';
import { compareGolden, listGoldenCases, runCase } from './support/golden.js';

const cases = listGoldenCases();

test('there are fixtures to check', () => {
  if (!process.env.GOLDEN && cases.length < 10) throw new Error(`only ${cases.length} fixtures found`);
});

for (const c of cases) {
  test(`golden: ${c.name}`, async () => {
    const diffs = compareGolden(c, await runCase(c));
    if (diffs.length) throw new Error(diffs.join('\n'));
  });
}

test.run();
