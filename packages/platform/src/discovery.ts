/**
 * Finding a running local platform from its data dir (for the CLI's local target).
 * Exported alone as `@bim-pack/platform/discovery`: it must not load the server.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { PlatformFile } from './platform.js';

const PlatformFileSchema = z.object({
  url: z.string(), proxyUrl: z.string(), pid: z.number().int(), dataDir: z.string(), tokenFile: z.string(),
});

/**
 * Reads `<dataDir>/platform.json` and the token. Resolves undefined when no platform
 * runs there (no file, or its pid is gone, e.g. after kill -9).
 */
export async function readPlatformFile(dataDir: string): Promise<(PlatformFile & { token: string }) | undefined> {
  const text = await readFile(join(dataDir, 'platform.json'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  let json: unknown;
  try { json = JSON.parse(text); } catch { return undefined; }
  const parsed = PlatformFileSchema.safeParse(json);
  if (!parsed.success) return undefined;
  try {
    process.kill(parsed.data.pid, 0);
  } catch {
    return undefined;
  }
  const token = (await readFile(parsed.data.tokenFile, 'utf8').catch(() => '')).trim();
  return token ? { ...parsed.data, token } : undefined;
}
