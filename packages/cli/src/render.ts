/** Rendering of progress, results and errors. The only place that writes to the console. */
import { BimError, ERROR_CODES, isBimError, type Reporter } from '@bim-pack/shared';
import { progressEvent, type ProgressEventBody } from './progress-schema.js';

const isTTY = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;
const style = (code: number, text: string) => (isTTY(process.stderr) ? `\x1b[${code}m${text}\x1b[0m` : text);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** A reporter that also closes the last stage (its time) when the command ends. */
export interface RenderedReporter extends Reporter {
  close(ok: boolean): void;
}

/**
 * A reporter writing to stderr: one JSON event per line (`--progress json`), a live line with
 * the current stage and its elapsed time (a terminal), or one plain line per stage with its
 * start time (CI logs, pipes: no colour, no cursor movement).
 */
export function createReporter(options: { progress: 'auto' | 'json' | 'plain'; verbose: boolean; debug: boolean }): RenderedReporter {
  const started = Date.now();
  let current: { name: string; since: number } | null = null;
  const endStage = (status: 'ok' | 'failed', onEnd: (name: string, durationMs: number, status: 'ok' | 'failed') => void) => {
    if (current) onEnd(current.name, Date.now() - current.since, status);
    current = null;
  };
  if (options.progress === 'json') {
    const emit = (body: ProgressEventBody) => process.stderr.write(`${JSON.stringify(progressEvent(body, started))}\n`);
    const onEnd = (stage: string, durationMs: number, status: 'ok' | 'failed') => emit({ type: 'stage-end', stage, durationMs, status });
    return {
      stage: (stage, message) => {
        endStage('ok', onEnd);
        current = { name: stage, since: Date.now() };
        emit(message === undefined ? { type: 'stage', stage } : { type: 'stage', stage, message });
      },
      step: (message) => emit({ type: 'step', message }),
      info: (message) => emit({ type: 'info', message }),
      warn: (message) => emit({ type: 'warn', message }),
      debug: (message) => { if (options.debug) emit({ type: 'debug', message }); },
      output: (source, line) => { if (options.verbose) emit({ type: 'output', source, line }); },
      close: (ok) => endStage(ok ? 'ok' : 'failed', onEnd),
    };
  }
  const live = options.progress === 'auto' && isTTY(process.stderr) && !process.env.CI ? createLiveLine(started) : null;
  const write = (line: string) => (live ? live.print(line) : process.stderr.write(`${line}\n`));
  const onEnd = (stage: string, durationMs: number, status: 'ok' | 'failed') => {
    if (live) write(`${status === 'ok' ? style(32, '✓') : style(31, '✗')} ${stage} ${style(2, seconds(durationMs))}`);
  };
  return {
    stage: (stage, message) => {
      endStage('ok', onEnd);
      current = { name: stage, since: Date.now() };
      if (live) live.set(stage, message);
      else write(`==> ${stage}${message ? ` ${message}` : ''} (at ${seconds(Date.now() - started)})`);
    },
    step: (message) => write(`    ${message}`),
    info: (message) => write(message),
    warn: (message) => write(`${style(33, 'warning:')} ${message}`),
    debug: (message) => { if (options.debug) write(style(2, `debug: ${message}`)); },
    output: (source, line) => { if (options.verbose) write(style(2, `[${source}] ${line}`)); },
    close: (ok) => {
      endStage(ok ? 'ok' : 'failed', onEnd);
      live?.stop();
    },
  };
}

/** The terminal's bottom line: the current stage and its elapsed time, redrawn every 100 ms. */
function createLiveLine(started: number) {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let stage: { name: string; message?: string | undefined; since: number } | null = null;
  let frame = 0;
  let timer: NodeJS.Timeout | null = null;
  const clear = () => process.stderr.write('\r\x1b[2K');
  const draw = () => {
    if (!stage) return;
    clear();
    // Times first, so a narrow terminal cuts the message, not the clock.
    const text = `${frames[frame++ % frames.length]} ${stage.name} ${seconds(Date.now() - stage.since)} (total ${seconds(Date.now() - started)})${stage.message ? ` ${stage.message}` : ''}`;
    process.stderr.write(text.slice(0, Math.max(20, (process.stderr.columns || 80) - 1)));
  };
  return {
    set(name: string, message?: string) {
      stage = { name, message, since: Date.now() };
      if (!timer) {
        timer = setInterval(draw, 100);
        timer.unref(); // never keeps the process alive
      }
      draw();
    },
    print(line: string) {
      if (stage) clear();
      process.stderr.write(`${line}\n`);
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (stage) clear();
      stage = null;
    },
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
