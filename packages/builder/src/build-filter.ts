/**
 * Which files pack sends into the build: project.toml include/exclude plus our own rule that
 * runtime env files (`.env`, `.env.*`) never go in. pack ignores .gitignore, so without this a
 * local `.env` (which `bim-pack deploy` reads for the runtime env) would land in the image.
 */
import { join } from 'node:path';
import { BimError, type Plan, type ProjectToml } from '@bim-pack/shared';
import { listBuildFiles } from './fingerprint.js';

/** gitignore patterns that keep runtime env files out of the build; templates stay (they hold no values). */
export const ENV_FILE_EXCLUDES: readonly string[] = ['.env', '.env.*', '!.env.example', '!.env.sample', '!.env.template'];

const ENV_FILE = /(^|\/)\.env(\.[^/]+)?$/;
const ENV_TEMPLATE = /(^|\/)\.env\.(example|sample|template)$/;

/** True for a runtime env file path (relative, '/' separators): `.env` or `.env.*`, templates excepted. */
export function isRuntimeEnvFile(path: string): boolean {
  return ENV_FILE.test(path) && !ENV_TEMPLATE.test(path);
}

/** The include/exclude pack applies (one of them, as in project.toml; both empty: everything). */
export interface BuildFilter {
  include: string[];
  exclude: string[];
}

/** Where pack reads include/exclude: `[build]` under a declared schema 0.1, else `[io.buildpacks]` (an undeclared schema becomes 0.2 in our descriptor). */
export function filterTablePath(projectToml: ProjectToml | null): string[] {
  return projectToml?._?.['schema-version'] === '0.1' ? ['build'] : ['io', 'buildpacks'];
}

function tableAt(root: Record<string, unknown> | null, path: string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * The effective filter: the plan's include/exclude (else project.toml's), and in exclude mode
 * the env-file patterns first, so the user's own later patterns (e.g. excluding a template too) win.
 */
export function chooseBuildFilter(plan: Pick<Plan, 'include' | 'exclude'>, projectToml: ProjectToml | null): BuildFilter {
  const table = tableAt(projectToml as Record<string, unknown> | null, filterTablePath(projectToml));
  const include = plan.include.length ? plan.include : strings(table?.include);
  const exclude = plan.include.length ? [] : plan.exclude.length ? plan.exclude : strings(table?.exclude);
  if (include.length) return { include: [...include], exclude: [] };
  return { include: [], exclude: [...ENV_FILE_EXCLUDES, ...exclude.filter((p) => !ENV_FILE_EXCLUDES.includes(p))] };
}

/** Env files that an include filter would take into the build (node_modules left out: not the app's). */
export function findIncludedEnvFiles(appDir: string, include: string[]): string[] {
  if (!include.length) return [];
  return listBuildFiles({ appDir, include, gitignore: false }).filter((f) => isRuntimeEnvFile(f) && !f.includes('node_modules/'));
}

/** Throws CONFIG_PROJECT_TOML_INVALID when project.toml's include takes a runtime env file: never silently shipped. */
export function assertIncludeTakesNoEnvFile(appDir: string, filter: BuildFilter, table = 'io.buildpacks'): void {
  const files = findIncludedEnvFiles(appDir, filter.include);
  if (!files.length) return;
  throw new BimError('CONFIG_PROJECT_TOML_INVALID', `${join(appDir, 'project.toml')}: [${table}] include takes ${files.join(', ')} into the image (runtime env files never go into the image)`, {
    hint: `drop the pattern that matches ${files[0]} from include (list the app's own folders and files, e.g. include = ["src/", "package.json"]); deploy passes .env values at run time`,
    details: { files, include: filter.include },
  });
}
