/**
 * Node framework and app kind from dependencies: a server (runs a process),
 * a static export (built files served by nginx), or a library (nothing to run).
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles } from '../../types.js';
import { allDependencies, type Manifest, pkgEvidence } from './package-json.js';

/** What the package is, with the framework behind it. */
export interface NodeKind {
  framework: string | null;
  kind: 'server' | 'static' | 'library';
  /** For static exports: the folder the build writes. */
  outputDir?: string;
  evidence: Evidence[];
}

/** Framework ids and the dependency that reveals each, in priority order (meta-frameworks first). */
const FRAMEWORKS: Array<[string, string[]]> = [
  ['next', ['next']],
  ['nuxt', ['nuxt', 'nuxt3']],
  ['remix', ['@remix-run/node', '@remix-run/serve', '@remix-run/react', '@remix-run/dev']],
  ['sveltekit', ['@sveltejs/kit']],
  ['astro', ['astro']],
  ['nestjs', ['@nestjs/core']],
  ['fastify', ['fastify']],
  ['hono', ['hono']],
  ['koa', ['koa']],
  ['express', ['express']],
];
const STATIC_TOOLS: Array<[string, string, string]> = [
  ['vite', 'vite', 'dist'], ['create-react-app', 'react-scripts', 'build'], ['gatsby', 'gatsby', 'public'], ['parcel', 'parcel', 'dist'],
];

/** Finds the framework (with the dependency line) and whether the app is a server or a static export. */
export async function classifyNode(files: AppFiles, manifest: Manifest): Promise<NodeKind> {
  const deps = allDependencies(manifest.pkg);
  const scripts = manifest.pkg.scripts ?? {};
  for (const [framework, names] of FRAMEWORKS) {
    const dep = names.find((n) => n in deps);
    if (!dep) continue;
    const evidence = [pkgEvidence(manifest, dep, `depends on ${dep}${deps[dep] ? ` ${deps[dep]}` : ''}`)];
    const staticOut = await staticExport(files, framework, deps, scripts, evidence);
    if (staticOut) return { framework, kind: 'static', outputDir: staticOut, evidence };
    return { framework, kind: 'server', evidence };
  }
  if (scripts.start) return { framework: null, kind: 'server', evidence: [] };
  // Without a start script an entry file is a server only if it serves; library packages have an index.js too.
  const main = manifest.pkg.main?.replace(/^\.\//, '');
  for (const entry of [...(main ? [main] : []), 'server.js', 'app.js', 'main.js', 'index.js']) {
    if (/\.listen\(|createServer\(|\bserve\(/.test((await files.text(entry)) ?? '')) return { framework: null, kind: 'server', evidence: [] };
  }
  for (const [framework, dep, out] of STATIC_TOOLS) {
    if (dep in deps && (files.has('index.html') || files.has('public/index.html') || framework === 'gatsby')) {
      return { framework, kind: 'static', outputDir: out, evidence: [pkgEvidence(manifest, dep, `depends on ${dep} and has no server: a static frontend built into ${out}/`)] };
    }
  }
  return { framework: null, kind: scripts.start ? 'server' : 'library', evidence: [] };
}

/** The output folder when a framework is configured for a static export, else null. */
async function staticExport(files: AppFiles, framework: string, deps: Record<string, string>, scripts: Record<string, string>, evidence: Evidence[]): Promise<string | null> {
  const config = async (base: string) => {
    for (const ext of ['js', 'mjs', 'cjs', 'ts', 'mts']) {
      const file = `${base}.${ext}`;
      const text = await files.text(file);
      if (text !== null) return { file, text };
    }
    return null;
  };
  if (framework === 'next') {
    if (/\bnext export\b/.test(scripts.build ?? '')) {
      evidence.push({ file: 'package.json', reason: 'the build script runs `next export`' });
      return 'out';
    }
    const found = await config('next.config');
    const line = found?.text.split('\n').findIndex((l) => /output\s*:\s*['"]export['"]/.test(l)) ?? -1;
    if (found && line >= 0) {
      evidence.push({ file: found.file, line: line + 1, reason: "output: 'export' makes a static site in out/" });
      return 'out';
    }
  }
  if (framework === 'astro') {
    const adapter = Object.keys(deps).find((d) => d.startsWith('@astrojs/') && ['node', 'vercel', 'netlify', 'cloudflare', 'deno'].includes(d.slice(9)));
    const found = await config('astro.config');
    const server = found ? /output\s*:\s*['"](server|hybrid)['"]/.test(found.text) : false;
    if (!adapter && !server) {
      evidence.push({ ...(found ? { file: found.file } : {}), reason: 'no server adapter and no output: "server": Astro builds a static site in dist/' });
      return 'dist';
    }
    if (adapter) evidence.push({ file: 'package.json', reason: `server adapter ${adapter}` });
  }
  if (framework === 'sveltekit' && '@sveltejs/adapter-static' in deps) {
    evidence.push({ file: 'package.json', reason: '@sveltejs/adapter-static writes a static site to build/' });
    return 'build';
  }
  if (framework === 'nuxt' && /\bnuxt(i)? generate\b/.test(scripts.build ?? '')) {
    evidence.push({ file: 'package.json', reason: 'the build script runs `nuxt generate` (static site in .output/public)' });
    return '.output/public';
  }
  return null;
}
