/** Doctor checks of the app folder: project.toml and the plan, and the git state. */
import { join } from 'node:path';
import { isBimError, readProjectToml, type Plan, type ProjectToml } from '@bim-pack/shared';
import type { Outcome } from './check-tools.js';
import { runTool } from './run-tool.js';

/** project.toml (if any) parses, and the detector makes a plan for the folder. */
export async function checkProject(appRoot: string, path: string | undefined, signal?: AbortSignal): Promise<{ outcome: Outcome; plan: Plan | null; projectToml: ProjectToml | null }> {
  let projectToml: ProjectToml | null = null;
  let plan: Plan | null = null;
  try {
    const { detect } = await import('@bim-pack/detector');
    plan = await detect(appRoot, path !== undefined ? { path } : {});
    signal?.throwIfAborted();
    projectToml = await readProjectToml(join(appRoot, plan.path, 'project.toml'));
  } catch (error) {
    if (!isBimError(error)) throw error;
    return { outcome: { status: 'fail', message: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) }, plan, projectToml };
  }
  if (!projectToml) {
    return { outcome: { status: 'warn', message: `no project.toml; the plan is detected each time (${plan.language.value}, app ${plan.app.value})`, hint: 'run `bim-pack init` to record it' }, plan, projectToml };
  }
  return { outcome: { status: 'pass', message: `${join(plan.path, 'project.toml')} is valid (app ${plan.app.value}, ${plan.language.value})` }, plan, projectToml };
}

/** Git state: a clean tree on a branch. Dirty or detached still deploys, so these are warnings. */
export async function checkGit(dir: string, info: { commit: string | null; dirty: boolean; remoteUrl: string | null }, signal?: AbortSignal): Promise<Outcome> {
  if (!info.commit) {
    const inside = await runTool('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { signal });
    return inside.stdout.trim() === 'true'
      ? { status: 'warn', message: 'git repository without commits: images are tagged by content only', hint: 'commit once: `git add -A && git commit -m "first commit"`' }
      : { status: 'warn', message: 'not a git repository: no commit tag and no image name from a remote', hint: 'run `git init` and add a remote, or pass --image' };
  }
  const problems: string[] = [];
  const hints: string[] = [];
  if (info.dirty) {
    problems.push('uncommitted changes in the app folder (the image tag gets -dirty-<hash>)');
    hints.push('commit or stash them: `git status`');
  }
  const branch = await runTool('git', ['-C', dir, 'symbolic-ref', '-q', '--short', 'HEAD'], { signal });
  if (branch.exitCode !== 0) {
    problems.push('detached HEAD');
    hints.push('check out a branch: `git switch main`');
  }
  if (problems.length) return { status: 'warn', message: `${problems.join('; ')} at ${info.commit.slice(0, 12)}`, hint: hints.join('; ') };
  return { status: 'pass', message: `clean tree on ${branch.stdout.trim()} at ${info.commit.slice(0, 12)}${info.remoteUrl ? '' : ' (no remote)'}` };
}
