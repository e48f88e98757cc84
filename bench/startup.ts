/**
 * Start-up cost of the built CLI: `bim-pack --version` against a bare `node -e 0`,
 * interleaved in one run so machine noise hits both alike. Prints medians and the ratio.
 * Run: pnpm -r run build && node bench/startup.ts (or via tsx).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 30);

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline: number[] = [];
const cli: number[] = [];
const help: number[] = [];
time(['-e', '0']);
time([bin, '--version']); // warm the file cache
for (let i = 0; i < runs; i++) {
  baseline.push(time(['-e', '0']));
  cli.push(time([bin, '--version']));
  help.push(time([bin, '--help']));
}
const b = median(baseline);
console.log(`runs: ${runs} each, interleaved, node ${process.version}`);
console.log(`node -e 0               median ${b.toFixed(1)} ms`);
console.log(`bim-pack --version      median ${median(cli).toFixed(1)} ms  ratio ${(median(cli) / b).toFixed(2)}x`);
console.log(`bim-pack --help         median ${median(help).toFixed(1)} ms  ratio ${(median(help) / b).toFixed(2)}x`);
