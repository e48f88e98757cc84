/**
 * A small AppFiles over a real folder for the language module tests (the core's
 * tree walk is tested on its own); warnings are collected for assertions.
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanWarning } from '@bim-pack/shared';
import type { AppFiles, LanguageFindings } from '../../src/types.js';

const IGNORED = new Set(['node_modules', '.git', 'vendor', '.venv', 'venv', 'target', 'build', 'dist', 'bin', 'obj']);

/** Top-level fixtures folder. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

/** AppFiles over a real folder, plus the warnings recorded. */
export function openApp(dir: string): AppFiles & { warnings: PlanWarning[] } {
  const list: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.isDirectory()) { if (!IGNORED.has(entry.name)) walk(join(at, entry.name)); }
      else if (entry.isFile()) list.push(relative(dir, join(at, entry.name)).split('\\').join('/'));
    }
  };
  walk(dir);
  list.sort();
  const set = new Set(list);
  const warnings: PlanWarning[] = [];
  return {
    dir, files: list, warnings,
    has: (p) => set.has(p),
    async text(p) {
      if (!set.has(p)) return null;
      const buf = readFileSync(join(dir, p));
      return buf.includes(0) ? null : buf.toString('utf8');
    },
    async json(p) {
      const t = await this.text(p);
      if (t === null) return null;
      try { return JSON.parse(t); } catch { warnings.push({ code: 'FILE_INVALID', message: `${p} is not JSON` }); return null; }
    },
    find: (pred) => list.filter(pred),
    warn: (w) => { warnings.push(w); },
  };
}

/** Opens a fixture app by name. */
export function openFixture(name: string): AppFiles & { warnings: PlanWarning[] } {
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
