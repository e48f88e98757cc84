/**
 * detect(dir) -> Plan. One walk of the tree, then: pick the app folder (the root,
 * the --path folder, or the only app of a monorepo), let the best-scoring language
 * module decide, and let assemblePlan apply Procfile, project.toml and defaults.
 */
import { stat } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { BimError, type AppCandidate, type Evidence, type Plan, type PlanWarning, type Reporter, silentReporter } from '@bim-pack/shared';
import { createAppFiles } from './app-files.js';
import { findAppCandidates, findWorkspaceMarkers } from './apps.js';
import { assemblePlan } from './assemble.js';
import { findEnclosingWorkspace } from './enclosing-workspace.js';
import { scoreFolder } from './score.js';
import { APP_SCORE } from './types.js';
import { DEFAULT_LIMITS, walkTree, type WalkLimits } from './walk.js';

/** Options of detect(). */
export interface DetectOptions {
  /** In a monorepo: the app folder, relative to dir. */
  path?: string;
  reporter?: Reporter;
  limits?: WalkLimits;
}

/** Reads the folder and decides how buildpacks should build and run the app in it. */
export async function detect(dir: string, options: DetectOptions = {}): Promise<Plan> {
  const reporter = options.reporter ?? silentReporter;
  const root = resolve(dir);
  await requireDirectory(root, dir);
  const started = Date.now();
  const walk = await walkTree(root, options.limits ?? DEFAULT_LIMITS);
  reporter.debug(`walked ${walk.files.length} files in ${Date.now() - started} ms`);
  const warnings: PlanWarning[] = [...walk.warnings];
  const rootFiles = createAppFiles(root, walk.files, '', warnings);
  const workspace = await findWorkspaceMarkers(rootFiles);
  const candidates = await findAppCandidates(root, walk.files, warnings);

  let appPath = '.';
  let listApps = true;
  const choice: Evidence[] = [];
  if (options.path !== undefined) {
    appPath = await requireAppPath(root, options.path, candidates);
    choice.push({ reason: `--path ${appPath}` });
  } else {
    const [best] = await scoreFolder(rootFiles);
    const rootIsApp = best !== undefined && best.score >= APP_SCORE && workspace.length === 0;
    if (!rootIsApp && candidates.length === 1) {
      appPath = candidates[0]!.path;
      choice.push({ reason: `the only deployable app under the folder${workspace.length ? ` (${workspace.map((w) => w.reason).join('; ')})` : ''}` });
    } else if (!rootIsApp && candidates.length > 1) {
      throw ambiguousRoot(candidates, workspace);
    } else if (!best) {
      throw noApp(dir, walk.files.length);
    } else {
      // The root is the app: folders inside it (a www/ with an index.html...) are its parts, not apps.
      listApps = false;
    }
  }
  const prefix = appPath === '.' ? '' : appPath;
  const enclosing = prefix ? (workspace.length ? { files: rootFiles, fromRoot: prefix } : undefined) : await findEnclosingWorkspace(root);
  const files = prefix || enclosing ? createAppFiles(root, walk.files, prefix, warnings, enclosing ?? undefined) : rootFiles;
  const scores = await scoreFolder(files);
  const [winner, ...others] = scores;
  if (!winner) throw noApp(posix.join(dir, appPath), files.files.length);
  const findings = await winner.module.detect(files, null);
  const apps: AppCandidate[] = listApps ? candidates : [];
  return assemblePlan({ files, appPath, findings, winner, others, choice, apps, warnings, workspace });
}

async function requireDirectory(root: string, asked: string): Promise<void> {
  try {
    const info = await stat(root);
    if (!info.isDirectory()) {
      throw new BimError('DETECT_NOT_A_DIRECTORY', `${asked} is a file, not an app folder`, { hint: 'pass the folder that holds the app, e.g. `bim-pack detect .`', details: { path: asked } });
    }
  } catch (error) {
    if (error instanceof BimError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new BimError('DETECT_PATH_NOT_FOUND', `${asked} does not exist`, { hint: 'check the path, e.g. `ls ' + asked + '`, or run `bim-pack detect` inside the app folder', details: { path: asked } });
    }
    throw new BimError('DETECT_UNREADABLE', `${asked} cannot be read (${code ?? 'error'})`, { hint: `check the permissions of ${asked}`, details: { path: asked } });
  }
}

async function requireAppPath(root: string, path: string, candidates: AppCandidate[]): Promise<string> {
  const normal = posix.normalize(path.replaceAll('\\', '/')).replace(/\/+$/, '') || '.';
  const list = candidates.map((c) => c.path);
  const hint = list.length ? `use one of: ${list.map((p) => `--path ${p}`).join(', ')}` : 'pass a folder inside the app root, e.g. --path apps/api';
  if (normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) {
    throw new BimError('DETECT_APP_NOT_FOUND', `--path ${path} is outside the folder`, { hint, details: { path, candidates: list } });
  }
  try {
    if ((await stat(resolve(root, normal))).isDirectory()) return normal;
  } catch { /* reported below */ }
  throw new BimError('DETECT_APP_NOT_FOUND', `--path ${path}: no such folder`, { hint, details: { path, candidates: list } });
}

function ambiguousRoot(candidates: AppCandidate[], workspace: Evidence[]): BimError {
  const why = workspace.length ? workspace.map((w) => w.reason).join('; ') : 'several app folders';
  const list = candidates.map((c) => `${c.path} (${c.language})`).join(', ');
  return new BimError('DETECT_AMBIGUOUS_ROOT', `the folder holds ${candidates.length} apps (${why}): ${list}`, {
    hint: `pick one with --path ${candidates[0]!.path}`,
    details: { candidates },
  });
}

function noApp(asked: string, fileCount: number): BimError {
  const what = fileCount === 0 ? 'is empty (no files outside dependency folders)' : 'has no app this tool recognises';
  return new BimError('DETECT_NO_APP', `${asked} ${what}`, {
    hint: 'add a manifest such as package.json, requirements.txt, go.mod, pom.xml, Gemfile, composer.json, Cargo.toml or a *.csproj; an index.html for a static site; or a Procfile with a `web:` line',
    details: { path: asked },
  });
}
