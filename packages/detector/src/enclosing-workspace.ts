/**
 * When detect is pointed at one app inside a JavaScript workspace (`bim-pack detect apps/api`),
 * the lockfile and the packageManager pin live in a parent folder. This looks a few levels up,
 * listing only each parent's own files (never walking it), stops at a repository root, and
 * accepts a parent only if its workspace globs really include the folder.
 */
import { readdir } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createAppFiles } from './app-files.js';
import type { AppFiles } from './types.js';

const MAX_LEVELS = 4;

/** The nearest parent workspace root that lists `dir` as a member, as a shallow AppFiles. */
export async function findEnclosingWorkspace(dir: string): Promise<{ files: AppFiles; fromRoot: string } | null> {
  let current = dir;
  for (let level = 0; level < MAX_LEVELS; level++) {
    const entries = await list(current);
    if (entries === null || entries.includes('.git')) return null;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
    const names = await list(current, true);
    if (names === null) return null;
    const files = createAppFiles(current, names, '', []);
    const fromRoot = relative(current, dir).split('\\').join('/');
    const globs = await workspaceGlobs(files);
    if (globs.length && isMember(fromRoot, globs)) return { files, fromRoot };
  }
  return null;
}

async function list(dir: string, filesOnly = false): Promise<string[] | null> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => !filesOnly || e.isFile()).map((e) => e.name).sort();
  } catch {
    return null;
  }
}

/** Member globs from pnpm-workspace.yaml and package.json workspaces. */
async function workspaceGlobs(files: AppFiles): Promise<string[]> {
  const globs: string[] = [];
  const yaml = await files.text('pnpm-workspace.yaml');
  if (yaml) {
    try {
      const doc = parseYaml(yaml) as { packages?: unknown } | null;
      if (Array.isArray(doc?.packages)) globs.push(...doc.packages.filter((p): p is string => typeof p === 'string'));
    } catch { /* not YAML: not a workspace we can read */ }
  }
  const pkg = await files.json('package.json') as { workspaces?: unknown } | null;
  const ws = pkg && typeof pkg === 'object' ? pkg.workspaces : undefined;
  const list = Array.isArray(ws) ? ws : ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages) ? (ws as { packages: unknown[] }).packages : [];
  globs.push(...list.filter((p): p is string => typeof p === 'string'));
  return globs;
}

/** Whether a relative folder matches the globs ('*' one segment, '**' any depth, '!' excludes). */
export function isMember(path: string, globs: string[]): boolean {
  const toRegex = (glob: string) => new RegExp(`^${glob.replace(/^\.\//, '').replace(/\/+$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  const included = globs.filter((g) => !g.startsWith('!')).some((g) => toRegex(g).test(path));
  const excluded = globs.filter((g) => g.startsWith('!')).some((g) => toRegex(g.slice(1)).test(path));
  return included && !excluded;
}
