/**
 * Smoke checks against the live app URL: each check (path, expected status, optional body
 * text) is retried until it passes or the shared deadline passes. Outcomes are data.
 */
import { silentReporter, type Reporter, type SmokeCheck } from '@bim-pack/shared';
import { NetworkError, type Http } from './http.js';
import { sleep } from './retry.js';

/** One check's outcome. */
export interface SmokeOutcome {
  path: string;
  expectedStatus: number;
  contains?: string;
  /** Last status seen; null when nothing answered. */
  status: number | null;
  ok: boolean;
  attempts: number;
  /** First bytes of the last body (failures only). */
  bodyStart?: string;
  /** Why the last attempt failed. */
  problem?: string;
}

/** Options of runSmokeChecks. */
export interface SmokeOptions {
  deadlineMs: number;
  intervalMs?: number;
  requestTimeoutMs?: number;
  reporter?: Reporter;
  signal?: AbortSignal | undefined;
  /** Body bytes kept for the report. */
  bodyBytes?: number;
}

/** The checks to run: the health-check path first, then the plan's, without duplicates. */
export function listSmokeChecks(healthCheckPath: string, checks: SmokeCheck[]): SmokeCheck[] {
  const out: SmokeCheck[] = [];
  if (!checks.some((c) => c.path === healthCheckPath)) out.push({ path: healthCheckPath, status: 200 });
  for (const check of checks) if (!out.some((c) => c.path === check.path && c.status === check.status && c.contains === check.contains)) out.push(check);
  return out;
}

/** Why a response does not pass the check, or undefined when it passes. */
export function judgeResponse(check: SmokeCheck, status: number, body: string): string | undefined {
  if (status !== check.status) return `answered ${status}, expected ${check.status}`;
  if (check.contains !== undefined && !body.includes(check.contains)) return `the body does not contain "${check.contains}"`;
  return undefined;
}

/** Runs every check against baseUrl until it passes or the deadline passes. */
export async function runSmokeChecks(http: Http, baseUrl: string, checks: SmokeCheck[], options: SmokeOptions): Promise<SmokeOutcome[]> {
  const reporter = options.reporter ?? silentReporter;
  const deadline = Date.now() + options.deadlineMs;
  const bodyBytes = options.bodyBytes ?? 200;
  const results: SmokeOutcome[] = [];
  for (const check of checks) {
    const outcome: SmokeOutcome = { path: check.path, expectedStatus: check.status, status: null, ok: false, attempts: 0 };
    if (check.contains !== undefined) outcome.contains = check.contains;
    for (;;) {
      outcome.attempts++;
      let body = '';
      try {
        const res = await http.send(`${baseUrl.replace(/\/+$/, '')}${check.path}`, {
          timeoutMs: Math.max(500, Math.min(options.requestTimeoutMs ?? 5_000, deadline - Date.now())),
          signal: options.signal, maxBytes: 64 * 1024, headers: { 'user-agent': 'bim-pack-smoke' },
        });
        outcome.status = res.status;
        body = res.text;
        outcome.problem = judgeResponse(check, res.status, body);
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        outcome.problem = `no answer: ${error.message}`;
      }
      if (!outcome.problem) {
        outcome.ok = true;
        delete outcome.problem;
        break;
      }
      outcome.bodyStart = body.slice(0, bodyBytes);
      if (Date.now() + (options.intervalMs ?? 500) >= deadline) break;
      await sleep(options.intervalMs ?? 500, options.signal);
    }
    reporter.step(`${outcome.ok ? 'ok  ' : 'FAIL'} GET ${check.path} -> ${outcome.status ?? 'no answer'}${outcome.ok ? '' : ` (${outcome.problem})`}`);
    if (outcome.ok) delete outcome.bodyStart;
    results.push(outcome);
    if (!outcome.ok) break; // the app is broken: no need to wait out the deadline for the rest
  }
  return results;
}
