/**
 * The Node.js module: package manager, framework, version, start/build/test and port.
 * Builder: Paketo for npm and Yarn 1; heroku/builder:24 for pnpm and Yarn 2+, which
 * heroku/nodejs installs (Paketo's Node buildpacks are built around npm and Yarn 1).
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../../types.js';
import { classifyNode } from './framework.js';
import { lineOfKey, pkgEvidence, readManifest } from './package-json.js';
import { detectPackageManager } from './package-manager.js';
import { scanPort } from './port.js';
import { decideBuild, decideStart, decideTest } from './start.js';
import { detectNodeVersion } from './version.js';

const PAKETO = 'paketobuildpacks/builder-jammy-base';
const HEROKU = 'heroku/builder:24';

/** Node module. Scores 60 for a server app, 8 for a static frontend (the static module takes it), 3 for a library or workspace root. */
export const nodeDetector: LanguageDetector = {
  language: 'node',
  async score(files: AppFiles) {
    const manifest = files.has('package.json') ? await readManifest(files) : null;
    if (!manifest) return files.has('package.json') || files.has('server.js') ? 5 : 0;
    if (manifest.pkg.workspaces || files.has('pnpm-workspace.yaml')) return 3;
    const kind = await classifyNode(files, manifest);
    if (kind.kind === 'server') return kind.framework ? 60 : 50;
    // A static export is the static module's (it scores 40); here it is only a trace.
    return kind.kind === 'static' ? 8 : 3;
  },
  async detect(files) {
    const manifest = await readManifest(files);
    const manager = await detectPackageManager(files, manifest);
    const kind = manifest ? await classifyNode(files, manifest) : { framework: null, kind: 'server' as const, evidence: [] };
    const version = await detectNodeVersion(files, manifest);
    const start = decideStart(files, manifest, manager.value, kind);
    const build = decideBuild(manifest, manager.value);
    const heroku = manager.value === 'pnpm' || manager.value === 'yarn-berry';
    const buildEnv: Record<string, string> = {};
    const envEvidence: Evidence[] = [];
    if (!heroku && build.value) {
      buildEnv.BP_NODE_RUN_SCRIPTS = 'build';
      envEvidence.push({ file: 'package.json', reason: 'Paketo runs the build script only when BP_NODE_RUN_SCRIPTS names it' });
    }
    if (!heroku && start.byConvention && start.start.value) {
      // Paketo's npm-start knows only the start script; the Procfile buildpack takes the command from this.
      buildEnv.BP_PROCFILE_DEFAULT_PROCESS = start.start.value;
      envEvidence.push({ reason: 'no start script: BP_PROCFILE_DEFAULT_PROCESS gives Paketo the web process' });
    }
    if (!heroku && version.source === '.tool-versions' && version.value) {
      buildEnv.BP_NODE_VERSION = version.value;
      envEvidence.push({ file: '.tool-versions', reason: 'Paketo does not read .tool-versions; BP_NODE_VERSION carries the pin' });
    }
    if (heroku && version.source && version.source !== 'package.json') {
      files.warn({ code: 'NODE_VERSION_NOT_READ', message: `heroku/nodejs reads only engines.node; the pin in ${version.source} is ignored`, file: version.source, hint: `add "engines": { "node": "${version.value}" } to package.json` });
    }
    if (manager.value === 'bun') {
      files.warn({ code: 'NODE_BUN_UNSUPPORTED', message: 'no standard buildpack installs with bun: dependencies are installed with npm from package.json and the bun lockfile is ignored', file: manager.lockfile ?? 'package.json', hint: 'commit a package-lock.json (`npm install --package-lock-only`) so the versions are pinned' });
    }
    if (manifest && Object.values({ ...manifest.pkg.dependencies }).some((v) => v.startsWith('workspace:'))) {
      files.warn({ code: 'NODE_WORKSPACE_DEPENDENCY', message: 'depends on workspace packages (workspace:), which are outside this folder when it is built alone', file: 'package.json', hint: 'publish those packages, or bundle them into the app before building' });
    }
    const port = await scanPort(files, start.entries, kind.framework, manifest?.pkg.scripts?.start, manifest ? lineOfKey(manifest.text, 'start') : undefined);
    const findings: LanguageFindings = {
      language: { value: 'node', evidence: manifest ? [{ file: 'package.json', reason: kind.kind === 'server' ? (kind.framework ? `package.json of a Node server (${kind.framework})` : 'package.json of a Node server') : 'package.json' }] : [{ reason: 'JavaScript entry file without package.json' }] },
      packageManager: { value: manager.value, evidence: manager.evidence },
      framework: { value: kind.framework, evidence: kind.evidence.length ? kind.evidence : [{ file: 'package.json', reason: 'no known framework in the dependencies' }] },
      runtimeVersion: { value: version.value, evidence: version.evidence },
      buildCommand: build,
      start: start.start,
      test: decideTest(manifest, manager.value),
      port,
      builder: heroku
        ? { value: HEROKU, evidence: [...manager.evidence, { reason: `heroku/nodejs installs with ${manager.value}; Paketo's Node buildpacks install with npm and Yarn 1` }] }
        : { value: PAKETO, evidence: [{ reason: manager.value === 'bun' ? 'no builder supports bun; Paketo installs with npm from package.json' : `Paketo's Node.js buildpacks handle ${manager.value}` }] },
      buildEnv: { value: buildEnv, evidence: envEvidence.length ? envEvidence : [{ reason: 'no build-time settings needed' }] },
    };
    if (manifest?.pkg.name) findings.name = { value: manifest.pkg.name, evidence: [pkgEvidence(manifest, 'name', `package.json name "${manifest.pkg.name}"`)] };
    return findings;
  },
};
