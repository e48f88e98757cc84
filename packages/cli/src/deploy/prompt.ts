/** Questions on a TTY (stderr), with hidden input for secret values. */
import { createInterface } from 'node:readline';

/** Asks one question; with `secret` the answer is not echoed. */
export function ask(question: string, options: { secret?: boolean; signal?: AbortSignal } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (options.secret) {
      // Echo nothing while the user types the value.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stderr.write(question);
      };
    }
    const onAbort = () => { rl.close(); reject(options.signal!.reason); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    rl.question(question, (answer) => {
      options.signal?.removeEventListener('abort', onAbort);
      rl.close();
      if (options.secret) process.stderr.write('\n');
      resolve(answer);
    });
  });
}
