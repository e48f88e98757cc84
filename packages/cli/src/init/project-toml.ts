/**
 * The project.toml `bim-pack init` writes: the CNB project descriptor (schema 0.2) with the
 * plan's builder and build env, and our [im.backend] table with what deploy needs. Over an
 * existing file (--force) it keeps every table and key it does not own.
 */
import { stringify } from 'smol-toml';
import type { Plan, ProjectToml } from '@bim-pack/shared';

/** Choices made at init beyond the plan. */
export interface ProjectTomlInput {
  plan: Plan;
  target?: string | undefined;
  image?: string | undefined;
  /** A start command given at init (when the plan has none). */
  start?: string | undefined;
  /** The project.toml already there, parsed (its other keys are kept). */
  existing?: ProjectToml | null | undefined;
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value && typeof value === 'object' ? { ...(value as Table) } : {});

/** Adds the old table's keys that ours does not set (ours first: a stable order on every run). */
function keepOthers(ours: Table, old: Table, replaced: string[]): void {
  for (const [key, value] of Object.entries(old)) if (!(key in ours) && !replaced.includes(key)) ours[key] = value;
}

/** The descriptor as data, in the key order it is written. */
export function describeProjectToml(input: ProjectTomlInput): Table {
  const { plan, existing } = input;
  const old = table(existing);
  const oldBuildpacks = table(table(old.io).buildpacks);
  const oldBackend = table(table(old.im).backend);
  const buildpacks: Table = { builder: plan.builder.value };
  if (plan.include.length) buildpacks.include = plan.include;
  else if (plan.exclude.length) buildpacks.exclude = plan.exclude;
  // Detection derives build env (BP_*) again on every run: only a new file records it.
  const buildEnv = Object.entries(plan.buildEnv.value).map(([name, value]) => ({ name, value }));
  if (!existing && buildEnv.length) buildpacks.build = { env: buildEnv };
  keepOthers(buildpacks, oldBuildpacks, ['include', 'exclude']);
  const secret = new Set((oldBackend['secret-env'] as string[] | undefined) ?? []);
  const backend: Table = { name: plan.app.value, port: plan.port.value, 'health-check-path': plan.healthCheckPath };
  if (plan.test.value) backend['test-command'] = plan.test.value;
  if (input.start) backend.start = input.start;
  if (input.target) backend.target = input.target;
  if (input.image) backend.image = input.image;
  const env = plan.envNames.filter((name) => !secret.has(name));
  if (env.length) backend.env = env;
  if (plan.smoke.length) backend.smoke = plan.smoke.map((c) => ({ path: c.path, status: c.status, ...(c.contains ? { contains: c.contains } : {}) }));
  keepOthers(backend, oldBackend, []);
  const { _: oldMeta, io: oldIo, im: oldIm, ...others } = old;
  const io: Table = { buildpacks };
  keepOthers(io, table(oldIo), []);
  const im: Table = { backend };
  keepOthers(im, table(oldIm), []);
  // The user's [_] values (id, name...) win over ours.
  return { _: { 'schema-version': '0.2', id: plan.app.value, name: plan.app.value, ...table(oldMeta) }, io, im, ...others };
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
