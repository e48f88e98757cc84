/**
 * Safety net before pack runs: pack sends the app folder minus the descriptor's exclude (it does not
 * read .gitignore). Env files are excluded by default (build-filter.ts); this catches a `.env`
 * holding a secret that a user pattern still lets through.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BimError } from '@bim-pack/shared';
import { listBuildFiles } from './fingerprint.js';
import { MIN_SECRET_LENGTH, type SecretValue } from './secret-scan.js';

const ENV_FILE = /(^|\/)\.env(\.[^/]+)?$/;
const TEMPLATE = /\.(example|sample|template|dist|defaults)$/;

/** The .env files pack would send (project.toml include/exclude only), templates left out. */
export function findShippedEnvFiles(appDir: string, include?: string[], exclude?: string[]): string[] {
  return listBuildFiles({ appDir, include, exclude, gitignore: false }).filter((f) => ENV_FILE.test(f) && !TEMPLATE.test(f) && !f.includes('node_modules/'));
}

/** Throws BUILD_SECRET_IN_IMAGE when a shipped .env file holds one of the secret values. */
export async function assertNoSecretEnvFiles(appDir: string, secrets: SecretValue[], include?: string[], exclude?: string[]): Promise<void> {
  const wanted = secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  if (!wanted.length) return;
  for (const file of findShippedEnvFiles(appDir, include, exclude)) {
    const text = await readFile(join(appDir, file), 'utf8');
    const hit = wanted.find((s) => text.includes(s.value));
    if (hit) {
      throw new BimError('BUILD_SECRET_IN_IMAGE', `${file} holds the secret ${hit.key} and pack would copy it into the image (pack ignores .gitignore)`, {
        hint: `add exclude = ["${file}"] under [io.buildpacks] in project.toml and drop any pattern that brings it back (e.g. "!${file}"), or move the file out of the app folder; secrets reach the app at deploy time`,
        details: { hits: [{ key: hit.key, file }] },
      });
    }
  }
}
