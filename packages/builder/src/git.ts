/** What bim-pack asks git: the remote, the commit and whether the tree is dirty. Argument arrays only. */
import { runTool } from './exec.js';

/** The git facts a build records: all null outside a git work tree. */
export interface GitInfo {
  remoteUrl: string | null;
  commit: string | null;
  dirty: boolean;
}

/** Reads remote URL (origin, else the first remote), HEAD commit and dirtiness of dir's repository. */
export async function readGitInfo(dir: string, signal?: AbortSignal): Promise<GitInfo> {
  const git = (args: string[]) => runTool('git', ['-C', dir, ...args], { signal, timeoutMs: 30_000, env: { GIT_TERMINAL_PROMPT: '0' } });
  const inside = await git(['rev-parse', '--is-inside-work-tree']);
  if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') return { remoteUrl: null, commit: null, dirty: false };
  // Only the app folder matters: changes elsewhere in a monorepo do not make this app dirty.
  const [head, origin, status] = await Promise.all([
    git(['rev-parse', '--verify', '-q', 'HEAD']),
    git(['remote', 'get-url', 'origin']),
    git(['status', '--porcelain', '--untracked-files=normal', '--', '.']),
  ]);
  let remoteUrl: string | null = null;
  if (origin.exitCode === 0 && origin.stdout.trim()) remoteUrl = origin.stdout.trim();
  else {
    const remotes = await git(['remote']);
    const first = remotes.stdout.split('\n').map((r) => r.trim()).find(Boolean);
    if (first) {
      const url = await git(['remote', 'get-url', first]);
      if (url.exitCode === 0 && url.stdout.trim()) remoteUrl = url.stdout.trim();
    }
  }
  return {
    remoteUrl,
    commit: head.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(head.stdout.trim()) ? head.stdout.trim() : null,
    dirty: status.exitCode === 0 && status.stdout.trim().length > 0,
  };
}
