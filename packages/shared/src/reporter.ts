/**
 * Libraries report progress through a Reporter; only the CLI renders it.
 * Libraries never write to the console or colour anything.
 */
export interface Reporter {
  /** A stage begins (e.g. "build"). */
  stage(name: string, message?: string): void;
  /** A step inside the current stage. */
  step(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Raw output of a child process (pack, tests), one line at a time. */
  output(source: string, line: string): void;
}

/** A reporter that drops everything (library default). */
export const silentReporter: Reporter = {
  stage() {},
  step() {},
  info() {},
  warn() {},
  debug() {},
  output() {},
};
