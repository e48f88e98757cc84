/**
 * The one module that starts child processes (git, docker, credential helpers, pack).
 * Always argument arrays, explicit env and timeouts; never a shell string.
 */
import { execa } from 'execa';

/** What a finished tool run gives back. */
export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when the program could not be started at all (not on PATH). */
  notFound: boolean;
}

/** Options for a short-lived tool run. */
export interface ToolOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Runs a short-lived tool and returns its output; never throws for a non-zero exit. */
export async function runTool(file: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
    cancelSignal: options.signal,
    reject: false,
    stripFinalNewline: true,
  });
  const notFound = (result as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String(result.message ?? '')) && result.exitCode === undefined;
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), notFound };
}

/** Options for a long-running, streamed process. */
export interface StreamOptions {
  cwd?: string;
  /** The full environment of the child (not merged with ours: the caller decides). */
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Called for every output line (stdout and stderr interleaved). */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

/**
 * Runs a process and streams its lines. On abort the child gets SIGINT (what Ctrl-C sends,
 * so pack can stop its containers), then SIGKILL after 10 s.
 */
export async function runStreamed(file: string, args: string[], options: StreamOptions): Promise<{ exitCode: number; notFound: boolean }> {
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    cancelSignal: options.signal,
    killSignal: 'SIGINT',
    forceKillAfterDelay: 10_000,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const pump = async (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
    if (!stream) return;
    let rest = '';
    for await (const chunk of stream) {
      const text = rest + chunk.toString();
      const lines = text.split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) options.onLine(line, name);
    }
    if (rest) options.onLine(rest, name);
  };
  const [result] = await Promise.all([child, pump(child.stdout, 'stdout'), pump(child.stderr, 'stderr')]);
  const notFound = (result as { code?: string }).code === 'ENOENT';
  return { exitCode: result.exitCode ?? (result.isCanceled ? 130 : -1), notFound };
}

/** A running process whose stdout is read as a stream (e.g. `docker save`). */
export function spawnStream(file: string, args: string[], options: { signal?: AbortSignal } = {}): { stdout: NodeJS.ReadableStream; done: Promise<{ exitCode: number; stderr: string }> } {
  const child = execa(file, args, { cancelSignal: options.signal, reject: false, buffer: { stdout: false, stderr: true }, stdin: 'ignore', encoding: 'buffer' });
  const done = child.then((r) => ({ exitCode: r.exitCode ?? -1, stderr: Buffer.isBuffer(r.stderr) ? r.stderr.toString('utf8') : String(r.stderr ?? '') }));
  return { stdout: child.stdout!, done };
}
