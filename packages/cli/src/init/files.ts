/**
 * Which files init writes and what happens to each: create, skip (exists), overwrite (--force)
 * or append (our section added to an existing CLAUDE.md). Decided first, written second, so
 * --dry-run and --json show exactly what a real run does.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mergeClaudeMd } from './templates/claude-md.js';

/** A file init wants; `merge` files (CLAUDE.md) keep the user's text and add our section. */
export interface WantedFile {
  path: string;
  content: string;
  merge?: 'claude-md';
  /** Never overwritten, even with --force (the user's file is the source, e.g. .env.example). */
  keep?: string;
}

/** What init does with one file. */
export type FileAction = 'create' | 'skip' | 'overwrite' | 'append';

/** A decided file: the text to write (null when skipped). */
export interface FileChange {
  path: string;
  action: FileAction;
  content: string | null;
  /** Why a file is skipped, for people. */
  reason?: string;
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Decides each file's action against what is on disk under root. */
export async function decideChanges(root: string, wanted: WantedFile[], force: boolean): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const file of wanted) {
    const existing = await readIfExists(join(root, file.path));
    if (file.merge === 'claude-md') {
      const merged = mergeClaudeMd(existing, force);
      changes.push(merged.action === 'skip'
        ? { path: file.path, action: 'skip', content: null, reason: 'already has the bim-pack section' }
        : { path: file.path, action: merged.action, content: merged.text });
    } else if (existing === null) {
      changes.push({ path: file.path, action: 'create', content: file.content });
    } else if (file.keep) {
      changes.push({ path: file.path, action: 'skip', content: null, reason: file.keep });
    } else if (existing === file.content) {
      changes.push({ path: file.path, action: 'skip', content: null, reason: 'already up to date' });
    } else if (force) {
      changes.push({ path: file.path, action: 'overwrite', content: file.content });
    } else {
      changes.push({ path: file.path, action: 'skip', content: null, reason: 'exists (use --force to overwrite)' });
    }
  }
  return changes;
}

/** Writes the decided changes (skips write nothing). */
export async function applyChanges(root: string, changes: FileChange[]): Promise<void> {
  for (const change of changes) {
    if (change.content === null) continue;
    const path = join(root, change.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, change.content);
  }
}
