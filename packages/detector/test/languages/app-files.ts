/**
 * The detector's own tree walk and AppFiles over a real folder, for the language
 * module tests; the warnings recorded are returned for assertions.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanWarning } from '@bim-pack/shared';
import { createAppFiles } from '../../src/app-files.js';
import type { AppFiles, LanguageFindings } from '../../src/types.js';
import { walkTree } from '../../src/walk.js';

/** Top-level fixtures folder. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

/** AppFiles over a real folder (walked like detect() does), plus the warnings recorded. */
export async function openApp(dir: string): Promise<AppFiles & { warnings: PlanWarning[] }> {
  const walk = await walkTree(dir);
  const warnings: PlanWarning[] = [];
  return Object.assign(createAppFiles(dir, walk.files, '', warnings), { warnings });
}

/** Opens a fixture app by name. */
export function openFixture(name: string): Promise<AppFiles & { warnings: PlanWarning[] }> {
  return openApp(join(FIXTURES, name));
}

/** Writes files into a fresh temp folder; returns it and a cleanup. */
export function writeApp(tree: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bim-lang-'));
  for (const [path, content] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The findings with every field present (our modules always decide all of them). */
export function complete(f: LanguageFindings): Required<Omit<LanguageFindings, 'name'>> & Pick<LanguageFindings, 'name'> {
  for (const key of ['packageManager', 'framework', 'runtimeVersion', 'buildCommand', 'start', 'test', 'port', 'builder', 'buildpacks', 'buildEnv'] as const) {
    if (f[key] === undefined) throw new Error(`findings lack ${key}`);
  }
  return f as Required<Omit<LanguageFindings, 'name'>> & Pick<LanguageFindings, 'name'>;
}
