/**
 * Fingerprint speed on a generated 50,000-file tree, against baselines measured in the same
 * run: `find -type f`, a plain recursive readdir walk (async), and reading every file with
 * async readFile (32 in flight, no hashing); "fp cached" is a warm run with the stat cache.
 * Run: node --conditions=source --import tsx bench/fingerprint.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintSource } from '@bim-pack/builder';

const FILES = Number(process.env.BENCH_FILES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_DIR = 100;

async function makeTree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bim-fp-bench-'));
  await writeFile(join(root, '.gitignore'), '*.log\nbuild/\n');
  for (let d = 0; d < FILES / PER_DIR; d++) {
    const dir = join(root, 'src', `m${Math.floor(d / 25)}`, `d${d}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: PER_DIR }, (_, f) =>
      writeFile(join(dir, `f${f}.js`), `// module ${d}/${f}\nexport const value${f} = ${d * PER_DIR + f};\n`.repeat(4))));
  }
  await writeFile(join(root, 'debug.log'), 'ignored\n');
  // Files written just now are too fresh for the stat cache (racy window): date them back.
  await new Promise((r) => setTimeout(r, 3_200));
  return root;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(entries.map((e) => (e.isDirectory() ? walk(join(dir, e.name), out) : (out.push(join(dir, e.name)), undefined))));
}

async function readAll(root: string): Promise<number> {
  const files: string[] = [];
  await walk(root, files);
  let next = 0;
  let bytes = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < files.length) bytes += (await readFile(files[next++]!)).length;
  }));
  return bytes;
}

// Wall time, and this process's CPU time (the machine is shared: CPU time is steadier under load).
const cpu: Record<string, number[]> = {};
const time = async (fn: () => Promise<unknown> | unknown, name?: string) => {
  const start = process.hrtime.bigint();
  const used = process.cpuUsage();
  await fn();
  const u = process.cpuUsage(used);
  if (name) (cpu[name] ??= []).push((u.user + u.system) / 1000);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const root = await makeTree();
try {
  const results = { find: [] as number[], walk: [] as number[], read: [] as number[], fingerprint: [] as number[], 'fp cached': [] as number[] };
  const cacheFile = `${root}-cache.json`;
  let covered = 0;
  await fingerprintSource({ appDir: root }); // warm the page cache for every contender alike
  for (let i = 0; i < RUNS; i++) {
    results.find.push(await time(() => spawnSync('find', [root, '-type', 'f'], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1e9 })));
    results.walk.push(await time(() => walk(root, []), 'walk'));
    results.read.push(await time(() => readAll(root), 'read'));
    results.fingerprint.push(await time(async () => { covered = (await fingerprintSource({ appDir: root })).files; }, 'fingerprint'));
    if (i === 0) await fingerprintSource({ appDir: root, cacheFile }); // fills the stat cache
    results['fp cached'].push(await time(() => fingerprintSource({ appDir: root, cacheFile }), 'fp cached'));
  }
  const fp = median(results.fingerprint);
  console.log(`fingerprint bench: ${FILES} files generated, ${covered} covered (.gitignore applied), ${RUNS} interleaved runs, node ${process.version}`);
  for (const [name, xs] of Object.entries(results)) {
    const c = cpu[name] ? `   cpu ${median(cpu[name]!).toFixed(0).padStart(6)} ms` : '';
    console.log(`  ${name.padEnd(12)} wall median ${median(xs).toFixed(0).padStart(6)} ms   fingerprint/${name} ${(fp / median(xs)).toFixed(2)}x${c}`);
  }
} finally {
  await rm(root, { recursive: true, force: true });
  await rm(`${root}-cache.json`, { force: true });
}
