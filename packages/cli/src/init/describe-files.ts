/** The files init wants for a plan and its answers, with paths relative to the repo root. */
import { posix } from 'node:path';
import type { Plan, ProjectToml } from '@bim-pack/shared';
import type { InitAnswers } from './answers.js';
import { renderEnvExample } from './env-example.js';
import type { WantedFile } from './files.js';
import { renderProjectToml } from './project-toml.js';
import { CLAUDE_COMMAND, CLAUDE_COMMAND_PATH } from './templates/claude-command.js';
import { CLAUDE_MD_SECTION } from './templates/claude-md.js';
import { renderWorkflow, workflowPath } from './workflow.js';

/** project.toml and .env.example sit in the app folder; the rest at the root. */
export function describeInitFiles(plan: Plan, answers: InitAnswers, existing: ProjectToml | null = null): WantedFile[] {
  const inApp = (name: string) => posix.join(plan.path, name);
  const files: WantedFile[] = [
    { path: inApp('project.toml'), content: renderProjectToml({ plan, target: answers.target, image: answers.image, start: answers.start, existing }) },
  ];
  const envExample = renderEnvExample(plan);
  if (envExample) files.push({ path: inApp('.env.example'), content: envExample, keep: 'exists: bim-pack reads the env names from it' });
  const targetUrl = answers.target && answers.target !== 'local' ? answers.target : undefined;
  files.push(
    { path: workflowPath(plan), content: renderWorkflow({ plan, branch: answers.branch, targetUrl }) },
    { path: CLAUDE_COMMAND_PATH, content: CLAUDE_COMMAND },
    { path: 'CLAUDE.md', content: CLAUDE_MD_SECTION, merge: 'claude-md' },
  );
  return files;
}
