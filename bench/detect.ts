/**
 * Detection speed: bim-pack's detect() against @netlify/build-info's getBuildInfo() on the
 * same trees, in one run: every fixture, then a generated monorepo of >= 100,000 files (mostly
 * in node_modules, as in real checkouts), created in a temp folder and deleted afterwards.
 * Prints medians in ms and the ratio (netlify / bim-pack; above 1 means bim-pack is faster).
 * Run: pnpm bench:detect, or node --conditions=source --import tsx bench/detect.ts
 * Env: BENCH_RUNS (default 5), BENCH_FILES (default 100000).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect, walkTree } from '@bim-pack/detector';
import { getBuildInfo } from '@netlify/build-info/node';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time of fn in ms after one warm-up; failures (e.g. an ambiguous root) still count as a finished detection. */
async function time(fn: () => Promise<unknown>): Promise<{ ms: number; outcome: string }> {
  let outcome = 'ok';
  const once = async () => {
    const start = process.hrtime.bigint();
    try { await fn(); } catch (error) { outcome = (error as { code?: string }).code ?? 'error'; }
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  await once();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return { ms: median(samples), outcome };
}

/** Both tools on one tree; returns the row to print. */
async function compare(label: string, dir: string, path?: string): Promise<[string, number, number, string]> {
  const bim = await time(() => detect(dir, path ? { path } : {}));
  const netlify = await time(() => getBuildInfo({ projectDir: path ? join(dir, path) : dir, rootDir: dir }));
  return [label, bim.ms, netlify.ms, bim.outcome === 'ok' ? '' : bim.outcome];
}

/** A monorepo: 2 apps, 20 workspace libraries, a .git folder and node_modules holding the bulk of the files. */
function generateMonorepo(target: number): { dir: string; files: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bim-bench-monorepo-'));
  let files = 0;
  const write = (path: string, content: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
    files++;
  };
  write('package.json', JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['apps/*', 'packages/*'] }, null, 2));
  write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');
  write('turbo.json', '{"tasks":{"build":{}}}');
  write('apps/api/package.json', JSON.stringify({ name: '@bench/api', scripts: { start: 'node server.js', test: 'node --test' }, dependencies: { express: '^4.21.2' } }, null, 2));
  write('apps/api/server.js', "const app = require('express')();\napp.get('/', (q, s) => s.send('ok'));\napp.listen(process.env.PORT || 3000);\n");
  write('apps/web/package.json', JSON.stringify({ name: '@bench/web', scripts: { build: 'vite build' }, devDependencies: { vite: '^6.0.0' } }, null, 2));
  write('apps/web/index.html', '<div id="app"></div><script type="module" src="/src/main.js"></script>');
  write('apps/web/src/main.js', "document.querySelector('#app').textContent = 'hi';");
  for (let i = 0; i < 20; i++) {
    write(`packages/lib-${i}/package.json`, JSON.stringify({ name: `@bench/lib-${i}`, main: 'src/index.js' }));
    for (let j = 0; j < 10; j++) write(`packages/lib-${i}/src/m${j}.js`, `export const v${j} = ${j};\n`);
  }
  for (let i = 0; i < 500; i++) write(`.git/objects/${String(i % 256).padStart(2, '0')}/${i.toString(16).padStart(38, '0')}`, 'x');
  // The bulk: dependency folders at the root and inside each app, like an installed workspace.
  for (let p = 0; files < target; p++) {
    const base = `${p % 5 === 0 ? 'apps/api/' : ''}node_modules/dep-${p}`;
    write(`${base}/package.json`, JSON.stringify({ name: `dep-${p}`, version: '1.0.0', main: 'lib/index.js', scripts: { start: 'node lib/index.js' } }));
    for (let f = 0; f < 99 && files < target; f++) write(`${base}/lib/${f % 3 ? 'util' : 'core'}/f${f}.js`, `module.exports = ${f};\n`);
  }
  return { dir, files };
}

const rows: Array<[string, number, number, string]> = [];
for (const name of readdirSync(fixtures).sort()) {
  if (!statSync(join(fixtures, name)).isDirectory()) continue;
  rows.push(await compare(`fixtures/${name}`, join(fixtures, name)));
}

const target = Number(process.env.BENCH_FILES ?? 100_000);
const started = Date.now();
const mono = generateMonorepo(target);
const cleanup = () => rmSync(mono.dir, { recursive: true, force: true });
process.on('SIGINT', () => { cleanup(); process.exit(130); });
let walked = 0;
try {
  console.log(`generated ${mono.files} files in ${Date.now() - started} ms at ${mono.dir}`);
  walked = (await walkTree(mono.dir)).files.length;
  rows.push(await compare(`monorepo ${mono.files} files: root`, mono.dir));
  rows.push(await compare(`monorepo ${mono.files} files: --path apps/api`, mono.dir, 'apps/api'));
} finally {
  cleanup();
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\n${'tree'.padEnd(width)}  ${'bim-pack ms'.padStart(11)}  ${'netlify ms'.padStart(10)}  ratio   note`);
for (const [label, bim, netlify, note] of rows) {
  console.log(`${label.padEnd(width)}  ${bim.toFixed(2).padStart(11)}  ${netlify.toFixed(2).padStart(10)}  ${(netlify / bim).toFixed(1).padStart(5)}x  ${note}`);
}
const fixtureRows = rows.slice(0, -2);
const sum = (i: 1 | 2) => fixtureRows.reduce((total, row) => total + row[i], 0);
console.log(`\nall ${fixtureRows.length} fixtures: bim-pack ${sum(1).toFixed(1)} ms, @netlify/build-info ${sum(2).toFixed(1)} ms, ratio ${(sum(2) / sum(1)).toFixed(1)}x`);
console.log(`generated monorepo: bim-pack's walk listed ${walked} of ${mono.files} files (dependency and .git folders are never entered)`);
console.log(`medians of ${runs} runs after one warm-up; ratio = @netlify/build-info time / bim-pack time`);
