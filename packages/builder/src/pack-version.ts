/** pack's version: parse `pack --version` and refuse versions without --report-output-dir. */
import { BimError } from '@bim-pack/shared';

/** --report-output-dir arrived in pack 0.29.0. */
export const MIN_PACK_VERSION = '0.29.0';

/** Install hints for pack, per OS and for CI. */
export function packInstallHint(platform: NodeJS.Platform = process.platform): string {
  const ci = 'in GitHub Actions add the step `uses: buildpacks/github-actions/setup-pack@v6.1.0`';
  if (platform === 'darwin') return `brew install buildpacks/tap/pack; ${ci}`;
  if (platform === 'win32') return `scoop install pack (or download pack-v<version>-windows.zip from github.com/buildpacks/pack/releases); ${ci}`;
  return `on Ubuntu \`sudo add-apt-repository ppa:cncf-buildpacks/pack-cli && sudo apt-get install pack-cli\`; elsewhere download pack-v0.40.9-linux.tgz from github.com/buildpacks/pack/releases and run \`sudo tar -C /usr/local/bin -xzf pack-v0.40.9-linux.tgz pack\` (or \`brew install buildpacks/tap/pack\`); ${ci}`;
}

/** The x.y.z in `pack --version` output (e.g. "0.40.9+git-0e5c9ea.build-6723"), or null. */
export function parsePackVersion(output: string): string | null {
  return /\b(\d+)\.(\d+)\.(\d+)\b/.exec(output)?.[0] ?? null;
}

/** a < b for x.y.z versions. */
export function isOlder(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) < (pb[i] ?? 0);
  }
  return false;
}

/** Turns a `pack --version` run into the version, or the missing / too old error. */
export function checkPackVersion(run: { notFound: boolean; exitCode: number; stdout: string }): string {
  if (run.notFound) {
    throw new BimError('BUILD_PACK_MISSING', 'pack (the Cloud Native Buildpacks CLI) is not on PATH', { hint: packInstallHint() });
  }
  const version = run.exitCode === 0 ? parsePackVersion(run.stdout) : null;
  if (!version) {
    throw new BimError('BUILD_PACK_MISSING', `\`pack --version\` did not print a version (exit ${run.exitCode})`, { hint: packInstallHint() });
  }
  if (isOlder(version, MIN_PACK_VERSION)) {
    throw new BimError('BUILD_PACK_TOO_OLD', `pack ${version} is too old: bim-pack needs ${MIN_PACK_VERSION} or later (for --report-output-dir)`, {
      hint: packInstallHint(),
      details: { packVersion: version, minimum: MIN_PACK_VERSION },
    });
  }
  return version;
}
