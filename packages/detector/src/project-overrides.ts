/** project.toml overrides: [io.buildpacks] and [im.backend] beat detection, with the line as evidence. */
import type { Evidence, Plan, ProjectToml } from '@bim-pack/shared';
import { lineOf } from './text.js';

/** Applies a parsed project.toml to the plan in place. */
export function applyProjectToml(toml: ProjectToml, text: string, plan: Plan): void {
  const at = (key: RegExp, reason: string): Evidence[] => {
    const line = lineOf(text, key);
    return [{ file: 'project.toml', ...(line ? { line } : {}), reason }];
  };
  plan.projectToml = 'project.toml';
  const io = toml.io?.buildpacks;
  if (io?.builder) plan.builder = { value: io.builder, evidence: at(/^\s*builder\s*=/, 'project.toml [io.buildpacks] builder') };
  if (io?.group?.length) {
    const refs = io.group.map((g) => g.uri ?? (g.version ? `${g.id}@${g.version}` : g.id));
    plan.buildpacks = { value: refs, evidence: at(/^\s*\[\[io\.buildpacks\.group\]\]/, 'project.toml [[io.buildpacks.group]]') };
  }
  if (io?.build?.env.length) {
    const env = { ...plan.buildEnv.value };
    for (const { name, value } of io.build.env) env[name] = value;
    plan.buildEnv = { value: env, evidence: [...plan.buildEnv.evidence, ...at(/^\s*\[\[io\.buildpacks\.build\.env\]\]/, 'project.toml [[io.buildpacks.build.env]] (wins over detected values)')] };
  }
  if (io?.include) plan.include = io.include;
  if (io?.exclude) plan.exclude = io.exclude;

  const im = toml.im?.backend;
  if (!im) return;
  if (im.name) plan.app = { value: im.name, evidence: at(/^\s*name\s*=/, 'project.toml [im.backend] name') };
  if (im.port) {
    plan.port.value = im.port;
    plan.port.evidence = [...at(/^\s*port\s*=/, `project.toml [im.backend] port = ${im.port}: the platform sets PORT=${im.port}`), ...plan.port.evidence.slice(1)];
  }
  if (im['health-check-path']) plan.healthCheckPath = im['health-check-path'];
  if (im['test-command'] !== undefined) plan.test = { value: im['test-command'] || null, evidence: at(/^\s*test-command\s*=/, 'project.toml [im.backend] test-command') };
  if (im.start) plan.start = { value: im.start, evidence: at(/^\s*start\s*=/, `project.toml [im.backend] start${plan.start.value && plan.start.value !== im.start ? ` (instead of "${plan.start.value}")` : ''}`) };
  for (const name of [...(im.env ?? []), ...(im['secret-env'] ?? [])]) if (!plan.envNames.includes(name)) plan.envNames.push(name);
  if (im.smoke) plan.smoke = im.smoke;
}
