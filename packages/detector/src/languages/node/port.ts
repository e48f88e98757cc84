/**
 * Does the app listen on $PORT? Reads the entry files (and the files they import
 * relatively, one level) for process.env.PORT and for literal ports in listen calls.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles } from '../../types.js';
import { entriesFromCommand } from './start.js';

/** Port findings in the shape of LanguageFindings.port. */
export interface PortFindings {
  honoursPortEnv: boolean | null;
  hardcoded: number | null;
  evidence: Evidence[];
}

/** Frameworks whose production server reads PORT itself. */
const READS_PORT: Record<string, string> = {
  next: 'next start reads PORT',
  nuxt: 'the Nuxt (Nitro) server reads PORT',
  remix: 'remix-serve reads PORT',
  sveltekit: 'the SvelteKit node adapter reads PORT',
  astro: 'the Astro node adapter (standalone) reads PORT',
};
const ENV_PORT = /process\.env\.PORT\b|process\.env\[['"]PORT['"]\]|\{[^}]*\bPORT\b[^}]*\}\s*=\s*process\.env|Bun\.env\.PORT|Deno\.env\.get\(['"]PORT/;
const LITERAL_LISTEN = /\.listen\(\s*(\d{2,5})\b|\b(?:const|let|var)\s+PORT\s*=\s*(\d{2,5})\b/i;
// `port: 5432` alone is often a database; only count it in a serve/listen call on the same line.
const LITERAL_OPTION = /^(?=.*\b(?:listen|serve|fetch)\b).*\bport\s*:\s*(\d{2,5})\b/;
const IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const MAX_FILES = 8;

/** Scans the entry files for how the app picks its port. */
export async function scanPort(files: AppFiles, entries: string[], framework: string | null, startScript: string | undefined, startLine?: number): Promise<PortFindings> {
  const evidence: Evidence[] = [];
  if (startScript) {
    const flag = /(?:-p|--port)[ =](\d{2,5})\b/.exec(startScript);
    if (flag) return { honoursPortEnv: false, hardcoded: Number(flag[1]), evidence: [{ file: 'package.json', ...(startLine ? { line: startLine } : {}), reason: `the start script passes ${flag[0]}` }] };
  }
  if (framework && READS_PORT[framework]) return { honoursPortEnv: true, hardcoded: null, evidence: [{ reason: READS_PORT[framework]! }] };
  const queue = [...entries];
  const seen = new Set<string>();
  let honours = false;
  let fallback: Evidence | null = null;
  let literal: { port: number; evidence: Evidence } | null = null;
  while (queue.length && seen.size < MAX_FILES) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await files.text(file);
    if (text === null) continue;
    text.split('\n').forEach((line, index) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      if (ENV_PORT.test(line) && !honours) {
        honours = true;
        evidence.push({ file, line: index + 1, reason: 'reads process.env.PORT' });
        const fb = /(?:\|\||\?\?)\s*['"]?(\d{2,5})/.exec(line);
        if (fb) fallback = { file, line: index + 1, reason: `falls back to ${fb[1]} when PORT is unset` };
      }
      const match = LITERAL_LISTEN.exec(line) ?? LITERAL_OPTION.exec(line);
      if (match && !ENV_PORT.test(line) && !literal) {
        const port = Number(match[1] ?? match[2]);
        if (port >= 1 && port <= 65535) literal = { port, evidence: { file, line: index + 1, reason: `listens on the literal port ${port}` } };
      }
    });
    if (!honours && !literal) {
      for (const [, spec] of text.matchAll(IMPORT)) {
        const base = joinRelative(file, spec!);
        queue.push(...entriesFromCommand(files, base));
      }
    }
  }
  if (fallback) evidence.push(fallback);
  const found = literal as { port: number; evidence: Evidence } | null;
  if (honours) {
    // A literal next to an env read is usually `const PORT = process.env.PORT || 3000` split over lines.
    return { honoursPortEnv: true, hardcoded: null, evidence };
  }
  if (found) return { honoursPortEnv: false, hardcoded: found.port, evidence: [found.evidence] };
  if (seen.size === 0) return { honoursPortEnv: null, hardcoded: null, evidence: [{ reason: 'no entry file to read' }] };
  return { honoursPortEnv: null, hardcoded: null, evidence: [{ file: [...seen][0]!, reason: `no PORT read and no listen call found in ${[...seen].join(', ')}` }] };
}

function joinRelative(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const piece of spec.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}
