/**
 * The CLI's one module that starts short-lived tools (pack, docker, git) for doctor and init:
 * argument arrays, explicit timeouts, the abort signal; never a shell string, never throws
 * for a non-zero exit.
 */
import { execa } from 'execa';

/** A finished tool run. `notFound`: the program is not on PATH. */
export interface ToolRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  notFound: boolean;
}

/** Runs a tool and returns its output. */
export async function runTool(file: string, args: string[], options: { cwd?: string; signal?: AbortSignal; timeoutMs?: number; env?: Record<string, string | undefined> } = {}): Promise<ToolRun> {
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    cancelSignal: options.signal,
    timeout: options.timeoutMs ?? 20_000,
    reject: false,
    stdin: 'ignore',
  });
  const notFound = (result as { code?: string }).code === 'ENOENT';
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), notFound };
}

/** The branch pushes deploy from: origin's default branch, else the current one, else main. */
export async function readDefaultBranch(dir: string, signal?: AbortSignal): Promise<string> {
  const origin = await runTool('git', ['-C', dir, 'symbolic-ref', '--short', 'refs/remotes/origin/HEAD'], { signal });
  if (origin.exitCode === 0 && origin.stdout.trim().startsWith('origin/')) return origin.stdout.trim().slice('origin/'.length);
  const current = await runTool('git', ['-C', dir, 'branch', '--show-current'], { signal });
  if (current.exitCode === 0 && current.stdout.trim()) return current.stdout.trim();
  return 'main';
}

/** The top folder of the git work tree holding dir, or null outside one. */
export async function readRepoRoot(dir: string, signal?: AbortSignal): Promise<string | null> {
  const top = await runTool('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { signal });
  return top.exitCode === 0 && top.stdout.trim() ? top.stdout.trim() : null;
}
