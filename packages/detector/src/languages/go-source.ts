/**
 * Go source reading: which folders hold `package main`, which imports they use,
 * whether the app reads PORT, and port literals in listen calls.
 */
import type { AppFiles } from '../types.js';
import { matchLine, matchLines } from './module-kit.js';

/** A place in a file. */
export interface GoSite {
  file: string;
  line: number;
}

/** What the Go sources tell us. */
export interface GoSource {
  /** Folders ('.' or 'cmd/api') with a `package main` file, sorted. */
  mains: string[];
  /** Imported package path -> first site. */
  imports: Map<string, GoSite>;
  /** First os.Getenv("PORT") / os.LookupEnv("PORT"). */
  readsPort: GoSite | null;
  /** gin's Run() without an address, which reads PORT itself. */
  ginRunDefault: GoSite | null;
  /** First port literal in a listen call, e.g. http.ListenAndServe(":8080", nil). */
  hardcoded: (GoSite & { port: number }) | null;
  /** First listen address on the loopback interface only (unreachable from outside a container). */
  loopback: GoSite | null;
}

const SKIP = /(^|\/)(testdata|examples?|vendor|third_party)\//;
const LISTEN = /(?:ListenAndServe(?:TLS)?|\.Run|\.Listen|\.Start|\bListen)\(\s*(?:"tcp\d?",\s*)?"[\w.-]*:(\d{2,5})"|\bAddr:\s*"[\w.-]*:(\d{2,5})"/;

function importsOf(text: string): { path: string; index: number }[] {
  const out: { path: string; index: number }[] = [];
  const block = /^import\s*\(([\s\S]*?)^\)/m.exec(text);
  if (block) {
    const start = block.index + block[0].indexOf('(');
    for (const m of block[1]!.matchAll(/"([^"]+)"/g)) out.push({ path: m[1]!, index: start + 1 + m.index });
  }
  for (const m of text.matchAll(/^import\s+(?:\w+\s+)?"([^"]+)"/gm)) out.push({ path: m[1]!, index: m.index });
  return out;
}

/** Reads the app's Go files (tests, testdata and vendored code excluded). */
export async function readGoSource(files: AppFiles): Promise<GoSource> {
  const source: GoSource = { mains: [], imports: new Map(), readsPort: null, ginRunDefault: null, hardcoded: null, loopback: null };
  const mains = new Set<string>();
  const goFiles = files.find((p) => p.endsWith('.go') && !p.endsWith('_test.go') && !SKIP.test(p)).slice(0, 500);
  for (const file of goFiles) {
    const text = await files.text(file);
    if (text === null) continue;
    if (/^package\s+main\b/m.test(text)) mains.add(file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');
    for (const { path, index } of importsOf(text)) {
      if (!source.imports.has(path)) source.imports.set(path, { file, line: text.slice(0, index).split('\n').length });
    }
    if (!source.readsPort) {
      const env = matchLine(text, /os\.(?:Getenv|LookupEnv)\(\s*"PORT"\s*\)/);
      if (env) source.readsPort = { file, line: env.line };
    }
    if (!source.ginRunDefault) {
      const run = matchLines(text, /\b(\w+)\.Run\(\s*\)/).find((m) => /gin\.(Default|New)\(/.test(text));
      if (run) source.ginRunDefault = { file, line: run.line };
    }
    if (!source.hardcoded) {
      const listen = matchLine(text, LISTEN);
      const port = Number(listen?.match[1] ?? listen?.match[2]);
      if (listen && port >= 1 && port <= 65535) source.hardcoded = { file, line: listen.line, port };
    }
    if (!source.loopback) {
      const local = matchLine(text, /(?:ListenAndServe(?:TLS)?|\.Run|\.Listen|\.Start|\bListen|\bAddr:)\(?\s*(?:"tcp\d?",\s*)?"(?:127\.0\.0\.1|localhost):/);
      if (local) source.loopback = { file, line: local.line };
    }
  }
  source.mains = [...mains].sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)));
  return source;
}

/** Picks the main package to build: the root, else a web-ish name under cmd/, else the first. */
export function chooseMain(mains: readonly string[], moduleName: string): string | null {
  if (mains.length === 0) return null;
  if (mains.includes('.')) return '.';
  const prefer = ['server', 'api', 'web', 'app', 'http', moduleName];
  const base = (dir: string) => dir.slice(dir.lastIndexOf('/') + 1);
  for (const name of prefer) {
    const hit = mains.find((dir) => base(dir) === name);
    if (hit) return hit;
  }
  return mains.find((dir) => base(dir).endsWith('web') || base(dir).endsWith('server')) ?? mains[0] ?? null;
}
