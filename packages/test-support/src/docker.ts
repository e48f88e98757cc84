/** The real Docker engine for tests. A missing engine fails the test: it is never skipped. */
import { execa } from 'execa';

/** Runs the docker CLI with an argument array; rejects with stderr on failure. */
export async function docker(args: string[], options: { input?: string | Buffer; timeoutMs?: number } = {}): Promise<string> {
  const result = await execa('docker', args, {
    input: options.input, timeout: options.timeoutMs ?? 120_000, reject: false, stripFinalNewline: true,
  });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout;
}

/** Throws unless a Docker engine answers. Tests call this first so a missing engine is a failure, not a skip. */
export async function requireDocker(): Promise<void> {
  const result = await execa('docker', ['info', '--format', '{{.ServerVersion}}'], { reject: false, timeout: 20_000 });
  if (result.exitCode !== 0) {
    throw new Error(`no Docker engine answers (start one: bash scripts/services.sh start): ${result.stderr}`);
  }
}

/** A name unique to this test run, safe for containers, images and apps. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Removes containers whose name starts with prefix (cleanup after a test). */
export async function removeContainers(prefix: string): Promise<void> {
  const ids = await docker(['ps', '-aq', '--filter', `name=^${prefix}`]);
  if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
}
