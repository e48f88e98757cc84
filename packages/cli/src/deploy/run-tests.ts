/**
 * Runs the app's own test command before building. The command is split into an argument
 * array with execa's parser; only a command that needs a shell (&&, |, redirects, $VARS) is
 * given to `sh -c`, and it is the user's own string from package.json or project.toml.
 */
import { execa, parseCommandString } from 'execa';
import { BimError, type Redactor, type Reporter } from '@bim-pack/shared';

const SHELL_SYNTAX = /[|&;<>()$`*?~]|\\\n/;

/** The argv for a test command (pure): a shell-free split, or sh -c for shell syntax. */
export function describeTestCommand(command: string): { file: string; args: string[]; shell: boolean } {
  if (SHELL_SYNTAX.test(command)) return { file: 'sh', args: ['-c', command], shell: true };
  const [file, ...args] = parseCommandString(command);
  if (!file) throw new BimError('CONFIG_PROJECT_TOML_INVALID', 'the test command is empty', { hint: 'set [im.backend] test-command in project.toml, or pass --skip-tests' });
  return { file, args, shell: false };
}

/** Runs the tests in appDir; throws TESTS_FAILED with the last lines. Ctrl-C stops the whole process group. */
export async function runTests(command: string, options: { cwd: string; reporter: Reporter; redactor: Redactor; signal: AbortSignal }): Promise<void> {
  const { file, args } = describeTestCommand(command);
  const tail: string[] = [];
  const child = execa(file, args, {
    cwd: options.cwd, reject: false, all: true, buffer: false, stdin: 'ignore', detached: true, env: { CI: '1', FORCE_COLOR: '0' },
  });
  // detached: the tests get their own process group, so Ctrl-C can stop npm *and* what it started.
  const stop = () => { try { if (child.pid) process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ } };
  options.signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const raw of child.iterable({ from: 'all' })) {
      const line = options.redactor.redact(String(raw));
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.reporter.output('tests', line);
    }
  } catch {
    /* the exit code below tells what happened */
  }
  const result = await child;
  options.signal.removeEventListener('abort', stop);
  if (options.signal.aborted) throw options.signal.reason;
  if (result.failed) {
    const why = result.exitCode === undefined ? (result.signal ? `killed by ${result.signal}` : result.shortMessage) : `exit code ${result.exitCode}`;
    if (tail.length) {
      options.reporter.warn(`last lines of \`${command}\`:`);
      for (const line of tail) options.reporter.info(`    | ${line}`);
    }
    throw new BimError('TESTS_FAILED', `the app's tests failed (\`${command}\`, ${why})`, {
      hint: `fix the failing tests (run \`${command}\` in the app folder), or deploy anyway with --skip-tests`,
      details: { testCommand: command, exitCode: result.exitCode ?? null, outputTail: tail },
    });
  }
}
