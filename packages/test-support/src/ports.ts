/** Free loopback ports for test servers. */
import { createServer } from 'node:net';

/** Asks the kernel for a free port on 127.0.0.1. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until fn resolves truthy or the deadline passes. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; attemptTimeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const attemptMs = options.attemptTimeoutMs ?? 5_000;
  let lastError: unknown;
  // An attempt can hang with no live handle (a fetch to a container that is still starting), and
  // Node would then exit the test early. A ref'd timer keeps the process alive, and each attempt
  // is bounded so a hung one counts as a failed attempt.
  const keepAlive = setInterval(() => {}, 1_000);
  try {
    while (Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const value = await Promise.race([
          fn(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`one attempt took over ${attemptMs} ms`)), attemptMs);
          }),
        ]);
        if (value) return value;
      } catch (error) {
        lastError = error;
      } finally {
        clearTimeout(timer);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
    }
  } finally {
    clearInterval(keepAlive);
  }
  throw new Error(`timed out waiting for ${options.what ?? 'condition'}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
