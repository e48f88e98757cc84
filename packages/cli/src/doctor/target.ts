/**
 * Where doctor looks for the API: --target, BACKEND_IM_URL, [im.backend] target, else a local
 * platform found through its data dir. The token: BACKEND_IM_TOKEN, or the local platform's.
 */
import type { ProjectToml } from '@bim-pack/shared';

/** A resolved target, or why there is none. */
export type DoctorTarget =
  | { kind: 'local' | 'remote'; url: string; token: string | null; source: string }
  | { kind: 'none'; reason: string };

/** Resolves the target from flags, env, project.toml and the local platform file. */
export async function resolveDoctorTarget(input: {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  projectToml: ProjectToml | null;
  platformDataDir?: string | undefined;
}): Promise<DoctorTarget> {
  const { env } = input;
  const named = input.flag ?? env.BACKEND_IM_URL ?? input.projectToml?.im?.backend?.target;
  const source = input.flag ? '--target' : env.BACKEND_IM_URL ? 'BACKEND_IM_URL' : 'project.toml';
  if (named && named !== 'local') return { kind: 'remote', url: named, token: env.BACKEND_IM_TOKEN || null, source };
  const { defaultDataDir, readPlatformFile } = await import('@bim-pack/platform');
  const dataDir = input.platformDataDir ?? defaultDataDir();
  const local = await readPlatformFile(dataDir);
  if (local) return { kind: 'local', url: local.url, token: env.BACKEND_IM_TOKEN || local.token, source: `local platform (${dataDir})` };
  if (named === 'local') return { kind: 'none', reason: `no local platform runs with data dir ${dataDir}` };
  return { kind: 'none', reason: 'no --target, no BACKEND_IM_URL, no [im.backend] target and no local platform running' };
}
