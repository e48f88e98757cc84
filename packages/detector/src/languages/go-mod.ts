/**
 * go.mod reading: the module path, go and toolchain directives and the required
 * modules, each with its line (a line parser: go.mod is not TOML or JSON).
 */

/** A directive value with its 1-based line. */
export interface GoModValue {
  value: string;
  line: number;
}

/** What we read from go.mod. */
export interface GoMod {
  module: GoModValue | null;
  go: GoModValue | null;
  toolchain: GoModValue | null;
  /** Required module path -> line. */
  require: Map<string, number>;
  /** Requirements marked `// indirect` (pulled in by other modules, not imported by the app). */
  indirect: Set<string>;
}

/** Parses go.mod text; unknown lines are ignored, never an error. */
export function parseGoMod(text: string): GoMod {
  const mod: GoMod = { module: null, go: null, toolchain: null, require: new Map(), indirect: new Set() };
  let block: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = raw.replace(/\/\/.*$/, '').trim();
    const indirect = /\/\/\s*indirect\b/.test(raw);
    if (!line) continue;
    if (block) {
      if (line === ')') { block = null; continue; }
      if (block === 'require') {
        const path = line.split(/\s+/)[0];
        if (path && !mod.require.has(path)) mod.require.set(path, i + 1);
        if (path && indirect) mod.indirect.add(path);
      }
      continue;
    }
    const open = /^(\w+)\s*\($/.exec(line);
    if (open?.[1]) { block = open[1]; continue; }
    const [keyword, first] = line.split(/\s+/);
    if (!keyword || !first) continue;
    const value = first.replace(/^"|"$/g, '');
    if (keyword === 'module') mod.module = { value, line: i + 1 };
    else if (keyword === 'go') mod.go = { value, line: i + 1 };
    else if (keyword === 'toolchain') mod.toolchain = { value: value.replace(/^go/, ''), line: i + 1 };
    else if (keyword === 'require' && !mod.require.has(value)) {
      mod.require.set(value, i + 1);
      if (indirect) mod.indirect.add(value);
    }
  }
  return mod;
}

/** The folders a go.work `use`s, normalised ('./services/api' -> 'services/api'). */
export function parseGoWorkUses(text: string): string[] {
  const uses: string[] = [];
  let inUse = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (inUse) {
      if (line === ')') inUse = false;
      else if (line) uses.push(line);
      continue;
    }
    if (/^use\s*\($/.test(line)) inUse = true;
    else if (/^use\s+\S/.test(line)) uses.push(line.slice(3).trim());
  }
  return uses.map((u) => u.replace(/^"|"$/g, '').replace(/^\.\//, '').replace(/\/$/, '') || '.');
}

/** Web frameworks by module path prefix (major-version suffixes vary). */
export const GO_FRAMEWORKS: readonly { name: string; module: RegExp }[] = [
  { name: 'gin', module: /^github\.com\/gin-gonic\/gin$/ },
  { name: 'echo', module: /^github\.com\/labstack\/echo(\/v\d+)?$/ },
  { name: 'fiber', module: /^github\.com\/gofiber\/fiber(\/v\d+)?$/ },
  { name: 'chi', module: /^github\.com\/go-chi\/chi(\/v\d+)?$/ },
];

/** The name `go build` gives a package's binary: the last path element, skipping a /vN suffix. */
export function binaryName(importPath: string): string {
  const parts = importPath.split('/').filter(Boolean);
  const last = parts[parts.length - 1] ?? 'app';
  return /^v\d+$/.test(last) && parts.length > 1 ? parts[parts.length - 2] ?? last : last;
}
