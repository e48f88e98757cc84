/**
 * Orchestration cost of `bim-pack deploy`: for a fixture app on the local target, the total wall
 * time of the CLI process minus the sum of its own stage times (what bim-pack adds around the
 * stages: start-up, imports, process exit), and the ratio wall / stages. The first run starts the
 * local platform and builds; the measured runs redeploy unchanged source (the build is reused).
 * Needs Docker and nginx; the pack stand-in is put first on PATH.
 * Run: pnpm -r run build && node --conditions=source --import tsx bench/deploy.ts
 */
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker, getFreePort, packStandinEnv, uniqueName } from '@bim-pack/test-support';

const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/static-plain', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);

const work = await mkdtemp(join(tmpdir(), 'bim-bench-deploy-'));
await chmod(work, 0o711); // the platform's nginx workers (another user) must reach app sockets below it
const home = join(work, 'home');
const appDir = join(work, 'app');
await cp(fixture, appDir, { recursive: true });
const app = uniqueName('bench').toLowerCase();
const image = `bim-bench/${app}`;
const env = packStandinEnv({ BIM_PACK_HOME: home, BIM_PACK_PROXY_PORT: String(await getFreePort()), CI: '1', NO_COLOR: '1', BACKEND_IM_URL: undefined, BACKEND_IM_TOKEN: undefined });

interface Stage { name: string; durationMs: number; status: string }
/** One deploy; `startupMs`: from spawn to the first stage event (--progress json carries wall-clock times). */
function deploy(): { wallMs: number; stages: Stage[]; totalMs: number; startupMs: number } {
  const spawnedAt = Date.now();
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'deploy', '--target', 'local', '--app', app, '--image', image, '--json', '--progress', 'json'], { cwd: appDir, env, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`deploy exited ${r.status}: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { stages: Stage[]; totalMs: number };
  const first = r.stderr.split('\n').map((l) => { try { return JSON.parse(l) as { type: string; time: string }; } catch { return undefined; } })
    .find((e) => e?.type === 'stage');
  return { wallMs, stages: doc.stages, totalMs: doc.totalMs, startupMs: first ? Date.parse(first.time) - spawnedAt : NaN };
}

function nodeBaseline(): number {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const first = deploy();
  console.log(`first deploy (starts the platform, builds): wall ${first.wallMs.toFixed(0)} ms`);
  const walls: number[] = [];
  const sums: number[] = [];
  const startups: number[] = [];
  const baselines: number[] = [];
  const perStage = new Map<string, number[]>();
  for (let i = 0; i < runs; i++) {
    const run = deploy();
    const sum = run.stages.reduce((s, x) => s + x.durationMs, 0);
    walls.push(run.wallMs);
    sums.push(sum);
    startups.push(run.startupMs);
    baselines.push(nodeBaseline());
    for (const s of run.stages) perStage.set(s.name, [...(perStage.get(s.name) ?? []), s.durationMs]);
  }
  const wall = median(walls);
  const sum = median(sums);
  const overheads = walls.map((w, i) => w - sums[i]!);
  console.log(`redeploys: ${runs}, unchanged source (build reused), node ${process.version}`);
  console.log(`stages (median ms): ${[...perStage].map(([n, xs]) => `${n} ${median(xs)}`).join(', ')}`);
  console.log(`wall time     median ${wall.toFixed(0)} ms`);
  console.log(`sum of stages median ${sum.toFixed(0)} ms`);
  console.log(`overhead      median ${median(overheads).toFixed(0)} ms (wall - stages), ratio wall/stages ${(wall / sum).toFixed(2)}x`);
  console.log(`  of which start-up (spawn to first stage) median ${median(startups).toFixed(0)} ms; \`node -e 0\` median ${median(baselines).toFixed(0)} ms on this machine now`);
} finally {
  const file = await readFile(join(home, 'platform', 'platform.json'), 'utf8').catch(() => undefined);
  if (file) {
    try { process.kill((JSON.parse(file) as { pid: number }).pid, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.app=${app}`]).catch(() => '');
  if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]).catch(() => {});
  const refs = await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', image]).catch(() => '');
  if (refs.trim()) await docker(['rmi', '-f', ...refs.split('\n').filter(Boolean)]).catch(() => {});
  await rm(work, { recursive: true, force: true });
}
