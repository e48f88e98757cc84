/** The API token: given, or generated once and kept 0600 in the data dir; compared in constant time. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Returns the stored token, creating `<dataDir>/token` (0600) on first use. */
export async function loadOrCreateToken(dataDir: string): Promise<{ token: string; generated: boolean }> {
  const path = join(dataDir, 'token');
  const existing = (await readFile(path, 'utf8').catch(() => '')).trim();
  if (existing) return { token: existing, generated: false };
  const token = `bim_${randomBytes(24).toString('base64url')}`;
  // 'wx': never overwrite a token another process wrote in the meantime.
  await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generated: true };
}

/** True when the Authorization header carries exactly this bearer token. Hashing first makes the compare length-independent. */
export function isAuthorized(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  const given = createHash('sha256').update(match?.[1] ?? '').digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}
