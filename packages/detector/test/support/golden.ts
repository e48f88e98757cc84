/**
 * Golden plans: fixtures/<name>/ is an app, fixtures/<name>.plan.json its expected plan.
 * Variants: fixtures/<name>@<variant>.options.json holds detect options (e.g. {"path": "apps/api"})
 * and fixtures/<name>@<variant>.plan.json the expected result. An expected failure is stored as
 * {"error": {code, message, hint}}. UPDATE_GOLDEN=1 rewrites the files; review the diff.
 * GOLDEN=<regex on the case name> limits a run, e.g. GOLDEN='^node-' UPDATE_GOLDEN=1.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBimError } from '@bim-pack/shared';
import { detect, type DetectOptions } from '@bim-pack/detector';

/** The repo's fixtures folder. */
export const FIXTURES = new URL('../../../../fixtures/', import.meta.url).pathname;

/** One golden case: a fixture folder, the options and the golden file. */
export interface GoldenCase {
  name: string;
  dir: string;
  options: DetectOptions;
  golden: string;
}

/** Every fixture folder and variant, sorted by name; GOLDEN=<regex> narrows them (e.g. when updating your own). */
export function listGoldenCases(): GoldenCase[] {
  const only = process.env.GOLDEN ? new RegExp(process.env.GOLDEN) : null;
  return allCases().filter((c) => !only || only.test(c.name));
}

function allCases(): GoldenCase[] {
  const cases: GoldenCase[] = [];
  for (const entry of readdirSync(FIXTURES).sort()) {
    const dir = join(FIXTURES, entry);
    if (statSync(dir).isDirectory()) cases.push({ name: entry, dir, options: {}, golden: join(FIXTURES, `${entry}.plan.json`) });
    const variant = /^(.+)@(.+)\.options\.json$/.exec(entry);
    if (variant) {
      const options = JSON.parse(readFileSync(dir, 'utf8')) as DetectOptions;
      cases.push({ name: `${variant[1]}@${variant[2]}`, dir: join(FIXTURES, variant[1]!), options, golden: join(FIXTURES, `${variant[1]}@${variant[2]}.plan.json`) });
    }
  }
  return cases.sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs detect and returns the plan, or the error as data (paths made machine-independent). */
export async function runCase(c: GoldenCase): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(JSON.stringify(await detect(c.dir, c.options))) as Record<string, unknown>;
  } catch (error) {
    if (!isBimError(error)) throw error;
    const clean = (s: string | undefined) => s?.replaceAll(FIXTURES, '<fixtures>/');
    return { error: { code: error.code, message: clean(error.message), hint: clean(error.hint) } };
  }
}

/** Field-by-field differences between the actual result and the golden file (rewritten with UPDATE_GOLDEN=1). */
export function compareGolden(c: GoldenCase, actual: Record<string, unknown>): string[] {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(c.golden)) {
    if (process.env.UPDATE_GOLDEN !== '1') return [`no golden file ${c.golden}; run with UPDATE_GOLDEN=1 and review it`];
    writeFileSync(c.golden, `${JSON.stringify(actual, null, 2)}\n`);
    return [];
  }
  const expected = JSON.parse(readFileSync(c.golden, 'utf8')) as Record<string, unknown>;
  const diffs: string[] = [];
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = JSON.stringify(expected[key], null, 1);
    const got = JSON.stringify(actual[key], null, 1);
    if (want !== got) diffs.push(`${c.name}: field "${key}" differs\n  expected: ${want?.replace(/\n\s*/g, ' ')}\n  actual:   ${got?.replace(/\n\s*/g, ' ')}`);
  }
  return diffs;
}
