/**
 * Turns a language module's findings into the Plan: the Procfile `web:` line,
 * project.toml overrides, .env.example names, the Dockerfile note and defaults.
 */
import { basename } from 'node:path';
import { type AppCandidate, type Evidence, parseProjectToml, type Plan, PlanSchema, type PlanWarning, type ProjectToml } from '@bim-pack/shared';
import { toDnsLabel } from './names.js';
import { applyProjectToml } from './project-overrides.js';
import { parseProcfile } from './procfile.js';
import type { Score } from './score.js';
import { APP_SCORE, type AppFiles, type Found, type LanguageFindings } from './types.js';

/** The builder when a module names none: Paketo's jammy base builder. */
export const DEFAULT_BUILDER = 'paketobuildpacks/builder-jammy-base';
/** The port the platform sets in PORT and routes to. */
export const DEFAULT_PORT = 8080;

/** Everything assemblePlan needs. */
export interface AssembleInput {
  files: AppFiles;
  appPath: string;
  findings: LanguageFindings;
  winner: Score;
  others: Score[];
  choice: Evidence[];
  apps: AppCandidate[];
  warnings: PlanWarning[];
  workspace: Evidence[];
}

const none = <T>(value: T, reason: string): Found<T> => ({ value, evidence: [{ reason }] });

/** Builds and validates the Plan. Throws CONFIG_PROJECT_TOML_INVALID for a bad project.toml. */
export async function assemblePlan(input: AssembleInput): Promise<Plan> {
  const { files, findings, winner, others, warnings } = input;
  const tomlText = await files.text('project.toml');
  const toml: ProjectToml | null = tomlText === null ? null : parseProjectToml(tomlText, input.appPath === '.' ? 'project.toml' : `${input.appPath}/project.toml`);

  const languageEvidence = [...input.choice, ...findings.language.evidence];
  for (const other of others) {
    languageEvidence.push({ reason: `also looks like ${other.language} (score ${other.score} vs ${winner.score} for ${winner.language})` });
    // A Procfile sits beside most apps and is applied anyway; only a second real language is worth a warning.
    if (other.score >= APP_SCORE && other.language !== 'procfile') {
      warnings.push({ code: 'MIXED_LANGUAGES', message: `the folder also holds a ${other.language} app; building it as ${winner.language} (stronger markers)`, hint: 'if that is wrong, set [[io.buildpacks.group]] in project.toml to the buildpacks you want' });
    }
  }
  const port = findings.port ?? { honoursPortEnv: null, hardcoded: null, evidence: [] };
  const folder = input.appPath === '.' ? basename(files.dir) : basename(input.appPath);
  const plan: Plan = {
    schemaVersion: 1,
    app: findings.name ? { value: toDnsLabel(findings.name.value), evidence: findings.name.evidence } : { value: toDnsLabel(folder), evidence: [{ reason: `folder name "${folder}"` }] },
    path: input.appPath,
    language: { value: findings.language.value, evidence: languageEvidence },
    packageManager: findings.packageManager ?? none(null, 'no package manager for this language'),
    framework: findings.framework ?? none(null, 'no framework recognised'),
    runtimeVersion: findings.runtimeVersion ?? none(null, 'not pinned; the buildpack picks its default'),
    buildCommand: findings.buildCommand ?? none(null, 'no build step'),
    start: findings.start ?? none(null, 'no start command found'),
    test: findings.test ?? none(null, 'no test command found'),
    port: { value: DEFAULT_PORT, honoursPortEnv: port.honoursPortEnv, hardcoded: port.hardcoded, evidence: [{ reason: `default: the platform sets PORT=${DEFAULT_PORT}` }, ...port.evidence] },
    builder: findings.builder ?? none(DEFAULT_BUILDER, 'default builder'),
    buildpacks: findings.buildpacks ?? none([], 'the builder\'s own order decides'),
    buildEnv: findings.buildEnv ?? none({}, 'no build-time settings needed'),
    dockerfile: { present: false, file: null, note: null },
    healthCheckPath: '/',
    smoke: [],
    envNames: [],
    include: [],
    exclude: [],
    projectToml: null,
    apps: input.apps,
    warnings,
  };
  await applyProcfile(files, plan);
  await applyEnvExample(files, plan);
  applyDockerfile(files, plan);
  if (toml && tomlText !== null) {
    applyProjectToml(toml, tomlText, plan);
    await carryTomlStart(files, toml, plan);
  }
  // The root's own entry in a monorepo listing is named after the plan.
  plan.apps = plan.apps.map((a) => (a.name ? a : { ...a, name: plan.app.value }));
  if (plan.start.value === null) {
    warnings.push({ code: 'NO_START_COMMAND', message: 'no start command found: the image would not know how to run the app', hint: 'add a Procfile with `web: <command>`, or set start = "<command>" under [im.backend] in project.toml' });
  }
  if (plan.port.hardcoded !== null && plan.port.honoursPortEnv !== true && plan.port.hardcoded !== plan.port.value) {
    // Point at the module's listen call, not at a project.toml port line.
    const where = port.evidence.find((e) => e.file);
    warnings.push({ code: 'PORT_HARDCODED', message: `the app listens on port ${plan.port.hardcoded}, not on $PORT (${plan.port.value})`, ...(where?.file ? { file: where.file } : {}), ...(where?.line ? { line: where.line } : {}), hint: `read the port from the PORT environment variable, or set port = ${plan.port.hardcoded} under [im.backend] in project.toml` });
  }
  return PlanSchema.parse(plan);
}

