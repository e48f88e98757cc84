/**
 * Start, build and test commands. Start: package.json `start`, else the framework's
 * production command, else `main` or a conventional entry file (Paketo's order:
 * server.js, app.js, main.js, index.js). The Procfile is applied later by the core.
 */
import type { AppFiles, Found } from '../../types.js';
import type { NodeKind } from './framework.js';
import { type Manifest, pkgEvidence } from './package-json.js';
import { type NodePackageManager, runScript } from './package-manager.js';

/** Production commands of frameworks that need no start script of their own. */
const CONVENTIONS: Record<string, { command: string; entry?: string }> = {
  next: { command: 'npx next start' },
  nuxt: { command: 'node .output/server/index.mjs' },
  remix: { command: 'npx remix-serve ./build/server/index.js' },
  sveltekit: { command: 'node build' },
  astro: { command: 'node ./dist/server/entry.mjs' },
  nestjs: { command: 'node dist/main', entry: 'src/main.ts' },
};
const ENTRY_FILES = ['server.js', 'app.js', 'main.js', 'index.js'];
const DEV_COMMANDS = /\b(nodemon|ts-node-dev|next dev|nuxt dev|vite(?! (build|preview))|astro dev|remix dev|--watch)\b/;

/** The start command and the source files worth reading for the port. */
export function decideStart(files: AppFiles, manifest: Manifest | null, manager: NodePackageManager, kind: NodeKind): { start: Found<string | null>; entries: string[]; byConvention?: boolean } {
  const script = manifest?.pkg.scripts?.start;
  if (manifest && script) {
    const evidence = [pkgEvidence(manifest, 'start', `package.json start script: "${script}"`)];
    if (DEV_COMMANDS.test(script)) {
      files.warn({ code: 'NODE_START_IS_DEV', message: `the start script runs a development server ("${script}")`, file: 'package.json', ...(evidence[0]!.line ? { line: evidence[0]!.line } : {}), hint: 'make "start" run the production server, and keep the dev server under "dev"' });
    }
    if (/^bun\s/.test(script)) {
      files.warn({ code: 'NODE_START_NEEDS_BUN', message: 'the start script runs bun, which the Node buildpacks do not install', file: 'package.json', hint: 'start with node instead (e.g. "start": "node dist/index.js")' });
    }
    return { start: { value: runScript(manager, 'start'), evidence }, entries: entriesFromCommand(files, script) };
  }
  const convention = kind.framework ? CONVENTIONS[kind.framework] : undefined;
  if (convention && kind.kind === 'server') {
    files.warn({ code: 'NODE_NO_START_SCRIPT', message: `no start script; using ${kind.framework}'s production command "${convention.command}"`, file: 'package.json', hint: `add "start": "${convention.command.replace(/^npx /, '')}" to the scripts in package.json` });
    return {
      start: { value: convention.command, evidence: [...kind.evidence, { reason: `${kind.framework}'s production server (no start script)` }] },
      entries: convention.entry && files.has(convention.entry) ? [convention.entry] : [],
      byConvention: true,
    };
  }
  const main = manifest?.pkg.main;
  if (manifest && main && kind.kind !== 'library' && files.has(main.replace(/^\.\//, ''))) {
    return { start: { value: `node ${main}`, evidence: [pkgEvidence(manifest, 'main', `no start script; package.json main is ${main}`)] }, entries: [main.replace(/^\.\//, '')] };
  }
  const entry = kind.kind === 'library' ? undefined : ENTRY_FILES.find((f) => files.has(f));
  if (entry) return { start: { value: `node ${entry}`, evidence: [{ file: entry, reason: `no start script; ${entry} is the conventional entry file` }] }, entries: [entry] };
  const reason = kind.kind === 'library'
    ? 'looks like a library: no start script, no server framework, and neither main nor index.js serves HTTP'
    : 'no start script, no framework server, no main and no server.js/app.js/main.js/index.js';
  return { start: { value: null, evidence: [{ file: 'package.json', reason }] }, entries: [] };
}

/** Source files named in a command (`node src/server.js`, `tsx src/index.ts`, `node dist/main`). */
export function entriesFromCommand(files: AppFiles, command: string): string[] {
  const entries: string[] = [];
  for (const token of command.split(/\s+|&&|;/)) {
    const path = token.replace(/^\.\//, '').replace(/^['"]|['"]$/g, '');
    if (!/^[\w@./-]+$/.test(path) || path.startsWith('-')) continue;
    // Built output is not walked: map dist/x.js back to src/x.ts.
    const bases = [path, path.replace(/^(dist|build|out|lib)\//, 'src/')];
    for (const base of bases) {
      const stem = base.replace(/\.(m|c)?js$/, '');
      const found = [base, `${stem}.ts`, `${stem}.js`, `${stem}.mjs`, `${stem}.mts`, `${stem}/index.js`, `${stem}/index.ts`].find((f) => files.has(f));
      if (found && !entries.includes(found)) { entries.push(found); break; }
    }
  }
  return entries;
}

/** The build command: the `build` script (Paketo runs it when BP_NODE_RUN_SCRIPTS names it). */
export function decideBuild(manifest: Manifest | null, manager: NodePackageManager): Found<string | null> {
  const script = manifest?.pkg.scripts?.build;
  if (!manifest || !script) return { value: null, evidence: [{ reason: 'no build script' }] };
  return { value: runScript(manager, 'build'), evidence: [pkgEvidence(manifest, 'build', `package.json build script: "${script}"`)] };
}

/** The test command: the `test` script, unless it is npm's "no test specified" placeholder. */
export function decideTest(manifest: Manifest | null, manager: NodePackageManager): Found<string | null> {
  const script = manifest?.pkg.scripts?.test;
  if (!manifest || !script) return { value: null, evidence: [{ reason: 'no test script in package.json' }] };
  if (/no test specified/.test(script)) return { value: null, evidence: [pkgEvidence(manifest, 'test', 'the test script is npm\'s "no test specified" placeholder')] };
  return { value: runScript(manager, 'test'), evidence: [pkgEvidence(manifest, 'test', `package.json test script: "${script}"`)] };
}
