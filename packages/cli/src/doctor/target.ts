/**
 * Where doctor looks for the API, exactly as deploy does (deploy/target.ts): --target, then
 * BACKEND_IM_URL, then [im.backend] target; `local` is the platform under BIM_PACK_HOME,
 * which doctor only looks for and never starts.
 */
import { isBimError, type ProjectToml } from '@bim-pack/shared';
import { ensureLocalPlatform } from '../deploy/local-platform.js';
import { chooseTarget, parseTarget } from '../deploy/target.js';

/** A resolved target, or why there is none (with the code deploy would fail with). */
export type DoctorTarget =
  | { kind: 'local' | 'remote'; url: string; token: string | null; source: string }
  | { kind: 'none'; reason: string; code: string; hint?: string | undefined };

/** Resolves the target from flags, env, project.toml and the local platform file. */
export async function resolveDoctorTarget(input: {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  projectToml: ProjectToml | null;
  signal?: AbortSignal | undefined;
}): Promise<DoctorTarget> {
  const { env } = input;
  const chosen = chooseTarget({ flag: input.flag, env, projectToml: input.projectToml?.im?.backend?.target });
  if (chosen === undefined) {
    return { kind: 'none', code: 'CONFIG_NO_TARGET', reason: 'no --target, no BACKEND_IM_URL and no [im.backend] target in project.toml' };
  }
  const source = input.flag ? '--target' : env.BACKEND_IM_URL ? 'BACKEND_IM_URL' : 'project.toml';
  try {
    const target = parseTarget(chosen);
    if (target.kind === 'remote') return { kind: 'remote', url: target.url, token: env.BACKEND_IM_TOKEN || null, source };
    const local = await ensureLocalPlatform({ env, signal: input.signal ?? new AbortController().signal, onProgress: () => {}, start: false });
    return { kind: 'local', url: local.url, token: local.token, source: `local platform in ${local.dataDir}` };
  } catch (error) {
    if (!isBimError(error)) throw error;
    return { kind: 'none', code: error.code, reason: error.message, hint: error.hint };
  }
}
