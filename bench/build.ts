/**
 * Build bench: the orchestration overhead of `bim-pack build` (detect, fingerprint, pack version
 * check, report and engine checks) against calling the pack stand-in directly with the same
 * arguments, interleaved in one run; the skip path (same fingerprint); then the fingerprint of a
 * 50,000-file tree (bench/fingerprint.ts).
 * Run: build the CLI (pnpm -r run build), then node --conditions=source --import tsx bench/build.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBaseImages, packStandinEnv, requireDocker } from '@bim-pack/test-support';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/cli/dist/bin.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const image = `bim-bench/build-${process.pid}`;
const env = packStandinEnv({ BIM_REGISTRY_PASSWORD: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined }) as NodeJS.ProcessEnv;

function timed(cmd: string, args: string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1e8 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await requireDocker();
await ensureBaseImages();
const app = mkdtempSync(join(tmpdir(), 'bim-build-bench-'));
writeFileSync(join(app, 'index.html'), '<h1>bench</h1>\n');
try {
  const first = JSON.parse(timed('node', [bin, 'build', app, '--image', image, '--force', '--json']).stdout) as { packArgs: string[] };
  const direct: number[] = [];
  const cli: number[] = [];
  const skip: number[] = [];
  for (let i = 0; i < runs; i++) {
    const reportDir = mkdtempSync(join(tmpdir(), 'bim-bench-report-'));
    const args = [...first.packArgs];
    args[args.indexOf('--report-output-dir') + 1] = reportDir;
    direct.push(timed('pack', args).ms);
    rmSync(reportDir, { recursive: true, force: true });
    cli.push(timed('node', [bin, 'build', app, '--image', image, '--force', '--json']).ms);
    skip.push(timed('node', [bin, 'build', app, '--image', image, '--json']).ms);
  }
  // One more run with --progress json: where bim-pack's own time goes.
  const traced = spawnSync('node', [bin, 'build', app, '--image', image, '--force', '--progress', 'json'], { env, encoding: 'utf8' });
  const events = traced.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; elapsedMs: number; message?: string; stage?: string });
  const d = median(direct);
  console.log(`build bench: ${runs} interleaved runs, local (engine) builds of a static app with the pack stand-in`);
  console.log(`  pack stand-in directly     median ${d.toFixed(0).padStart(6)} ms`);
  console.log(`  bim-pack build --force     median ${median(cli).toFixed(0).padStart(6)} ms   overhead ${(median(cli) - d).toFixed(0)} ms, ratio ${(median(cli) / d).toFixed(2)}x`);
  console.log(`  bim-pack build (skip path) median ${median(skip).toFixed(0).padStart(6)} ms   ratio to a pack run ${(median(skip) / d).toFixed(2)}x`);
  console.log('  timeline of one traced bim-pack build (ms since start):');
  for (const e of events) console.log(`    ${String(e.elapsedMs).padStart(6)}  ${e.type} ${(e.message ?? e.stage ?? '').slice(0, 60)}`);
} finally {
  rmSync(app, { recursive: true, force: true });
  const ids = spawnSync('docker', ['images', '-q', image], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  if (ids.length) spawnSync('docker', ['rmi', '-f', ...new Set(ids)]);
}

const fp = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, 'bench/fingerprint.ts')], { stdio: 'inherit', cwd: root });
process.exitCode = fp.status ?? 1;
