// The pack stand-in's project descriptor handling: which descriptor (`--descriptor`, else
// <path>/project.toml), its include/exclude, and the filtered copy of the app folder the "build"
// sees. Follows pack: a given --descriptor path is used as is (relative to the working folder, not
// to --path); an undeclared schema is 0.1 (filter under [build]); 0.2/0.3 read [io.buildpacks];
// include and exclude together are an error; patterns match like pack's gitignore library (every
// walked path is tested; a matching folder takes everything below it; `!` re-includes; the last
// matching pattern wins). Test support only.
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// smol-toml comes with @bim-pack/shared (a dependency of test-support), so no new install is needed.
const requireFromShared = createRequire(new URL('../node_modules/@bim-pack/shared/package.json', import.meta.url));
const { parse: parseToml } = requireFromShared('smol-toml');

/**
 * Reads the descriptor pack would use. Returns { path, builder, include, exclude, warnings } or
 * { error } with pack's message. path is null when there is none (no file at the default place).
 */
export function readDescriptor(appDir, given) {
  const path = given ?? join(appDir, 'project.toml');
  if (!existsSync(path)) {
    if (given) return { error: `stat project descriptor: stat ${given}: no such file or directory` };
    return { path: null, builder: undefined, include: [], exclude: [], warnings: [] };
  }
  let toml;
  try {
    toml = parseToml(readFileSync(path, 'utf8'));
  } catch (error) {
    return { error: `parsing schema version: toml: ${String(error.message).split('\n')[0]}` };
  }
  const warnings = [];
  let version = toml._?.['schema-version'];
  if (!version) {
    warnings.push('No schema version declared in project.toml, defaulting to schema version 0.1');
    version = '0.1';
  }
  if (!['0.1', '0.2', '0.3'].includes(version)) return { error: `unknown project descriptor schema version ${version}` };
  const table = (version === '0.1' ? toml.build : toml.io?.buildpacks) ?? {};
  if (table.include !== undefined && table.exclude !== undefined) return { error: 'project.toml: cannot have both include and exclude defined' };
  const list = (v) => (Array.isArray(v) ? v.map(String) : []);
  return { path, builder: table.builder, include: list(table.include), exclude: list(table.exclude), warnings };
}

/** One pattern as a RegExp over relative '/' paths, the way pack's gitignore library reads it. */
function patternToRegExp(raw) {
  let p = raw;
  // "dir/*.ext" is anchored at the root by pack's library; other patterns without a leading "/" match at any depth.
  if (!p.startsWith('/') && /[^/]\/.*\*\./.test(p)) p = `/${p}`;
  const anchored = p.startsWith('/');
  if (anchored) p = p.slice(1);
  const dirOnly = p.endsWith('/');
  let re = '';
  for (let i = 0; i < p.length; i++) {
    if (i === 0 && p.startsWith('**/')) { re += '(|.*/)'; i += 2; continue; }
    if (p.startsWith('/**/', i)) { re += '(/|/.+/)'; i += 3; continue; }
    if (p.startsWith('/**', i) && i + 3 === p.length) { re += '(|/.*)'; i += 2; continue; }
    const c = p[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < p.length) re += `\\${p[++i]}`;
    else if (c === '[' || c === ']') re += c;
    else re += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  re += dirOnly ? '(|.*)$' : '(|/.*)$';
  return new RegExp((anchored ? '^' : '^(|.*/)') + re);
}

/** Compiles gitignore-style lines; matches(path) is true when the last matching pattern is not a negation. */
export function compilePatterns(lines) {
  const rules = [];
  for (const line of lines) {
    let p = line.replace(/\r$/, '');
    if (p.startsWith('#')) continue;
    p = p.trim();
    if (!p) continue;
    const negate = p.startsWith('!');
    if (negate) p = p.slice(1);
    if (p.startsWith('\\#') || p.startsWith('\\!')) p = p.slice(1);
    rules.push({ re: patternToRegExp(p), negate });
  }
  return {
    matches(path) {
      let matched = false;
      for (const rule of rules) if (rule.re.test(path)) matched = !rule.negate;
      return matched;
    },
  };
}

/** pack's file filter: exclude wins when given, else include, else everything. */
export function makeFileFilter({ include, exclude }) {
  if (exclude.length) { const ex = compilePatterns(exclude); return (rel) => !ex.matches(rel); }
  if (include.length) { const inc = compilePatterns(include); return (rel) => inc.matches(rel); }
  return () => true;
}

/**
 * Copies what pack would send into a fresh temp folder: every walked path is filtered, a folder
 * that does not pass is still walked (its passing children are sent), symlinks stay links.
 */
export function stageApp(appDir, filter) {
  const stage = mkdtempSync(join(tmpdir(), 'pack-standin-app-'));
  const walk = (rel) => {
    for (const name of readdirSync(join(appDir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      const from = join(appDir, path);
      const to = join(stage, path);
      const info = lstatSync(from);
      const keep = filter(path);
      if (info.isDirectory()) {
        if (keep) mkdirSync(to, { recursive: true, mode: info.mode & 0o7777 });
        walk(path);
        continue;
      }
      if (!keep || info.isSocket() || info.isFIFO()) continue;
      mkdirSync(dirname(to), { recursive: true });
      if (info.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
      else { copyFileSync(from, to); chmodSync(to, info.mode & 0o7777); }
    }
  };
  walk('');
  return stage;
}
