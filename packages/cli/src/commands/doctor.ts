/**
 * `bim-pack doctor [dir]`: checks pack, Docker, registry credentials, the target and token, the
 * builder, git and project.toml. Exit 0 when nothing fails (with --strict, nothing warns
 * either); otherwise DOCTOR_CHECKS_FAILED (exit 10), reported as data, not thrown.
 */
import { EXIT } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';
import { formatChecks } from '../doctor/format.js';
import { runDoctor } from '../doctor/run-doctor.js';
import type { DoctorResult } from '../doctor/schema.js';

const str = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : String(value));

/** Runs every check and returns them as data and lines. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const { resolve } = await import('node:path');
  context.reporter.stage('doctor', 'checking pack, Docker, registry, target, builder, git, project.toml');
  const checks = await runDoctor({
    dir: resolve(context.cwd, args[0] ?? '.'), path: str(options.path), target: str(options.target), image: str(options.image),
    env: process.env, signal: context.signal,
  });
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status]++;
  const ok = counts.fail === 0 && !(options.strict && counts.warn > 0);
  const failing = checks.filter((c) => c.status === 'fail' || (options.strict && c.status === 'warn')).map((c) => c.id);
  const data: Omit<DoctorResult, 'ok' | 'command'> = { checks, counts };
  if (!ok) {
    data.error = { code: 'DOCTOR_CHECKS_FAILED', message: `doctor: ${failing.join(', ')} did not pass`, hint: 'fix each failing check with the hint under it, then run `bim-pack doctor` again' };
  }
  return { data, lines: formatChecks(checks, ok), ...(ok ? {} : { exitCode: EXIT.checks }) };
}
