/**
 * What init needs beyond the plan: from flags, or asked on a terminal. Without a terminal
 * (CI, agents, --json) nothing is asked: anything missing fails at once, listed by flag.
 */
import { createInterface } from 'node:readline/promises';
import { BimError, type Plan } from '@bim-pack/shared';

/** The answers init works with. */
export interface InitAnswers {
  app: string;
  branch: string;
  target?: string | undefined;
  image?: string | undefined;
  start?: string | undefined;
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks flag values; throws USAGE_BAD_FLAG for a bad one. */
export function checkAnswers(answers: InitAnswers): InitAnswers {
  if (!DNS_LABEL.test(answers.app)) {
    throw new BimError('USAGE_BAD_FLAG', `--app "${answers.app}" is not a DNS label`, { hint: 'use lower-case letters, digits and -, e.g. --app orders-api' });
  }
  if (answers.target && answers.target !== 'local' && !/^https?:\/\/[^\s/]+/.test(answers.target)) {
    throw new BimError('USAGE_BAD_FLAG', `--target "${answers.target}" is neither "local" nor an http(s) URL`, { hint: 'use --target local or --target https://api.backend.im' });
  }
  return answers;
}

/** The flags still needed, e.g. a start command when the plan found none. */
export function findMissing(plan: Plan, answers: InitAnswers): Array<{ flag: string; why: string }> {
  const missing: Array<{ flag: string; why: string }> = [];
  if (!plan.start.value && plan.language.value !== 'static' && !answers.start) {
    missing.push({ flag: '--start <command>', why: 'no start command was found (no start script, Procfile or main file)' });
  }
  return missing;
}

/** Fails with every missing flag listed (non-interactive runs). */
export function failOnMissing(missing: Array<{ flag: string; why: string }>): void {
  if (!missing.length) return;
  throw new BimError('CONFIG_INIT_INPUT_MISSING', `init needs ${missing.map((m) => `${m.flag} (${m.why})`).join('; ')}`, {
    hint: `run \`bim-pack init ${missing.map((m) => m.flag.replace(/ <.*>$/, ' ...')).join(' ')}\`, or run it in a terminal to be asked`,
    details: { missing: missing.map((m) => m.flag.split(' ')[0]!) },
  });
}

/** Asks on the terminal (stderr) for what is missing and lets the user confirm the defaults. */
export async function askAnswers(plan: Plan, given: InitAnswers, signal: AbortSignal): Promise<InitAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const ask = async (question: string, fallback: string) => (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `, { signal })).trim() || fallback;
  try {
    const answers = { ...given };
    answers.app = await ask('App name', given.app);
    answers.target = (await ask('Deploy target: "local" or a Backend.im URL (empty: BACKEND_IM_URL at deploy time)', given.target ?? '')) || undefined;
    answers.branch = await ask('Branch whose pushes deploy', given.branch);
    for (const need of findMissing(plan, answers)) {
      if (need.flag.startsWith('--start')) {
        while (!answers.start) answers.start = (await ask(`Start command (${need.why})`, '')) || undefined;
      }
    }
    return answers;
  } finally {
    rl.close();
  }
}

/** In a monorepo, asks which app folder to set up; the answer is a --path value. */
export async function askAppPath(candidates: Array<{ path: string; language: string | null }>, signal: AbortSignal): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(`This folder holds ${candidates.length} apps:\n${candidates.map((c, i) => `  ${i + 1}) ${c.path} (${c.language ?? 'unknown'})`).join('\n')}\n`);
    for (;;) {
      const answer = (await rl.question(`Which one [1-${candidates.length}]: `, { signal })).trim();
      const chosen = candidates[Number(answer) - 1] ?? candidates.find((c) => c.path === answer);
      if (chosen) return chosen.path;
    }
  } finally {
    rl.close();
  }
}
