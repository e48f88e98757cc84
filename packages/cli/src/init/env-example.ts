/** The .env.example `bim-pack init` writes when the plan knows the app's runtime env names. */
import type { Plan } from '@bim-pack/shared';

/** The file's text, or null when no env names are known. Names only: values belong in .env. */
export function renderEnvExample(plan: Plan): string | null {
  if (!plan.envNames.length) return null;
  return [
    '# Runtime env this app needs. Put the values in .env (never committed); `bim-pack deploy`',
    '# sends them at deploy time and asks for any that are missing.',
    ...plan.envNames.map((name) => `${name}=`),
    '',
  ].join('\n');
}
