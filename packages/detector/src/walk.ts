/**
 * The single tree walk. Lists regular files under a root without reading them,
 * never descending into dependency folders, VCS data, virtualenvs or build outputs,
 * and never following symlinked folders (so symlink loops cannot recurse).
 */
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanWarning } from '@bim-pack/shared';

/** Folder names never entered: dependencies, VCS data, caches and build outputs. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules', 'bower_components', 'jspm_packages', '.pnpm-store', '.yarn', '.npm',
  '.git', '.hg', '.svn', '.jj',
  'vendor', '.venv', 'venv', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  '.eggs', 'site-packages',
  'target', 'build', 'dist', 'out', 'obj', '.gradle', '.m2',
  '.next', '.nuxt', '.output', '.svelte-kit', '.astro', '.vercel', '.netlify', '.turbo', '.nx',
  '.cache', '.parcel-cache', 'coverage', '.terraform', '.serverless', '.dart_tool', '.bundle',
  '.idea', '.vscode',
]);

/** Limits that keep a walk bounded on any tree. */
export interface WalkLimits {
  maxDepth: number;
  maxFiles: number;
}
export const DEFAULT_LIMITS: WalkLimits = { maxDepth: 12, maxFiles: 50_000 };

/** What the walk found: relative file paths ('/'-separated, sorted) and warnings. */
export interface WalkResult {
  files: string[];
  warnings: PlanWarning[];
}

/** Walks `root` once and returns every regular file outside ignored folders. */
export async function walkTree(root: string, limits: WalkLimits = DEFAULT_LIMITS): Promise<WalkResult> {
  const files: string[] = [];
  const warnings: PlanWarning[] = [];
  let truncated = false;
  const visit = async (rel: string, depth: number): Promise<void> => {
    let dir;
    try {
      dir = await opendir(rel ? join(root, rel) : root, { bufferSize: 256 });
    } catch (error) {
      warnings.push({ code: 'UNREADABLE_DIR', message: `cannot list ${rel || '.'}: ${(error as NodeJS.ErrnoException).code ?? 'error'}; skipped`, file: rel || '.' });
      return;
    }
    const subdirs: string[] = [];
    for await (const entry of dir) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name)) subdirs.push(path);
      } else if (entry.isFile()) {
        if (files.length >= limits.maxFiles) { truncated = true; continue; }
        files.push(path);
      } else if (entry.isSymbolicLink()) {
        // Symlinked files count; symlinked folders are never followed.
        try {
          if ((await stat(join(root, path))).isFile()) files.push(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          warnings.push({ code: 'BROKEN_SYMLINK', message: `${path} is a symlink that cannot be resolved (${code ?? 'error'}); ignored`, file: path });
        }
      }
      // FIFOs, sockets and devices are not files an app is made of; opening a FIFO would block.
    }
    if (depth >= limits.maxDepth) return;
    // Virtualenvs have any name; pyvenv.cfg gives them away.
    for (const sub of subdirs) {
      if (await isVirtualenv(join(root, sub))) continue;
      await visit(sub, depth + 1);
    }
  };
  await visit('', 0);
  if (truncated) {
    warnings.push({ code: 'WALK_TRUNCATED', message: `more than ${limits.maxFiles} files outside dependency folders; only the first ${limits.maxFiles} were considered`, hint: 'run detect on the app folder itself, or use --path <app>' });
  }
  // Directory order differs between file systems; sorted output keeps plans reproducible.
  files.sort();
  warnings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? ''));
  return { files, warnings };
}

async function isVirtualenv(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'pyvenv.cfg'))).isFile();
  } catch {
    return false;
  }
}
