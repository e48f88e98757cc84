/**
 * Monorepo discovery: which folders under the root hold a deployable app,
 * and whether the root is a workspace root rather than an app.
 */
import { basename, posix } from 'node:path';
import type { AppCandidate, Evidence, PlanWarning } from '@bim-pack/shared';
import { parseProjectToml } from '@bim-pack/shared';
import { createAppFiles } from './app-files.js';
import { toDnsLabel } from './names.js';
import { scoreFolder } from './score.js';
import { APP_SCORE, type AppFiles } from './types.js';

/** File names that can make a folder an app of some language. */
const MARKERS = /^(package\.json|requirements\.txt|pyproject\.toml|Pipfile|setup\.py|go\.mod|pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|Gemfile|composer\.json|Cargo\.toml|Procfile|index\.html|project\.toml|.+\.(csproj|fsproj|vbproj))$/;
/** Folders holding samples and tests rather than apps to deploy. */
const NOT_APPS = new Set(['test', 'tests', '__tests__', 'spec', 'e2e', 'fixtures', 'testdata', 'example', 'examples', 'public', 'static', 'assets', 'templates']);
/** How deep below the root apps are looked for (apps/web, services/api/server). */
const MAX_APP_DEPTH = 3;

/** Files at the root that mark a workspace (monorepo) root, with the reason. */
export async function findWorkspaceMarkers(root: AppFiles): Promise<Evidence[]> {
  const markers: Evidence[] = [];
  const pkg = await root.json('package.json');
  if (pkg && typeof pkg === 'object' && 'workspaces' in pkg) markers.push({ file: 'package.json', reason: 'package.json declares workspaces' });
  const named: Array<[string, string]> = [
    ['pnpm-workspace.yaml', 'pnpm workspace'], ['turbo.json', 'Turborepo'], ['nx.json', 'Nx workspace'],
    ['lerna.json', 'Lerna monorepo'], ['rush.json', 'Rush monorepo'], ['go.work', 'Go workspace'],
  ];
  for (const [file, what] of named) if (root.has(file)) markers.push({ file, reason: `${file}: ${what}` });
  return markers;
}

/** Deployable apps below the root (not the root itself): outermost folders scoring as an app. */
export async function findAppCandidates(rootDir: string, allFiles: readonly string[], warnings: PlanWarning[]): Promise<AppCandidate[]> {
  const dirs = new Set<string>();
  for (const file of allFiles) {
    const dir = posix.dirname(file);
    if (dir === '.' || !MARKERS.test(posix.basename(file))) continue;
    const parts = dir.split('/');
    if (parts.length > MAX_APP_DEPTH || parts.some((p) => NOT_APPS.has(p) || p.startsWith('.'))) continue;
    dirs.add(dir);
  }
  const candidates: AppCandidate[] = [];
  // Sorted, so a parent folder is judged before the folders inside it.
  for (const dir of [...dirs].sort()) {
    if (candidates.some((c) => dir.startsWith(`${c.path}/`))) continue;
    const scratch: PlanWarning[] = [];
    const files = createAppFiles(rootDir, allFiles, dir, scratch);
    const [best] = await scoreFolder(files);
    if (!best || best.score < APP_SCORE) continue;
    candidates.push({ name: await nameOf(files, dir, warnings), path: dir, language: best.language, reason: `${best.language} app (score ${best.score})` });
  }
  return candidates;
}

/** A candidate's name: [im.backend] name, else package.json name, else the folder name. */
async function nameOf(files: AppFiles, dir: string, warnings: PlanWarning[]): Promise<string> {
  const toml = await files.text('project.toml');
  if (toml) {
    try {
      const name = parseProjectToml(toml, `${dir}/project.toml`).im?.backend?.name;
      if (name) return name;
    } catch {
      warnings.push({ code: 'PROJECT_TOML_INVALID', message: `${dir}/project.toml is not valid; run detect with --path ${dir} for details`, file: `${dir}/project.toml` });
    }
  }
  const pkg = await files.json('package.json');
  const name = pkg && typeof pkg === 'object' && 'name' in pkg && typeof pkg.name === 'string' ? pkg.name : basename(dir);
  return toDnsLabel(name);
}
