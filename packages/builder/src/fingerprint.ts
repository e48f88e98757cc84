/**
 * The source fingerprint: a hash of the files that go into the build (project.toml include or
 * exclude, .gitignore files, .git left out) plus what else shapes the image (builder,
 * buildpacks, build env). Equal fingerprints mean the build can be skipped.
 *
 * Speed: synchronous reads (many small files: the thread-pool round trips of async reads cost
 * several times the work), yielding to the event loop now and then so Ctrl-C is still seen, and an
 * optional stat cache (like git's index) so unchanged files are not read again.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Bumped when the fingerprint's recipe changes, so old fp tags are not reused by mistake. */
const RECIPE = 'bim-pack-fingerprint-1';
/** Files changed this recently are not cached: a later change within the same mtime tick would go unseen. */
const RACY_MS = 3_000;

/** What goes into a fingerprint besides the files. */
export interface FingerprintInput {
  appDir: string;
  /** project.toml [io.buildpacks] include (gitignore patterns); mutually exclusive with exclude. */
  include?: string[] | undefined;
  exclude?: string[] | undefined;
  /** Anything else that changes the image: builder, buildpacks, build env. */
  context?: Record<string, unknown>;
  /** A JSON file caching per-file hashes by size, mtime, ctime and inode. */
  cacheFile?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** The fingerprint and how many files it covered. */
export interface Fingerprint {
  hash: string;
  files: number;
  /** Files whose hash came from the stat cache. */
  cached: number;
}

interface Matcher {
  /** Folder of the .gitignore relative to appDir, with a trailing slash ('' for the root). */
  base: string;
  rules: Ignore;
}

/** Git's rule: the deepest .gitignore with an opinion on the path decides (so `!keep.log` can re-include). */
const ignoredBy = (matchers: Matcher[], rel: string, isDir: boolean): boolean => {
  for (let i = matchers.length - 1; i >= 0; i--) {
    const m = matchers[i]!;
    if (!rel.startsWith(m.base)) continue;
    const local = rel.slice(m.base.length) + (isDir ? '/' : '');
    if (!local) continue;
    const verdict = m.rules.test(local);
    if (verdict.ignored) return true;
    if (verdict.unignored) return false;
  }
  return false;
};

/** Lists the build's files, relative with '/' separators, sorted. */
export function listBuildFiles(input: Pick<FingerprintInput, 'appDir' | 'include' | 'exclude' | 'signal'> & { gitignore?: boolean }): string[] {
  const excludeRules = input.exclude?.length ? ignore().add(input.exclude) : null;
  const includeRules = input.include?.length ? ignore().add(input.include) : null;
  const files: string[] = [];
  const walk = (dir: string, rel: string, matchers: Matcher[]): void => {
    if (input.signal?.aborted) throw input.signal.reason;
    const entries = readdirSync(dir, { withFileTypes: true });
    let local = matchers;
    if (input.gitignore !== false && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      local = [...matchers, { base: rel ? `${rel}/` : '', rules: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
    }
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (excludeRules?.ignores(isDir ? `${path}/` : path) || ignoredBy(local, path, isDir)) continue;
      if (isDir) walk(join(dir, entry.name), path, local);
      else if (!includeRules || includeRules.ignores(path)) files.push(path);
    }
  };
  walk(input.appDir, '', []);
  return files.sort();
}

/** path -> "statKey hash" (one string per file keeps the cache small and quick to parse). */
type Cache = Map<string, string>;
const statKey = (s: Stats) => `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}:${s.mode}`;

async function loadCache(file: string | undefined): Promise<Cache> {
  const cache: Cache = new Map();
  if (!file) return cache;
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { recipe?: string; paths?: string[]; entries?: string[] };
    if (data.recipe !== RECIPE || !Array.isArray(data.paths) || !Array.isArray(data.entries)) return cache;
    for (let i = 0; i < data.paths.length; i++) cache.set(data.paths[i]!, data.entries[i]!);
  } catch {
    // no cache yet, or an unreadable one: hash everything
  }
  return cache;
}

/** Computes the fingerprint (sha256 hex) of the build's files and context. */
export async function fingerprintSource(input: FingerprintInput): Promise<Fingerprint> {
  const files = listBuildFiles(input);
  const cache = await loadCache(input.cacheFile);
  const fresh: Cache = new Map();
  const now = Date.now();
  const total = createHash('sha256').update(`${RECIPE}\n${stableJson(input.context ?? {})}\n`);
  const prefix = input.appDir.endsWith('/') ? input.appDir : `${input.appDir}/`;
  let cached = 0;
  let changed = false;
  for (let i = 0; i < files.length; i++) {
    if (i % 2000 === 1999) {
      await new Promise((r) => setImmediate(r));
      if (input.signal?.aborted) throw input.signal.reason;
    }
    const rel = files[i]!;
    const path = prefix + rel;
    const info = lstatSync(path);
    const key = statKey(info);
    const entry = cache.get(rel);
    let hash: string;
    if (entry !== undefined && entry.length > key.length && entry.startsWith(key) && entry[key.length] === ' ') {
      hash = entry.slice(key.length + 1);
      cached++;
    } else {
      const content = info.isSymbolicLink() ? Buffer.from(`link:${readlinkSync(path)}`) : readFileSync(path);
      hash = `${info.mode & 0o111 ? 'x' : '-'}${createHash('sha256').update(content).digest('hex')}`;
      changed = true;
    }
    if (now - info.mtimeMs > RACY_MS && now - info.ctimeMs > RACY_MS) fresh.set(rel, `${key} ${hash}`);
    else changed = true;
    total.update(`${rel}\0${hash}\n`);
  }
  // Rewrite the cache only when it would change: serialising 50,000 entries is a good part of a warm run.
  if (input.cacheFile && (changed || fresh.size !== cache.size)) await saveCache(input.cacheFile, fresh);
  return { hash: total.digest('hex'), files: files.length, cached };
}

async function saveCache(file: string, entries: Cache): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ recipe: RECIPE, paths: [...entries.keys()], entries: [...entries.values()] }), { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    // The cache only saves time; a read-only home must not fail the build.
  }
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
