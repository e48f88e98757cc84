/** Small text helpers for language modules: find a line and make evidence from it. */
import type { Evidence } from '@bim-pack/shared';

/** 1-based line of the first match of `pattern` in `text`, or undefined. */
export function lineOf(text: string, pattern: RegExp | string): number | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)));
  return index >= 0 ? index + 1 : undefined;
}

/** The first match of `pattern` with its 1-based line, or undefined. */
export function matchLine(text: string, pattern: RegExp): { match: RegExpExecArray; line: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = pattern.exec(lines[i] ?? '');
    if (match) return { match, line: i + 1 };
  }
  return undefined;
}

/** Evidence pointing at a file (and the line of `pattern` in its text, when given and found). */
export function evidence(reason: string, file?: string, text?: string | null, pattern?: RegExp | string): Evidence {
  const line = text && pattern !== undefined ? lineOf(text, pattern) : undefined;
  return { ...(file ? { file } : {}), ...(line ? { line } : {}), reason };
}

/** A Found value with one piece of evidence. */
export function found<T>(value: T, reason: string, file?: string, line?: number) {
  return { value, evidence: [{ ...(file ? { file } : {}), ...(line ? { line } : {}), reason }] };
}
