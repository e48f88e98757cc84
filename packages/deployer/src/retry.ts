/** Retry policy: exponential backoff with jitter, honouring Retry-After. Pure functions. */

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First delay before jitter. */
  baseMs: number;
  /** Largest delay (also caps Retry-After). */
  maxMs: number;
}

/** The default: 6 retries, 250 ms doubling to 8 s (about 20 s in all before giving up). */
export const DEFAULT_RETRY: RetryPolicy = { retries: 6, baseMs: 250, maxMs: 8_000 };

/** Statuses worth another try: rate limits and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Statuses that say the request was not acted on (safe to retry even a non-idempotent call). */
export function isNotProcessedStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before retry number `attempt` (0-based): "equal jitter" (half fixed, half random) of
 * base * 2^attempt, capped; a server's Retry-After wins when it is longer.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  if (retryAfterMs === undefined) return jittered;
  return Math.min(policy.maxMs, Math.max(jittered, retryAfterMs));
}

/** Sleeps, or rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
