/**
 * The contract between the detector's core and its language modules.
 * The core walks the tree once (skipping node_modules, .git, vendor, virtualenvs,
 * build outputs), then asks each language module in turn about the app folder.
 *
 * Division of work: the core applies, after the module, the Procfile `web:` line,
 * project.toml overrides, .env.example names, the Dockerfile note and the defaults
 * (builder, port 8080, health check '/'). Modules decide only what their language knows.
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
  /** The monorepo root, when the app folder is a member of one (lockfiles and pins often live there). */
  readonly workspaceRoot?: AppFiles;
  /** This folder relative to workspaceRoot (e.g. "apps/api"), when workspaceRoot is set. */
  readonly fromRoot?: string;
  /** Every file found by the walk (relative paths, sorted), ignored folders excluded. */
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

/**
 * What one language module decides. Every field but `language` may be left out:
 * a missing field means "no opinion" and the core fills its default.
 */
export interface LanguageFindings {
  language: Found<Language>;
  packageManager?: Found<string | null>;
  framework?: Found<string | null>;
  runtimeVersion?: Found<string | null>;
  buildCommand?: Found<string | null>;
  start?: Found<string | null>;
  test?: Found<string | null>;
  port?: { honoursPortEnv: boolean | null; hardcoded: number | null; evidence: Evidence[] };
  /** Builder suited to this language and framework (default: the Paketo jammy base builder). */
  builder?: Found<string>;
  buildpacks?: Found<string[]>;
  buildEnv?: Found<Record<string, string>>;
  /** Preferred app name (e.g. package.json name); the core makes it a DNS label. */
  name?: Found<string>;
}

/**
 * Score scale shared by all modules, so the core can compare them:
 * 0 = not this language; 1..9 = traces only (tooling, a library, a lone file);
 * 10..99 = a deployable app of this language (higher = stronger markers, e.g. lockfile + server framework).
 * The core lists folders scoring >= APP_SCORE as deployable apps in monorepos.
 */
export const APP_SCORE = 10;

/** A language module: recognises its language in an app folder and decides the rest. */
export interface LanguageDetector {
  readonly language: Language;
  /** Cheap check, mostly on file names (may read a manifest): does this folder look like this language? Higher wins. */
  score(files: AppFiles): number | Promise<number>;
  /** Full decision, reading the files it needs. */
  detect(files: AppFiles, projectToml: ProjectToml | null): Promise<LanguageFindings>;
}
