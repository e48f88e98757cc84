/**
 * Static sites: an index.html (at the root or in public/) with no server, or a
 * JavaScript frontend whose build writes static files (vite, astro static, next export...).
 * Paketo's web-servers buildpack builds the frontend and serves it with nginx on $PORT.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { classifyNode, type NodeKind } from './node/framework.js';
import { pkgEvidence, readManifest } from './node/package-json.js';
import { detectPackageManager } from './node/package-manager.js';
import { decideBuild } from './node/start.js';
import { detectNodeVersion } from './node/version.js';

const WEB_SERVERS = 'paketo-buildpacks/web-servers';

async function nodeKind(files: AppFiles): Promise<NodeKind | null> {
  if (!files.has('package.json')) return null;
  const manifest = await readManifest(files);
  if (!manifest || manifest.pkg.workspaces) return null;
  return classifyNode(files, manifest);
}

async function frontend(files: AppFiles): Promise<NodeKind | null> {
  const kind = await nodeKind(files);
  return kind?.kind === 'static' ? kind : null;
}

/** Static module: 40 for a static-export frontend, 20 for index.html, 15 for public/index.html. */
export const staticDetector: LanguageDetector = {
  language: 'static',
  async score(files) {
    const kind = await nodeKind(files);
    if (kind?.kind === 'static') return 40;
    // A package.json of tooling only (prettier, tailwind) does not make a site a Node app; a server does.
    if (kind?.kind === 'server') return 0;
    if (files.has('index.html')) return 20;
    return files.has('public/index.html') ? 15 : 0;
  },
  async detect(files) {
    const kind = await frontend(files);
    const serve = (root: string, spa: boolean, evidence: Evidence[]): Pick<LanguageFindings, 'buildEnv' | 'buildpacks' | 'start' | 'port'> => ({
      buildEnv: files.has('nginx.conf') ? {
        value: kind ? { BP_NODE_RUN_SCRIPTS: 'build' } : {},
        evidence: [{ file: 'nginx.conf', reason: 'nginx.conf is committed: the nginx buildpack uses it instead of generating one' }],
      } : {
        value: { BP_WEB_SERVER: 'nginx', BP_WEB_SERVER_ROOT: root, ...(spa ? { BP_WEB_SERVER_ENABLE_PUSH_STATE: 'true' } : {}), ...(kind ? { BP_NODE_RUN_SCRIPTS: 'build' } : {}) },
        evidence: [...evidence, { reason: `BP_WEB_SERVER=nginx makes the web-servers buildpack serve ${root}${spa ? ' (push state for a single-page app)' : ''}` }],
      },
      buildpacks: { value: [WEB_SERVERS], evidence: [{ reason: 'the web-servers buildpack builds the frontend and serves it with nginx' }] },
      start: { value: 'nginx', evidence: [{ reason: 'the web-servers buildpack generates nginx.conf and starts nginx' }] },
      port: { honoursPortEnv: true, hardcoded: null, evidence: [{ reason: 'the generated nginx.conf listens on $PORT' }] },
    });
    if (!kind) {
      const root = files.has('index.html') ? '.' : 'public';
      const file = root === '.' ? 'index.html' : 'public/index.html';
      return {
        language: { value: 'static', evidence: [{ file, reason: `${file} and no server code` }] },
        framework: { value: null, evidence: [{ reason: 'plain HTML' }] },
        ...serve(root, false, [{ file, reason: `the site root is ${root}` }]),
      };
    }
    const manifest = (await readManifest(files))!;
    const manager = await detectPackageManager(files, manifest);
    if (manager.value === 'pnpm' || manager.value === 'bun' || manager.value === 'yarn-berry') {
      files.warn({ code: 'STATIC_PACKAGE_MANAGER', message: `the web-servers buildpack installs with npm or Yarn 1, not ${manager.value}`, file: manager.lockfile ?? 'package.json', hint: 'commit a package-lock.json (`npm install --package-lock-only`), or build the site yourself and commit the output folder' });
    }
    const build = decideBuild(manifest, manager.value);
    if (!build.value) files.warn({ code: 'STATIC_NO_BUILD_SCRIPT', message: `a ${kind.framework} frontend without a build script: nothing writes ${kind.outputDir}/`, file: 'package.json', hint: 'add "build" to the scripts in package.json' });
    const spa = kind.framework === 'vite' || kind.framework === 'create-react-app' || kind.framework === 'parcel';
    const version = await detectNodeVersion(files, manifest);
    const findings: LanguageFindings = {
      language: { value: 'static', evidence: [...kind.evidence, { reason: `a ${kind.framework} static export: the build writes ${kind.outputDir}/` }] },
      packageManager: { value: manager.value, evidence: manager.evidence },
      framework: { value: kind.framework, evidence: kind.evidence },
      runtimeVersion: { value: version.value, evidence: version.evidence },
      buildCommand: build,
      ...serve(kind.outputDir ?? 'dist', spa, [{ reason: `${kind.framework} writes the site to ${kind.outputDir}/` }]),
    };
    if (manifest.pkg.name) findings.name = { value: manifest.pkg.name, evidence: [pkgEvidence(manifest, 'name', `package.json name "${manifest.pkg.name}"`)] };
    return findings;
  },
};
