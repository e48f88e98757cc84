/**
 * The source fingerprint: a hash of the files that go into the build (project.toml include or
 * exclude, .gitignore files, .git left out) plus what else shapes the image (builder,
 * buildpacks, build env). Equal fingerprints mean the build can be skipped.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Bumped when the fingerprint's recipe changes, so old fp tags are not reused by mistake. */
const RECIPE = 'bim-pack-fingerprint-1';

/** What goes into a fingerprint besides the files. */
export interface FingerprintInput {
  appDir: string;
  /** project.toml [io.buildpacks] include (gitignore patterns); mutually exclusive with exclude. */
  include?: string[];
  exclude?: string[];
  /** Anything else that changes the image: builder, buildpacks, build env. */
  context?: Record<string, unknown>;
  signal?: AbortSignal;
}

/** The fingerprint and how many files it covered. */
export interface Fingerprint {
  hash: string;
  files: number;
}

interface Matcher {
  /** Folder of the .gitignore, relative to appDir ('' for the root), with a trailing slash. */
  base: string;
  rules: Ignore;
}

const ignoredBy = (matchers: Matcher[], rel: string, isDir: boolean): boolean => {
  for (const m of matchers) {
    if (!rel.startsWith(m.base)) continue;
    const local = rel.slice(m.base.length) + (isDir ? '/' : '');
    if (local && m.rules.ignores(local)) return true;
  }
  return false;
};

/** Lists the build's files, relative with '/' separators, sorted. */
export async function listBuildFiles(input: FingerprintInput): Promise<string[]> {
  const root: Matcher[] = [];
  if (input.exclude?.length) root.push({ base: '', rules: ignore().add(input.exclude) });
  const includeRules = input.include?.length ? ignore().add(input.include) : null;
  const files: string[] = [];
  const walk = async (dir: string, rel: string, matchers: Matcher[]): Promise<void> => {
    if (input.signal?.aborted) throw input.signal.reason;
    const entries = await readdir(dir, { withFileTypes: true });
    let local = matchers;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const text = await readFile(join(dir, '.gitignore'), 'utf8');
      local = [...matchers, { base: rel ? `${rel}/` : '', rules: ignore().add(text) }];
    }
    const subdirs: Array<Promise<void>> = [];
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (ignoredBy(local, path, isDir)) continue;
      if (isDir) subdirs.push(walk(join(dir, entry.name), path, local));
      else if (!includeRules || includeRules.ignores(path)) files.push(path);
    }
    await Promise.all(subdirs);
  };
  await walk(input.appDir, '', root);
  return files.sort();
}

/** Hashes one file: content for files, target for symlinks, plus the executable bit. */
async function hashFile(appDir: string, rel: string): Promise<string> {
  const path = join(appDir, rel);
  const info = await lstat(path);
  const content = info.isSymbolicLink() ? Buffer.from(`link:${await readlink(path)}`) : await readFile(path);
  const exec = info.mode & 0o111 ? 'x' : '-';
  return `${exec}${createHash('sha256').update(content).digest('hex')}`;
}

/** Computes the fingerprint (sha256 hex) of the build's files and context. */
export async function fingerprintSource(input: FingerprintInput): Promise<Fingerprint> {
  const files = await listBuildFiles(input);
  const hashes = new Array<string>(files.length);
  let next = 0;
  // A bounded pool: enough reads in flight to keep the disk busy without exhausting file handles.
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      if (input.signal?.aborted) throw input.signal.reason;
      hashes[i] = await hashFile(input.appDir, files[i]!);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const total = createHash('sha256').update(`${RECIPE}\n`);
  total.update(`${stableJson(input.context ?? {})}\n`);
  for (let i = 0; i < files.length; i++) total.update(`${files[i]}\0${hashes[i]}\n`);
  return { hash: total.digest('hex'), files: files.length };
}

/** JSON with object keys sorted at every level, so equal contexts hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
