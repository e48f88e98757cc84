/**
 * The project descriptor pack gets through `--descriptor`: the user's project.toml (every table and
 * key kept) with the effective include/exclude, written to a private temp file outside the app
 * folder. pack uses a given `--descriptor` path as is (it is not resolved against `--path`) and
 * resolves relative buildpack `uri`s against the descriptor's folder, so local ones are made absolute.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { stringify } from 'smol-toml';
import { BimError, type ProjectToml } from '@bim-pack/shared';
import { filterTablePath, type BuildFilter } from './build-filter.js';
import { createPrivateTempDir } from './private-temp-dir.js';

/** What describeDescriptor needs; all decided by the caller. */
export interface DescriptorInput {
  /** The user's parsed project.toml, or null. */
  projectToml: ProjectToml | null;
  filter: BuildFilter;
  /** Absolute app folder: local buildpack uris are resolved against it. */
  appDir: string;
  /** Relative buildpack uris that name a local file or folder (pack would resolve them against the descriptor's folder). */
  localUris?: string[];
}

const GROUP_PATHS = [['io', 'buildpacks', 'group'], ['io', 'buildpacks', 'pre', 'group'], ['io', 'buildpacks', 'post', 'group'], ['build', 'buildpacks']];

/** Every `uri` of the descriptor's buildpack groups. */
export function listBuildpackUris(projectToml: ProjectToml | null): string[] {
  return groups(projectToml as Record<string, unknown> | null).flatMap((g) => (typeof g.uri === 'string' ? [g.uri] : []));
}

function groups(root: Record<string, unknown> | null): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const path of GROUP_PATHS) {
    let node: unknown = root;
    for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(node)) for (const g of node) if (g && typeof g === 'object') out.push(g as Record<string, unknown>);
  }
  return out;
}

/** Pure: the descriptor text pack reads (TOML). */
export function describeDescriptor(input: DescriptorInput): string {
  const copied = copy(input.projectToml ?? {}) as Record<string, unknown>;
  // [_] first, as the spec shows it; undeclared means 0.1 to pack, which would then ignore [io.buildpacks]
  // (bim-pack reads the file as 0.2).
  const { _: meta, ...rest } = copied;
  const root: Record<string, unknown> = { _: { 'schema-version': '0.2', ...(meta as object | undefined) }, ...rest };
  const path = filterTablePath(input.projectToml);
  let table = root;
  for (const key of path) table = (table[key] ??= {}) as Record<string, unknown>;
  delete table.include;
  delete table.exclude;
  if (input.filter.include.length) table.include = [...input.filter.include];
  else if (input.filter.exclude.length) table.exclude = [...input.filter.exclude];
  const local = new Set(input.localUris ?? []);
  for (const group of groups(root)) {
    if (typeof group.uri === 'string' && local.has(group.uri) && !isAbsolute(group.uri)) group.uri = join(input.appDir, group.uri);
  }
  return stringify(root);
}

/** Deep copy of tables and arrays (so the caller's project.toml stays as read); TOML dates kept as they are. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  }
  return value;
}

/** A private descriptor file; remove() is idempotent. */
export interface TempDescriptor {
  path: string;
  remove(): Promise<void>;
}

/** Writes the descriptor into a fresh 0700 folder under the temp dir (file 0600), never inside the app folder. */
export async function writeTempDescriptor(text: string, appDir: string): Promise<TempDescriptor> {
  const { dir, remove } = await createPrivateTempDir('bim-pack-descriptor-');
  const rel = relative(appDir, dir);
  if (!rel.startsWith('..') && !isAbsolute(rel)) {
    await remove();
    throw new BimError('USAGE_BAD_FLAG', `the temp folder ${dir} is inside the app folder ${appDir}; pack would send the build descriptor along`, {
      hint: 'set TMPDIR to a folder outside the app folder (e.g. TMPDIR=/tmp)',
    });
  }
  try {
    await writeFile(join(dir, 'project.toml'), text, { mode: 0o600 });
  } catch (error) {
    await remove();
    throw error;
  }
  return { path: join(dir, 'project.toml'), remove };
}
