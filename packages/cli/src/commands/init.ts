/**
 * `bim-pack init [dir]`: writes project.toml, .env.example, the GitHub workflow and the Claude
 * Code files for the app in dir, from its plan and a few answers. Never overwrites without
 * --force; a second run changes nothing; --dry-run writes nothing.
 */
import { join, relative, resolve, sep } from 'node:path';
import { isBimError, readProjectToml, type AppCandidate, type Plan } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';
import { readDefaultBranch, readRepoRoot } from '../doctor/run-tool.js';
import { askAnswers, askAppPath, checkAnswers, failOnMissing, findMissing, type InitAnswers } from '../init/answers.js';
import { describeInitFiles } from '../init/describe-files.js';
import { applyChanges, decideChanges, type FileChange } from '../init/files.js';

const str = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : String(value));

/** Runs init and returns each file with its action. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const { detect } = await import('@bim-pack/detector');
  const root = resolve(context.cwd, args[0] ?? '.');
  const path = str(options.path);
  const askable = context.interactive && !context.json && !options.yes && !options.dryRun;
  const detected = await detect(root, { reporter: context.reporter, ...(path !== undefined ? { path } : {}) }).catch(async (error: unknown) => {
    // A monorepo root: on a terminal, ask which app instead of failing.
    const candidates = isBimError(error) && error.code === 'DETECT_AMBIGUOUS_ROOT' ? (error.details?.candidates as AppCandidate[] | undefined) : undefined;
    if (!askable || !candidates?.length) throw error;
    return detect(root, { reporter: context.reporter, path: await askAppPath(candidates, context.signal) });
  });
  const given: InitAnswers = {
    app: str(options.app) ?? detected.app.value,
    branch: str(options.branch) ?? (await readDefaultBranch(root, context.signal)),
    target: str(options.target),
    image: str(options.image),
    start: str(options.start),
  };
  const answers = checkAnswers(askable ? await askAnswers(detected, given, context.signal) : given);
  if (!askable) failOnMissing(findMissing(detected, answers));
  // GitHub reads workflows (and Claude Code its files) at the repository root, which may be
  // above dir: every path, and the app folder deploy is given, is relative to that root.
  const repoRoot = (await readRepoRoot(root, context.signal)) ?? root;
  const appPath = relative(repoRoot, resolve(root, detected.path)).split(sep).join('/') || '.';
  const plan: Plan = {
    ...detected,
    path: appPath,
    app: { value: answers.app, evidence: answers.app === detected.app.value ? detected.app.evidence : [{ reason: '--app' }] },
  };
  const existing = await readProjectToml(join(repoRoot, plan.path, 'project.toml'));
  const changes = await decideChanges(repoRoot, describeInitFiles(plan, answers, existing), Boolean(options.force));
  const dryRun = Boolean(options.dryRun);
  if (!dryRun) await applyChanges(repoRoot, changes);
  return {
    data: { dryRun, app: plan.app.value, root: repoRoot, path: plan.path, files: changes.map(({ path: file, action }) => ({ path: file, action })) },
    lines: formatChanges(changes, dryRun),
  };
}

/** One line per file; with --dry-run, the text that would be written follows each. */
export function formatChanges(changes: FileChange[], dryRun: boolean): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    const verb = dryRun && change.action !== 'skip' ? `would ${change.action}` : change.action;
    lines.push(`${verb.padEnd(16)} ${change.path}${change.reason ? `  (${change.reason})` : ''}`);
    if (dryRun && change.content !== null) lines.push(...change.content.trimEnd().split('\n').map((l) => `    | ${l}`), '');
  }
  const written = changes.filter((c) => c.action !== 'skip').length;
  lines.push(dryRun ? `dry run: nothing written (${written} file(s) would change)` : written ? `${written} file(s) written` : 'nothing to do: every file is already there');
  if (!dryRun && written) lines.push('next: `bim-pack doctor`, then `bim-pack deploy`');
  return lines;
}
