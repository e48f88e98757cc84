/** The doctor's lines for people: one per check, the hint under anything not passing. */
import type { Check } from './schema.js';

const MARK: Record<Check['status'], string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** One line per check, then a summary line. */
export function formatChecks(checks: Check[], ok: boolean): string[] {
  const width = Math.max(...checks.map((c) => c.id.length));
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${MARK[check.status]}  ${check.id.padEnd(width)}  ${check.message}`);
    if (check.hint && (check.status === 'fail' || check.status === 'warn')) lines.push(`${' '.repeat(width + 8)}hint: ${check.hint}`);
  }
  const count = (status: Check['status']) => checks.filter((c) => c.status === status).length;
  lines.push('', `${ok ? 'ready to deploy' : 'not ready'}: ${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped`);
  return lines;
}
