/**
 * Runs one command: parses flags with cac, builds the context, renders the
 * result or the error, and returns the exit code. The only place that exits.
 */
// Only the error classes here, and rendering on demand: `--help` must not load zod (~100 ms).
import { BimError, EXIT, exitCodeOf } from '@bim-pack/shared/errors';
import { buildCli, type Invocation } from './cli.js';
import type { CommandContext, GlobalOptions } from './context.js';
import type { RenderedReporter } from './render.js';

/** Runs bim-pack with argv (without node and script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  let invocation: Invocation | undefined;
  let globals: GlobalOptions = {
    cwd: process.cwd(), json: argv.includes('--json'), debug: argv.includes('--debug'), verbose: false,
    progress: 'auto', interactive: false,
  };
  const cleanups: Array<() => Promise<void> | void> = [];
  let reporter: RenderedReporter | undefined;
  const controller = new AbortController();
  const runCleanups = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try { await fn(); } catch { /* cleanup is best effort */ }
    }
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(EXIT.interrupted); // second Ctrl-C: leave now
    interrupted = true;
    controller.abort(new BimError('INTERRUPTED', 'interrupted', { hint: 'run the command again when ready' }));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    invocation = await buildCli(argv);
    if (!invocation) return EXIT.ok; // --help or --version was printed
    globals = invocation.globals;
    const { createReporter } = await import('./render.js');
    const context: CommandContext = {
      ...globals,
      reporter: (reporter = createReporter(globals)),
      signal: controller.signal,
      onCleanup: (fn) => { cleanups.push(fn); },
    };
    const result = await invocation.run(context);
    reporter.close((result.exitCode ?? 0) === 0);
    await runCleanups();
    if (globals.json) {
      process.stdout.write(`${JSON.stringify({ ok: (result.exitCode ?? 0) === 0, command: invocation.command, ...result.data }, null, 2)}\n`);
    } else if (result.lines.length) {
      process.stdout.write(`${result.lines.join('\n')}\n`);
    }
    return result.exitCode ?? EXIT.ok;
  } catch (thrown) {
    reporter?.close(false);
    await runCleanups();
    const error = interrupted && !(thrown instanceof BimError && thrown.code !== 'INTERNAL')
      ? new BimError('INTERRUPTED', 'interrupted by Ctrl-C; nothing was left running', { hint: 'run the command again when ready' })
      : thrown;
    const { describeError } = await import('./render.js');
    const { json, lines } = describeError(error, globals.debug);
    if (globals.json) {
      process.stdout.write(`${JSON.stringify({ ok: false, command: invocation?.command ?? null, error: json }, null, 2)}\n`);
    }
    // Errors always go to stderr for people too, so --json stdout stays one document;
    // with --progress json as one last event, so every stderr line stays JSON.
    if (globals.progress === 'json') {
      const { code, message, hint } = json as { code: string; message: string; hint?: string };
      const { progressEvent } = await import('./progress-schema.js');
      process.stderr.write(`${JSON.stringify(progressEvent({ type: 'error', code, message, ...(hint ? { hint } : {}) }, started))}\n`);
    } else {
      process.stderr.write(`${lines.join('\n')}\n`);
    }
    return exitCodeOf(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