/** Procfile `web:` wins over every detected start command (as on Heroku and Paketo). */
async function applyProcfile(files: AppFiles, plan: Plan): Promise<void> {
  const text = await files.text('Procfile');
  if (text === null) return;
  const entries = parseProcfile(text);
  const web = entries.find((e) => e.name === 'web');
  if (web) {
    const replaced = plan.start.value && plan.start.value !== web.command ? ` (instead of "${plan.start.value}")` : '';
    plan.start = { value: web.command, evidence: [{ file: 'Procfile', line: web.line, reason: `Procfile web process${replaced}` }] };
    if (/\$\{?PORT\b/.test(web.command)) {
      plan.port.honoursPortEnv = true;
      plan.port.evidence.push({ file: 'Procfile', line: web.line, reason: 'the web command passes $PORT' });
    }
  } else if (entries.length) {
    plan.warnings.push({ code: 'PROCFILE_NO_WEB', message: `Procfile has no web process (only ${entries.map((e) => e.name).join(', ')})`, file: 'Procfile', hint: 'add a line `web: <command that serves HTTP on $PORT>`' });
  }
}

/** An [im.backend] start must reach the image: Paketo takes it from BP_PROCFILE_DEFAULT_PROCESS, Heroku only from a Procfile. */
async function carryTomlStart(files: AppFiles, toml: ProjectToml, plan: Plan): Promise<void> {
  const start = toml.im?.backend?.start;
  if (!start) return;
  const web = parseProcfile((await files.text('Procfile')) ?? '').find((e) => e.name === 'web');
  if (web && web.command !== start) {
    plan.warnings.push({ code: 'PROCFILE_OVERRIDES_START', message: `the Procfile web line differs from [im.backend] start; buildpacks run the Procfile's "${web.command}"`, file: 'Procfile', line: web.line, hint: 'make them the same, or remove one of them' });
  }
  const explicit = toml.io?.buildpacks?.build?.env.some((e) => e.name === 'BP_PROCFILE_DEFAULT_PROCESS');
  if (plan.builder.value.startsWith('paketobuildpacks/')) {
    if (!explicit) {
      plan.buildEnv = { value: { ...plan.buildEnv.value, BP_PROCFILE_DEFAULT_PROCESS: start }, evidence: [...plan.buildEnv.evidence, { file: 'project.toml', reason: '[im.backend] start reaches Paketo as BP_PROCFILE_DEFAULT_PROCESS' }] };
    }
  } else if (!web) {
    plan.warnings.push({ code: 'START_NEEDS_PROCFILE', message: `${plan.builder.value} takes the web command only from a Procfile; [im.backend] start is not passed to it`, file: 'project.toml', hint: `add a Procfile with the line \`web: ${start}\`` });
  }
}

/** Names (never values) from .env.example and friends. */
async function applyEnvExample(files: AppFiles, plan: Plan): Promise<void> {
  for (const file of ['.env.example', '.env.sample', '.env.template', 'env.example']) {
    const text = await files.text(file);
    if (text === null) continue;
    for (const line of text.split('\n')) {
      const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
      if (name && !plan.envNames.includes(name)) plan.envNames.push(name);
    }
  }
}

function applyDockerfile(files: AppFiles, plan: Plan): void {
  const file = ['Dockerfile', 'dockerfile', 'Containerfile'].find((f) => files.has(f));
  if (!file) return;
  const note = 'bim-pack builds with Cloud Native Buildpacks and does not use this file';
  plan.dockerfile = { present: true, file, note };
  plan.warnings.push({ code: 'DOCKERFILE_IGNORED', message: `${file} found: ${note}`, file, hint: `to build from ${file} instead, run \`docker build -t <image> .\` yourself; to keep it out of the build context add "${file}" to [io.buildpacks] exclude` });
}
