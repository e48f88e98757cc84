/** Runs a described `pack build`: version check, private DOCKER_CONFIG, streamed output, classified failure. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BimError, Redactor, type Reporter } from '@bim-pack/shared';
import { createTempDockerConfig, type RegistryCredentials } from './credentials.js';
import { runStreamed, runTool } from './exec.js';
import { classifyPackFailure } from './pack-failure.js';
import { checkPackVersion } from './pack-version.js';
import { readPackReport, type PackReport } from './report.js';

/** Lines of pack's output shown when it fails. */
export const TAIL_LINES = 40;

/** Runs `pack --version` and checks it (BUILD_PACK_MISSING / BUILD_PACK_TOO_OLD). */
export async function findPack(env: Record<string, string | undefined>, signal?: AbortSignal): Promise<string> {
  const run = await runTool('pack', ['--version'], { env, signal, timeoutMs: 30_000 });
  return checkPackVersion(run);
}

/** What running pack needs besides the argv. */
export interface RunPackOptions {
  env: Record<string, string | undefined>;
  credentials: RegistryCredentials | null;
  redactor: Redactor;
  reporter: Reporter;
  signal?: AbortSignal | undefined;
  /** For error messages. */
  builder: string;
  image: string;
  registry: string;
  onCleanup?: ((fn: () => Promise<void>) => void) | undefined;
}

/** Makes an empty folder for report.toml (pack would write a *file* if it did not exist). */
export async function makeReportDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'bim-pack-report-'));
}

/**
 * Runs pack with argv (which must include --report-output-dir reportDir) and returns its report.
 * The temporary DOCKER_CONFIG is removed when pack ends, also on abort.
 */
export async function runPack(argv: string[], reportDir: string, options: RunPackOptions): Promise<{ report: PackReport; lines: number }> {
  const { reporter, redactor } = options;
  const env: Record<string, string | undefined> = { ...options.env };
  const config = options.credentials ? await createTempDockerConfig(options.credentials, options.env) : null;
  if (config) {
    options.onCleanup?.(config.remove);
    env.DOCKER_CONFIG = config.dir;
  }
  const tail: string[] = [];
  let count = 0;
  try {
    const { exitCode, notFound } = await runStreamed('pack', argv, {
      env,
      signal: options.signal,
      onLine: (raw) => {
        const line = redactor.redact(raw);
        count++;
        tail.push(line);
        if (tail.length > 200) tail.shift();
        reporter.output('pack', line);
      },
    });
    if (options.signal?.aborted) throw options.signal.reason ?? new BimError('INTERRUPTED', 'interrupted');
    if (notFound) checkPackVersion({ notFound: true, exitCode: -1, stdout: '' });
    if (exitCode !== 0) {
      const last = tail.slice(-TAIL_LINES);
      reporter.warn(`pack exited with ${exitCode}; its last ${last.length} lines:`);
      for (const line of last) reporter.info(`  | ${line}`);
      throw classifyPackFailure({ exitCode, tail: last, builder: options.builder, image: options.image, registry: options.registry });
    }
    return { report: await readPackReport(reportDir, tail), lines: count };
  } finally {
    await config?.remove();
  }
}

/** Removes the report folder (best effort). */
export async function removeReportDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
