/** project.toml overrides: [io.buildpacks] and [im.backend] beat detection, with the line as evidence. */
import type { Evidence, Plan, ProjectToml } from '@bim-pack/shared';

/** 1-based line of `key = ...` inside table `table` (or of the `[[table]]` header when key is null). */
function lineInTable(text: string, table: string, key: string | null): number | undefined {
  let current = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?/.exec(lines[i]!);
    if (header) {
      current = header[1]!;
      if (key === null && current === table) return i + 1;
      continue;
    }
    if (key !== null && current === table && new RegExp(`^\\s*"?${key}"?\\s*=`).test(lines[i]!)) return i + 1;
  }
  return undefined;
}

/** Applies a parsed project.toml to the plan in place. */
export function applyProjectToml(toml: ProjectToml, text: string, plan: Plan): void {
  const at = (table: string, key: string | null, reason: string): Evidence[] => {
    const line = lineInTable(text, table, key);
    return [{ file: 'project.toml', ...(line ? { line } : {}), reason }];
  };
  plan.projectToml = 'project.toml';
  const io = toml.io?.buildpacks;
  if (io?.builder) plan.builder = { value: io.builder, evidence: at('io.buildpacks', 'builder', 'project.toml [io.buildpacks] builder') };
  if (io?.group?.length) {
    const refs = io.group.map((g) => g.uri ?? (g.version ? `${g.id}@${g.version}` : g.id));
    plan.buildpacks = { value: refs, evidence: at('io.buildpacks.group', null, 'project.toml [[io.buildpacks.group]]') };
  }
  if (io?.build?.env.length) {
    const env = { ...plan.buildEnv.value };
    for (const { name, value } of io.build.env) env[name] = value;
    plan.buildEnv = { value: env, evidence: [...plan.buildEnv.evidence, ...at('io.buildpacks.build.env', null, 'project.toml [[io.buildpacks.build.env]] (wins over detected values)')] };
  }
  if (io?.include) plan.include = io.include;
  if (io?.exclude) plan.exclude = io.exclude;

  const im = toml.im?.backend;
  if (!im) return;
  if (im.name) plan.app = { value: im.name, evidence: at('im.backend', 'name', 'project.toml [im.backend] name') };
  if (im.port) {
    plan.port.value = im.port;
    plan.port.evidence = [...at('im.backend', 'port', `project.toml [im.backend] port = ${im.port}: the platform sets PORT=${im.port}`), ...plan.port.evidence.slice(1)];
  }
  if (im['health-check-path']) plan.healthCheckPath = im['health-check-path'];
  if (im['test-command'] !== undefined) plan.test = { value: im['test-command'] || null, evidence: at('im.backend', 'test-command', 'project.toml [im.backend] test-command') };
  if (im.start) plan.start = { value: im.start, evidence: at('im.backend', 'start', `project.toml [im.backend] start${plan.start.value && plan.start.value !== im.start ? ` (instead of "${plan.start.value}")` : ''}`) };
  for (const name of [...(im.env ?? []), ...(im['secret-env'] ?? [])]) if (!plan.envNames.includes(name)) plan.envNames.push(name);
  if (im.smoke) plan.smoke = im.smoke;
}
