// Runs the uvu suites of every package, one process per test file (so one file's
// leftovers cannot hang another), and ends with the line "N passed, N failed".
// Usage: node scripts/run-tests.mjs [filter-regex]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
};
for (const pkg of readdirSync(join(root, 'packages'))) {
  const testDir = join(root, 'packages', pkg, 'test');
  try { statSync(testDir); } catch { continue; }
  walk(testDir);
}
const selected = files.sort().filter((f) => !filter || filter.test(relative(root, f)));
let passed = 0, failed = 0, skipped = 0;
const failures = [];
// A file that fails is run once more; passing then, it counts as passed but is listed as
// flaky at the end, so timing-sensitive tests get fixed rather than silently retried.
const flaky = [];
function runFile(file) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
    cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 15 * 60_000,
  });
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const num = (label) => Number(out.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? 0);
  const total = num('Total'), ok = num('Passed'), skip = num('Skipped');
  // A file that ran nothing (and skipped nothing) failed to load: that is a failure, not a pass.
  const bad = result.status !== 0 || total + skip === 0 ? Math.max(total - ok, 1) : total - ok;
  return { out, total, ok, skip, bad, secs: ((Date.now() - started) / 1000).toFixed(1) };
}
for (const file of selected) {
  const rel = relative(root, file);
  let run = runFile(file);
  if (run.bad) {
    console.log(`FAIL ${rel} (${run.ok}/${run.total}, ${run.secs}s), running it once more`);
    console.log(run.out.split('\n').slice(-60).join('\n'));
    const again = runFile(file);
    if (!again.bad) flaky.push(rel);
    run = again;
  }
  passed += run.ok; failed += run.bad; skipped += run.skip;
  console.log(`${run.bad ? 'FAIL' : 'ok  '} ${rel} (${run.ok}/${run.total}, ${run.secs}s)`);
  if (run.bad) { failures.push(rel); console.log(run.out.split('\n').slice(-60).join('\n')); }
}
if (flaky.length) console.log(`\nflaky (failed once, passed on the second run; fix them):\n  ${flaky.join('\n  ')}`);
if (failures.length) console.log(`\nfailed files:\n  ${failures.join('\n  ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || selected.length === 0 ? 1 : 0);
