/**
 * Registry credentials from the environment, and the private temporary DOCKER_CONFIG that
 * hands them to pack. Never on argv, never printed.
 */
import { readFile, symlink, writeFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createPrivateTempDir } from './private-temp-dir.js';

/** A username and password (or token) for one registry. */
export interface RegistryCredentials {
  registry: string;
  username: string;
  password: string;
  /** Which variable they came from, for messages (never the value). */
  source: string;
}

/**
 * Credentials from env: BIM_REGISTRY_USERNAME + BIM_REGISTRY_PASSWORD for any registry, else
 * GITHUB_TOKEN / GH_TOKEN for ghcr.io (user GITHUB_ACTOR, any name works for GHCR tokens).
 * Null: leave the user's own `docker login` setup alone.
 */
export function readRegistryCredentials(registry: string, env: Record<string, string | undefined>): RegistryCredentials | null {
  if (env.BIM_REGISTRY_PASSWORD) {
    return { registry, username: env.BIM_REGISTRY_USERNAME || env.GITHUB_ACTOR || 'bim-pack', password: env.BIM_REGISTRY_PASSWORD, source: 'BIM_REGISTRY_PASSWORD' };
  }
  if (registry === 'ghcr.io') {
    const name = env.GITHUB_TOKEN ? 'GITHUB_TOKEN' : env.GH_TOKEN ? 'GH_TOKEN' : null;
    if (name) return { registry, username: env.BIM_REGISTRY_USERNAME || env.GITHUB_ACTOR || 'bim-pack', password: env[name]!, source: name };
  }
  return null;
}

/** The parts of a docker config.json we read and carry over. */
const DockerConfigSchema = z.looseObject({
  auths: z.record(z.string(), z.looseObject({ auth: z.string().optional(), identitytoken: z.string().optional() })).optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
  credsStore: z.string().optional(),
  currentContext: z.string().optional(),
});
export type DockerConfig = z.infer<typeof DockerConfigSchema>;

/** The user's docker config folder: $DOCKER_CONFIG or ~/.docker. */
export function userDockerConfigDir(env: Record<string, string | undefined>): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

/** Reads the user's config.json; an absent or unreadable file is an empty config. */
export async function readDockerConfig(dir: string): Promise<DockerConfig> {
  try {
    const parsed = DockerConfigSchema.safeParse(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/**
 * The config pack gets: the user's auths, credHelpers and context kept, ours added for one
 * registry. Our registry's helper entry and a global credsStore are dropped, because docker's
 * keychain would ask them before our auths entry.
 */
export function mergeDockerConfig(user: DockerConfig, credentials: RegistryCredentials): DockerConfig {
  const credHelpers = { ...(user.credHelpers ?? {}) };
  delete credHelpers[credentials.registry];
  const merged: DockerConfig = {
    auths: {
      ...(user.auths ?? {}),
      [credentials.registry]: { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') },
    },
  };
  if (Object.keys(credHelpers).length) merged.credHelpers = credHelpers;
  if (user.currentContext) merged.currentContext = user.currentContext;
  return merged;
}

/** A private DOCKER_CONFIG folder; remove() is idempotent. */
export interface TempDockerConfig {
  dir: string;
  remove(): Promise<void>;
}

/** Writes the merged config to a fresh 0700 folder (config.json 0600). */
export async function createTempDockerConfig(credentials: RegistryCredentials, env: Record<string, string | undefined>): Promise<TempDockerConfig> {
  const userDir = userDockerConfigDir(env);
  const user = await readDockerConfig(userDir);
  const { dir, remove } = await createPrivateTempDir('bim-pack-docker-');
  try {
    await writeFile(join(dir, 'config.json'), JSON.stringify(mergeDockerConfig(user, credentials), null, 2), { mode: 0o600 });
    // Docker contexts live beside config.json: link them so a non-default context still finds its engine.
    if (user.currentContext && (await exists(join(userDir, 'contexts')))) await symlink(join(userDir, 'contexts'), join(dir, 'contexts'));
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Basic credentials for our own registry calls from an auths entry (not from helpers). */
export function credentialsFromConfig(config: DockerConfig, registry: string): RegistryCredentials | null {
  const keys = [registry, `https://${registry}`, `http://${registry}`, ...(registry === 'docker.io' ? ['https://index.docker.io/v1/'] : [])];
  for (const key of keys) {
    const auth = config.auths?.[key]?.auth;
    if (!auth) continue;
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { registry, username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: 'docker config.json' };
  }
  return null;
}
