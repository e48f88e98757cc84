/**
 * The contract between the detector's core and its language modules.
 * The core walks the tree once (skipping node_modules, .git, vendor, virtualenvs,
 * build outputs), then asks each language module in turn about the app folder.
 */
import type { Evidence, Language, PlanWarning, ProjectToml } from '@bim-pack/shared';

/** A decided value and why. */
export interface Found<T> {
  value: T;
  evidence: Evidence[];
}

/** Read-only view of the app folder. Paths are relative to the app folder, '/'-separated. */
export interface AppFiles {
  /** Absolute path of the app folder. */
  readonly dir: string;
  /** Every file found by the walk (relative paths), ignored folders excluded. */
  readonly files: readonly string[];
  has(path: string): boolean;
  /** Text of a file, or null when missing, unreadable, binary or too large (a warning is recorded). */
  text(path: string): Promise<string | null>;
  /** Parsed JSON, or null when missing; invalid JSON records a warning and gives null. */
  json(path: string): Promise<unknown | null>;
  /** Files matching a predicate on the relative path. */
  find(predicate: (path: string) => boolean): string[];
  warn(warning: PlanWarning): void;
}

/** What one language module decides. null fields mean "no opinion"; the core fills defaults. */
export interface LanguageFindings {
  language: Found<Language>;
  packageManager: Found<string | null>;
  framework: Found<string | null>;
  runtimeVersion: Found<string | null>;
  buildCommand: Found<string | null>;
  start: Found<string | null>;
  test: Found<string | null>;
  port: { honoursPortEnv: boolean | null; hardcoded: number | null; evidence: Evidence[] };
  /** Builder suited to this language and framework. */
  builder: Found<string>;
  buildpacks: Found<string[]>;
  buildEnv: Found<Record<string, string>>;
}

/** A language module: recognises its language in an app folder and decides the rest. */
export interface LanguageDetector {
  readonly language: Language;
  /** Cheap check on file names only: does this folder look like this language? Higher wins. 0 = no. */
  score(files: AppFiles): number;
  /** Full decision, reading the files it needs. */
  detect(files: AppFiles, projectToml: ProjectToml | null): Promise<LanguageFindings>;
}
