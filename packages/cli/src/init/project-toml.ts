/**
 * The project.toml `bim-pack init` writes: the CNB project descriptor (schema 0.2) with the
 * plan's builder and build env, and our [im.backend] table with what deploy needs.
 */
import { stringify } from 'smol-toml';
import type { Plan } from '@bim-pack/shared';

/** Choices made at init beyond the plan. */
export interface ProjectTomlInput {
  plan: Plan;
  target?: string | undefined;
  image?: string | undefined;
  /** A start command given at init (when the plan has none). */
  start?: string | undefined;
}

/** The descriptor as data, in the key order it is written. */
export function describeProjectToml(input: ProjectTomlInput): Record<string, unknown> {
  const { plan } = input;
  const buildpacks: Record<string, unknown> = { builder: plan.builder.value };
  if (plan.include.length) buildpacks.include = plan.include;
  else if (plan.exclude.length) buildpacks.exclude = plan.exclude;
  const buildEnv = Object.entries(plan.buildEnv.value).map(([name, value]) => ({ name, value }));
  if (buildEnv.length) buildpacks.build = { env: buildEnv };
  const backend: Record<string, unknown> = {
    name: plan.app.value,
    port: plan.port.value,
    'health-check-path': plan.healthCheckPath,
  };
  if (plan.test.value) backend['test-command'] = plan.test.value;
  if (input.start) backend.start = input.start;
  if (input.target) backend.target = input.target;
  if (input.image) backend.image = input.image;
  if (plan.envNames.length) backend.env = plan.envNames;
  if (plan.smoke.length) backend.smoke = plan.smoke.map((c) => ({ path: c.path, status: c.status, ...(c.contains ? { contains: c.contains } : {}) }));
  return {
    _: { 'schema-version': '0.2', id: plan.app.value, name: plan.app.value },
    io: { buildpacks },
    im: { backend },
  };
}

/** The file's text: a short header, then the TOML. */
export function renderProjectToml(input: ProjectTomlInput): string {
  const header = [
    '# How Cloud Native Buildpacks (pack) build this app ([_], [io.buildpacks]: the CNB project descriptor,',
    '# schema 0.2) and how bim-pack deploys it ([im.backend]). Written by `bim-pack init`; edit freely.',
    '',
  ].join('\n');
  return `${header}${stringify(describeProjectToml(input))}\n`;
}
