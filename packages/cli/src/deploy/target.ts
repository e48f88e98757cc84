/**
 * Where to deploy: `local` (this machine's platform, started if needed) or a Backend.im URL
 * with BACKEND_IM_TOKEN. Precedence: --target, BACKEND_IM_URL, [im.backend] target.
 */
import { z } from 'zod';
import { BimError } from '@bim-pack/shared';
import { ensureLocalPlatform } from './local-platform.js';

/** A resolved target with its credentials. The token is a secret. */
export interface ResolvedTarget {
  kind: 'local' | 'remote';
  url: string;
  token: string;
}

const UrlSchema = z.url({ protocol: /^https?$/ });

/** The target name/URL from flags, env and project.toml, or undefined when none is configured. */
export function chooseTarget(input: { flag?: string | undefined; env: Record<string, string | undefined>; projectToml?: string | undefined }): string | undefined {
  return input.flag ?? (input.env.BACKEND_IM_URL || undefined) ?? input.projectToml;
}

/** Checks a target string: "local" or an http(s) URL. */
export function parseTarget(value: string): { kind: 'local' } | { kind: 'remote'; url: string } {
  if (value === 'local') return { kind: 'local' };
  if (!UrlSchema.safeParse(value).success) {
    throw new BimError('CONFIG_TARGET_INVALID', `target "${value}" is neither "local" nor an http(s) URL`, {
      hint: 'pass --target local or --target https://<your Backend.im API>',
    });
  }
  return { kind: 'remote', url: value.replace(/\/+$/, '') };
}

/** What resolveTarget needs from its caller. */
export interface TargetInput {
  flag?: string | undefined;
  projectToml?: string | undefined;
  env: Record<string, string | undefined>;
  interactive: boolean;
  ask: (question: string) => Promise<string>;
  signal: AbortSignal;
  onProgress: (message: string) => void;
  /** Start the local platform when none runs (deploy only). */
  startLocal?: boolean;
}

/** Resolves the target, asking on a TTY when none is configured; starts the local platform when needed. */
export async function resolveTarget(input: TargetInput): Promise<ResolvedTarget> {
  let chosen = chooseTarget(input);
  if (chosen === undefined) {
    if (!input.interactive) {
      throw new BimError('CONFIG_NO_TARGET', 'no deploy target: no --target flag, no BACKEND_IM_URL and no [im.backend] target in project.toml', {
        hint: 'pass --target local (this machine) or --target https://<Backend.im API> (with BACKEND_IM_TOKEN), or set target under [im.backend] in project.toml',
      });
    }
    chosen = (await input.ask('Deploy target: "local" or a Backend.im API URL [local]: ')).trim() || 'local';
  }
  const target = parseTarget(chosen);
  if (target.kind === 'local') {
    const platform = await ensureLocalPlatform({ env: input.env, signal: input.signal, onProgress: input.onProgress, start: input.startLocal ?? true });
    return { kind: 'local', url: platform.url, token: platform.token };
  }
  const token = input.env.BACKEND_IM_TOKEN;
  if (!token) {
    throw new BimError('CONFIG_TOKEN_MISSING', `no API token for ${target.url}: BACKEND_IM_TOKEN is not set`, {
      hint: 'export BACKEND_IM_TOKEN=<token> (in CI: a repository secret)',
    });
  }
  return { kind: 'remote', url: target.url, token };
}
