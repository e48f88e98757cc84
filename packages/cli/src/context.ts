/**
 * What every command receives: where it runs, how to report, and the global flags.
 * Commands return data; main.ts renders it.
 */
import type { Reporter } from '@bim-pack/shared';

export interface GlobalOptions {
  cwd: string;
  json: boolean;
  debug: boolean;
  verbose: boolean;
  /** `--progress json` streams one JSON event per line on stderr. */
  progress: 'auto' | 'json' | 'plain';
  /** stdin and stderr are terminals: prompts and live progress are allowed. */
  interactive: boolean;
}

export interface CommandContext extends GlobalOptions {
  reporter: Reporter;
  /** Aborted on Ctrl-C: pass it to every child process and request. */
  signal: AbortSignal;
  /** Register cleanup that must run even on Ctrl-C (temp dirs, child trees). */
  onCleanup(fn: () => Promise<void> | void): void;
}

/** A command's outcome: the JSON document for --json and the lines for people. */
export interface CommandResult {
  /** Fields of the --json result document (merged into { ok: true, command, ... }). */
  data: Record<string, unknown>;
  /** Human-readable lines for stdout. */
  lines: string[];
  /** Non-zero when the command reports an expected failure as data (e.g. doctor). */
  exitCode?: number;
}
