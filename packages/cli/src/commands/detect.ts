/**
 * `bim-pack detect [dir] [--path p]`: reads the app folder and prints its plan.
 * People get one line per decision with its evidence; --json gets { plan }.
 */
import { resolve } from 'node:path';
import type { Evidence, Plan } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';

/** Runs detection and returns the plan as data and as readable lines. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const { detect } = await import('@bim-pack/detector');
  const asked = args[0] ?? '.';
  const path = options.path === undefined ? undefined : String(options.path);
  const plan = await detect(resolve(context.cwd, asked), { reporter: context.reporter, ...(path !== undefined ? { path } : {}) });
  return { data: { plan }, lines: formatPlan(plan) };
}

const where = (e: { file?: string | undefined; line?: number | undefined }) => (e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : '');
const because = (evidence: Evidence[]) => {
  const parts = evidence.slice(0, 2).map((e) => (where(e) ? `${where(e)} ${e.reason}` : e.reason));
  const more = evidence.length > 2 ? ` (+${evidence.length - 2} more)` : '';
  return parts.length ? `  <- ${parts.join('; ')}${more}` : '';
};
const show = (value: unknown) => (value === null ? '-' : typeof value === 'string' ? value : JSON.stringify(value));

/** The plan for people: one line per decision with its evidence, then apps and warnings. */
export function formatPlan(plan: Plan): string[] {
  const row = (label: string, value: unknown, evidence: Evidence[] = []) => `${label.padEnd(15)} ${show(value)}${because(evidence)}`;
  const env = Object.entries(plan.buildEnv.value).map(([k, v]) => `${k}=${v}`).join(' ');
  const portNote = plan.port.honoursPortEnv === true ? 'app reads PORT' : plan.port.honoursPortEnv === false ? 'app ignores PORT' : 'unknown if the app reads PORT';
  const lines = [
    row('app', plan.app.value, plan.app.evidence),
    row('path', plan.path),
    row('language', plan.language.value, plan.language.evidence),
    row('package manager', plan.packageManager.value, plan.packageManager.evidence),
    row('framework', plan.framework.value, plan.framework.evidence),
    row('runtime', plan.runtimeVersion.value, plan.runtimeVersion.evidence),
    row('build', plan.buildCommand.value, plan.buildCommand.evidence),
    row('start', plan.start.value, plan.start.evidence),
    row('test', plan.test.value, plan.test.evidence),
    row('port', `PORT=${plan.port.value} (${portNote}${plan.port.hardcoded ? `, hard-coded ${plan.port.hardcoded}` : ''})`, plan.port.evidence.slice(1)),
    row('builder', plan.builder.value, plan.builder.evidence),
    row('buildpacks', plan.buildpacks.value.length ? plan.buildpacks.value.join(' ') : '(builder order)', plan.buildpacks.evidence),
    row('build env', env || '-', plan.buildEnv.evidence),
    row('health check', plan.healthCheckPath),
  ];
  if (plan.envNames.length) lines.push(row('env names', plan.envNames.join(' ')));
  if (plan.smoke.length) lines.push(row('smoke', plan.smoke.map((s) => `${s.path} -> ${s.status}${s.contains ? ` "${s.contains}"` : ''}`).join(', ')));
  if (plan.include.length) lines.push(row('include', plan.include.join(' ')));
  if (plan.exclude.length) lines.push(row('exclude', plan.exclude.join(' ')));
  if (plan.dockerfile.present) lines.push(row('dockerfile', `${plan.dockerfile.file}: ${plan.dockerfile.note}`));
  if (plan.projectToml) lines.push(row('project.toml', plan.projectToml));
  if (plan.apps.length) {
    lines.push('', `apps in this folder (${plan.apps.length}):`);
    for (const app of plan.apps) lines.push(`  ${app.path.padEnd(24)} ${app.name.padEnd(20)} ${app.language ?? '?'}${app.path === plan.path ? '  (this plan)' : `  (--path ${app.path})`}`);
  }
  if (plan.warnings.length) {
    lines.push('', `warnings (${plan.warnings.length}):`);
    for (const w of plan.warnings) {
      lines.push(`  ${w.code}${where(w) ? ` ${where(w)}` : ''}: ${w.message}`);
      if (w.hint) lines.push(`    hint: ${w.hint}`);
    }
  }
  return lines;
}
