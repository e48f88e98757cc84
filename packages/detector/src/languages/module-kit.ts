/**
 * Small helpers shared by the language modules: evidence, line lookup, safe TOML
 * reading, version pins and the builders we suggest.
 */
import type { Evidence, PlanWarning } from '@bim-pack/shared';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { AppFiles, Found } from '../types.js';

/** Builders the language modules suggest (pack's suggested, trusted builders). */
export const BUILDERS = {
  paketoBase: 'paketobuildpacks/builder-jammy-base',
  /** The only Paketo jammy builder that ships PHP. */
  paketoFull: 'paketobuildpacks/builder-jammy-full',
  heroku: 'heroku/builder:24',
} as const;

/** One piece of evidence. */
export function cite(reason: string, file?: string, line?: number): Evidence {
  const evidence: Evidence = { reason };
  if (file !== undefined) evidence.file = file;
  if (line !== undefined) evidence.line = line;
  return evidence;
}

/** A decided value with its evidence. */
export function found<T>(value: T, ...evidence: Evidence[]): Found<T> {
  return { value, evidence };
}

/** A warning for the plan; undefined fields are left out so the JSON stays stable. */
export function warning(code: string, message: string, extra: { file?: string; line?: number; hint?: string } = {}): PlanWarning {
  const w: PlanWarning = { code, message };
  if (extra.file !== undefined) w.file = extra.file;
  if (extra.line !== undefined) w.line = extra.line;
  if (extra.hint !== undefined) w.hint = extra.hint;
  return w;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line where a match's text starts (a leading `^\s*` may swallow blank lines before it). */
function lineOfMatch(text: string, match: RegExpExecArray): number {
  return lineAt(text, match.index + (/^\s*/.exec(match[0])?.[0].length ?? 0));
}

/** First match of a pattern with its 1-based line, or null. */
export function matchLine(text: string, pattern: RegExp): { match: RegExpExecArray; line: number } | null {
  const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  const match = re.exec(text);
  return match ? { match, line: lineOfMatch(text, match) } : null;
}

/** Every match of a pattern with its 1-based line. */
export function matchLines(text: string, pattern: RegExp): { match: RegExpExecArray; line: number }[] {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const out: { match: RegExpExecArray; line: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ match: m, line: lineOfMatch(text, m) });
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/** Reads and parses a TOML file; a bad file records a warning and gives null. */
export async function readToml(files: AppFiles, path: string): Promise<Record<string, unknown> | null> {
  const text = await files.text(path);
  if (text === null) return null;
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const line = error instanceof TomlError ? error.line : undefined;
    const first = String((error as Error).message).split('\n')[0];
    files.warn(warning('FILE_INVALID_TOML', `${path} is not valid TOML: ${first}`, {
      file: path, ...(line ? { line } : {}), hint: `fix the syntax in ${path}`,
    }));
    return null;
  }
}

/** A version pin read from .tool-versions (asdf/mise), e.g. `python 3.12.1`. */
export async function readToolVersions(files: AppFiles, tools: string[]): Promise<{ version: string; line: number } | null> {
  const text = await files.text('.tool-versions');
  if (text === null) return null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const [tool, version] = (lines[i] ?? '').replace(/#.*/, '').trim().split(/\s+/);
    if (tool && version && tools.includes(tool)) return { version, line: i + 1 };
  }
  return null;
}

/** The first non-empty, non-comment line of a one-value pin file (.python-version, .ruby-version). */
export function firstValue(text: string): { value: string; line: number } | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const value = (lines[i] ?? '').replace(/#.*/, '').trim();
    if (value) return { value, line: i + 1 };
  }
  return null;
}

/**
 * Turns a pinned version into a buildpack version constraint: a full version stays exact,
 * a partial one ("3.12") becomes a wildcard ("3.12.*") so patch releases still match.
 * Returns null for anything that is not a plain version number.
 */
export function toVersionConstraint(pin: string): string | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(pin.trim());
  if (!m) return null;
  if (m[3] !== undefined) return `${m[1]}.${m[2]}.${m[3]}`;
  if (m[2] !== undefined) return `${m[1]}.${m[2]}.*`;
  return `${m[1]}.*`;
}

/** Reads a string at a dotted path in parsed TOML/JSON data. */
export function pick(data: unknown, ...path: string[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Files at most `depth` folders deep (0 = the app folder itself). */
export function withinDepth(path: string, depth: number): boolean {
  return path.split('/').length - 1 <= depth;
}

/**
 * Makes `start` the web process on Paketo builders through the procfile buildpack's
 * BP_PROCFILE_DEFAULT_PROCESS (paketo-buildpacks/procfile); a Procfile `web:` line wins, so none then
 * (a Procfile with only other processes is merged with it by the buildpack).
 */
export async function defaultProcessEnv(files: AppFiles, start: string | null): Promise<{ env: Record<string, string>; evidence: Evidence[] }> {
  const procfile = await files.text('Procfile');
  const web = procfile === null ? null : matchLine(procfile, /^web\s*:/m);
  if (web) return { env: {}, evidence: [cite('the Procfile defines the web process', 'Procfile', web.line)] };
  if (start === null) return { env: {}, evidence: [] };
  return {
    env: { BP_PROCFILE_DEFAULT_PROCESS: start },
    evidence: [cite('BP_PROCFILE_DEFAULT_PROCESS makes the start command the web process (no Procfile needed)')],
  };
}
