/** Which package manager installs the app: the packageManager field, else the lockfile. */
import type { Evidence, PlanWarning } from '@bim-pack/shared';
import type { AppFiles, Found } from '../../types.js';
import { type Manifest, pkgEvidence, readManifest } from './package-json.js';

/** npm, yarn-classic (1.x), yarn-berry (2+), pnpm or bun. */
export type NodePackageManager = 'npm' | 'yarn-classic' | 'yarn-berry' | 'pnpm' | 'bun';

const LOCKFILES: Array<[string, NodePackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'], ['bun.lock', 'bun'], ['bun.lockb', 'bun'], ['yarn.lock', 'yarn-classic'],
  ['package-lock.json', 'npm'], ['npm-shrinkwrap.json', 'npm'],
];

/** Decides the package manager; `lockfile` is the lockfile that matches it, if any. */
export async function detectPackageManager(files: AppFiles, manifest: Manifest | null): Promise<Found<NodePackageManager> & { lockfile: string | null }> {
  const present = LOCKFILES.filter(([file]) => files.has(file));
  const declared = manifest?.pkg.packageManager;
  let choice: NodePackageManager | null = null;
  const evidence: Evidence[] = [];
  if (declared) {
    const match = /^(npm|yarn|pnpm|bun)@(\d+)/.exec(declared);
    if (match) {
      choice = match[1] === 'yarn' ? (Number(match[2]) >= 2 ? 'yarn-berry' : 'yarn-classic') : (match[1] as NodePackageManager);
      evidence.push(pkgEvidence(manifest, 'packageManager', `packageManager is "${declared}"`));
    }
  }
  if (!choice && present.length) {
    const [file, manager] = present[0]!;
    choice = manager;
    evidence.push({ file, reason: `${file} is present` });
    if (present.length > 1) {
      files.warn({ code: 'NODE_SEVERAL_LOCKFILES', message: `several lockfiles (${present.map(([f]) => f).join(', ')}); using ${file}`, file: present[1]![0], hint: `delete the lockfiles of the package managers you do not use, or set "packageManager" in package.json` } satisfies PlanWarning);
    }
  }
  if (!choice && files.workspaceRoot) {
    const inherited = await fromWorkspaceRoot(files.workspaceRoot, files.fromRoot ?? '');
    if (inherited) {
      const where = inherited.lockfile ? `the lockfile is at the workspace root (${inherited.lockfile})` : 'the workspace root decides the package manager';
      files.warn({ code: 'NODE_LOCKFILE_AT_WORKSPACE_ROOT', message: `${where}; a build of this folder alone does not see it`, file: 'package.json', hint: `build from the workspace root, or give this app its own lockfile (\`${inherited.value.split('-')[0]} install\` in ${files.fromRoot})` });
      return { value: inherited.value, evidence: inherited.evidence, lockfile: null };
    }
  }
  if (!choice) {
    choice = 'npm';
    evidence.push({ file: 'package.json', reason: 'no lockfile and no packageManager field: npm' });
    files.warn({ code: 'NODE_NO_LOCKFILE', message: 'no lockfile: dependency versions are not pinned, and heroku/nodejs refuses to install without one', file: 'package.json', hint: 'run `npm install` and commit package-lock.json' });
  }
  if (choice === 'yarn-classic' && files.has('yarn.lock')) {
    if (files.has('.yarnrc.yml')) {
      choice = 'yarn-berry';
      evidence.push({ file: '.yarnrc.yml', reason: '.yarnrc.yml is Yarn 2+ configuration' });
    } else if (/^__metadata:/m.test((await files.text('yarn.lock')) ?? '')) {
      choice = 'yarn-berry';
      evidence.push({ file: 'yarn.lock', reason: 'yarn.lock has a __metadata block (Yarn 2+ format)' });
    } else if (!declared) {
      evidence.push({ file: 'yarn.lock', reason: 'yarn.lock in the v1 format (Yarn classic)' });
    }
  }
  const lockfile = present.find(([, m]) => m === choice || (m === 'yarn-classic' && choice === 'yarn-berry'))?.[0] ?? null;
  if (declared && present.length && !lockfile) {
    files.warn({ code: 'NODE_LOCKFILE_MISMATCH', message: `packageManager says ${declared} but the lockfile is ${present[0]![0]}`, file: 'package.json', hint: `run \`${choice.split('-')[0]} install\` and commit its lockfile` });
  }
  return { value: choice, evidence, lockfile };
}

/** The package manager of a monorepo root, with evidence paths relative to the app folder. */
async function fromWorkspaceRoot(root: AppFiles, fromRoot: string): Promise<(Found<NodePackageManager> & { lockfile: string | null }) | null> {
  const up = fromRoot.split('/').map(() => '..').join('/');
  const manifest = await readManifest(root);
  const lock = LOCKFILES.find(([file]) => root.has(file));
  const lockfile = lock ? `${up}/${lock[0]}` : null;
  const declared = /^(npm|yarn|pnpm|bun)@(\d+)/.exec(manifest?.pkg.packageManager ?? '');
  if (declared) {
    const value = declared[1] === 'yarn' ? (Number(declared[2]) >= 2 ? 'yarn-berry' : 'yarn-classic') : (declared[1] as NodePackageManager);
    return { value, lockfile, evidence: [{ file: `${up}/package.json`, reason: `the workspace root's packageManager is "${manifest!.pkg.packageManager}"` }] };
  }
  if (!lock) return null;
  const value = lock[1] === 'yarn-classic' && root.has('.yarnrc.yml') ? 'yarn-berry' : lock[1];
  return { value, lockfile, evidence: [{ file: lockfile!, reason: `the workspace root has ${lock[0]}` }] };
}

/** The command that runs a package.json script with this package manager. */
export function runScript(manager: NodePackageManager, script: string): string {
  const bin = manager.startsWith('yarn') ? 'yarn' : manager;
  // `bun test` is bun's own test runner, not the script; only npm, yarn and pnpm have these shortcuts.
  if ((script === 'start' || script === 'test') && bin !== 'bun') return `${bin} ${script}`;
  return bin === 'yarn' ? `yarn ${script}` : `${bin} run ${script}`;
}
