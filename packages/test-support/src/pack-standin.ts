/** Where the pack stand-in lives, and an env that puts it first on PATH. Test support only. */
import { fileURLToPath } from 'node:url';

/** The folder holding the stand-in's `pack` executable. */
export const PACK_STANDIN_BIN = fileURLToPath(new URL('../pack-standin/bin', import.meta.url));

/** process.env with the stand-in first on PATH, plus extra variables. */
export function packStandinEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...process.env, PATH: `${PACK_STANDIN_BIN}:${process.env.PATH ?? ''}`, ...extra };
}
