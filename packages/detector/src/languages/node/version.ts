/**
 * The Node version pin. Paketo reads BP_NODE_VERSION, then engines.node, then .nvmrc,
 * then .node-version; heroku/nodejs reads engines.node only. So engines.node wins here
 * too, and a pin only in .tool-versions becomes BP_NODE_VERSION for Paketo.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles } from '../../types.js';
import { type Manifest, pkgEvidence } from './package-json.js';

/** The pinned version, where it came from, and the build env Paketo needs to honour it. */
export interface NodeVersion {
  value: string | null;
  evidence: Evidence[];
  /** The file the pin came from (package.json, .nvmrc, .node-version, .tool-versions). */
  source: string | null;
}

/** Reads every pin; the first in Paketo's order wins and disagreements become a warning. */
export async function detectNodeVersion(files: AppFiles, manifest: Manifest | null): Promise<NodeVersion> {
  const pins: Array<{ value: string; file: string; evidence: Evidence }> = [];
  const engines = manifest?.pkg.engines?.node;
  if (engines && manifest) pins.push({ value: engines.trim(), file: 'package.json', evidence: pkgEvidence(manifest, 'node', `engines.node is "${engines}"`) });
  for (const file of ['.nvmrc', '.node-version']) {
    const text = await files.text(file);
    const value = text?.split('\n').map((l) => l.replace(/#.*/, '').trim()).find(Boolean)?.replace(/^v(?=\d)/, '');
    if (value) pins.push({ value, file, evidence: { file, line: 1, reason: `${file} pins ${value}` } });
  }
  const tools = await files.text('.tool-versions');
  const toolLine = tools?.split('\n').findIndex((l) => /^\s*(nodejs|node)\s+\S/.test(l)) ?? -1;
  if (tools && toolLine >= 0) {
    const value = tools.split('\n')[toolLine]!.trim().split(/\s+/)[1]!;
    pins.push({ value, file: '.tool-versions', evidence: { file: '.tool-versions', line: toolLine + 1, reason: `.tool-versions pins nodejs ${value}` } });
  }
  const [first, ...rest] = pins;
  if (!first) return { value: null, evidence: [{ reason: 'no engines.node, .nvmrc, .node-version or .tool-versions: the buildpack picks its default Node' }], source: null };
  const evidence = [first.evidence];
  for (const other of rest) {
    if (majorOf(other.value) !== null && majorOf(other.value) !== majorOf(first.value) && !satisfiesRange(first.value, other.value)) {
      files.warn({ code: 'NODE_VERSION_CONFLICT', message: `${first.file} pins Node ${first.value} but ${other.file} pins ${other.value}; the build uses ${first.value}`, file: other.file, hint: `make them agree, e.g. set engines.node to "${other.value}"` });
    }
    evidence.push({ ...other.evidence, reason: `${other.evidence.reason} (not used: ${first.file} comes first)` });
  }
  return { value: first.value, evidence, source: first.file };
}

/** The major version of a plain pin like 20, 20.11.1, v22 or 20.x; null for ranges and aliases. */
function majorOf(value: string): number | null {
  const match = /^v?(\d+)(?:\.(?:\d+|x|\*))*$/.exec(value.trim());
  return match ? Number(match[1]) : null;
}

/** Rough check that a plain version falls in a range such as ">=18", "^20.1", "18 || 20" (enough for a warning). */
function satisfiesRange(range: string, version: string): boolean {
  const major = majorOf(version);
  if (major === null) return true;
  return range.split('||').some((part) => {
    const bounds = [...part.matchAll(/(>=|<=|>|<|\^|~|=)?\s*v?(\d+)/g)];
    if (!bounds.length) return true;
    return bounds.every(([, op, n]) => {
      const m = Number(n);
      switch (op) {
        case '>=': return major >= m;
        case '>': return major > m || major === m;
        case '<=': return major <= m;
        case '<': return major < m;
        default: return major === m;
      }
    });
  });
}
