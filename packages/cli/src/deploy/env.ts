/**
 * Runtime env for a deployment: .env (or --env-file), the process env for names the app
 * declares, and --env K=V. Parsed with zod at the edge; values are secrets and never printed.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { BimError } from '@bim-pack/shared';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EntrySchema = z.object({ name: z.string().regex(NAME, 'must be a POSIX env name'), value: z.string().max(65536, 'is longer than 64 KiB') });

/** Unquotes a .env value: 'single' is literal, "double" knows \n \t \" \\, bare values drop a trailing # comment. */
function unquote(raw: string): string {
  const value = raw.trim();
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1);
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    return value.slice(1, -1).replace(/\\([nt"\\])/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c]!);
  }
  return value.replace(/\s+#.*$/, '');
}

/** Parses .env text: `NAME=value` lines, `export` allowed, `#` comments; a bad line is CONFIG_ENV_FILE_INVALID with file:line. */
export function parseDotEnv(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = /^(?:export\s+)?([^=\s]+)\s*=(.*)$/.exec(trimmed);
    if (!m) {
      problems.push(`${file}:${index + 1}: expected NAME=value`);
      return;
    }
    const parsed = EntrySchema.safeParse({ name: m[1], value: unquote(m[2]!) });
    if (!parsed.success) problems.push(`${file}:${index + 1}: ${m[1]} ${parsed.error.issues[0]!.message}`);
    else out[parsed.data.name] = parsed.data.value;
  });
  if (problems.length) {
    throw new BimError('CONFIG_ENV_FILE_INVALID', problems.join('\n'), { hint: `fix ${file}: one NAME=value per line`, details: { file, issues: problems } });
  }
  return out;
}

/** Reads and parses an env file; undefined when it does not exist (unless required). */
export async function readEnvFile(path: string, required: boolean): Promise<Record<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    throw new BimError('CONFIG_ENV_FILE_INVALID', `cannot read env file ${path}: ${(error as Error).message}`, { hint: 'check the --env-file path' });
  }
  return parseDotEnv(text, path);
}

/** Parses repeated --env K=V flags. */
export function parseEnvFlags(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      throw new BimError('USAGE_BAD_FLAG', `--env ${name}: must be NAME=VALUE with a POSIX name`, { hint: 'pass --env NAME=VALUE (repeatable)' });
    }
    out[name] = item.slice(eq + 1);
  }
  return out;
}

/** The merged env and the names still without a value. Later sources win: file < process env (declared names) < flags. */
export function mergeRuntimeEnv(input: {
  required: string[];
  file: Record<string, string>;
  flags: Record<string, string>;
  processEnv: Record<string, string | undefined>;
}): { env: Record<string, string>; missing: string[] } {
  const env: Record<string, string> = { ...input.file };
  for (const name of input.required) {
    const value = input.processEnv[name];
    if (value !== undefined && !(name in env)) env[name] = value;
  }
  Object.assign(env, input.flags);
  const missing = input.required.filter((name) => !(name in env));
  return { env, missing };
}

/** CONFIG_ENV_MISSING listing every missing name (details.missing for agents). */
export function envMissingError(missing: string[], envFile: string): BimError {
  return new BimError('CONFIG_ENV_MISSING', `the app needs env ${missing.length === 1 ? 'variable' : 'variables'} ${missing.join(', ')} (listed in .env.example or [im.backend] env) but ${missing.length === 1 ? 'it is' : 'they are'} not set`, {
    hint: `add ${missing.map((n) => `${n}=...`).join(' ')} to ${envFile}, or pass --env ${missing[0]}=... for each`,
    details: { missing },
  });
}
