/** Rendering of progress, results and errors. The only place that writes to the console. */
import { BimError, ERROR_CODES, isBimError, type Reporter } from '@bim-pack/shared';

const isTTY = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;
const style = (code: number, text: string) => (isTTY(process.stderr) ? `\x1b[${code}m${text}\x1b[0m` : text);

/** A reporter writing to stderr: plain lines for people, or one JSON event per line. */
export function createReporter(options: { progress: 'auto' | 'json' | 'plain'; verbose: boolean; debug: boolean }): Reporter {
  const started = Date.now();
  if (options.progress === 'json') {
    const emit = (type: string, fields: Record<string, unknown>) =>
      process.stderr.write(`${JSON.stringify({ type, time: new Date().toISOString(), elapsedMs: Date.now() - started, ...fields })}\n`);
    return {
      stage: (stage, message) => emit('stage', { stage, message }),
      step: (message) => emit('step', { message }),
      info: (message) => emit('info', { message }),
      warn: (message) => emit('warn', { message }),
      debug: (message) => options.debug && emit('debug', { message }),
      output: (source, line) => options.verbose && emit('output', { source, line }),
    };
  }
  const write = (line: string) => process.stderr.write(`${line}\n`);
  return {
    stage: (stage, message) => write(`${style(1, `==> ${stage}`)}${message ? ` ${message}` : ''}`),
    step: (message) => write(`    ${message}`),
    info: (message) => write(message),
    warn: (message) => write(`${style(33, 'warning:')} ${message}`),
    debug: (message) => options.debug && write(style(2, `debug: ${message}`)),
    output: (source, line) => options.verbose && write(style(2, `[${source}] ${line}`)),
  };
}

/** The JSON error document and the human lines for any thrown value. */
export function describeError(error: unknown, debug: boolean): { json: Record<string, unknown>; lines: string[] } {
  const bim = isBimError(error) && error.code in ERROR_CODES
    ? (error as BimError)
    : new BimError('INTERNAL', `internal error: ${(error as Error)?.message ?? String(error)}`, {
        hint: 'run again with --debug and report the stack trace',
        cause: error,
      });
  const json: Record<string, unknown> = { code: bim.code, message: bim.message };
  if (bim.hint) json.hint = bim.hint;
  if (bim.details) Object.assign(json, bim.details);
  const lines = [`${style(31, 'error')} ${bim.code}: ${bim.message}`];
  if (bim.hint) lines.push(`hint: ${bim.hint}`);
  if (debug) {
    const stack = (bim.cause instanceof Error ? bim.cause : bim).stack;
    if (stack) lines.push(stack);
  }
  return { json, lines };
}
