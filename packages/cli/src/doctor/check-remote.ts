/** Doctor checks that talk to servers: registry credentials and the Backend.im API. */
import { isBimError } from '@bim-pack/shared';
import type { Outcome } from './check-tools.js';
import type { DoctorTarget } from './target.js';

/**
 * Registry credentials are usable: an authenticated manifest HEAD on the image's repository
 * (basic auth, or the Bearer token exchange GHCR and Docker Hub use). 404 means the
 * credentials were accepted and the image is simply not pushed yet.
 */
export async function checkRegistry(image: string | null, target: DoctorTarget, env: Record<string, string | undefined>, signal?: AbortSignal): Promise<Outcome> {
  if (target.kind === 'local') return { status: 'skip', message: 'the local target builds into the local Docker engine: no registry needed' };
  if (!image) {
    return { status: 'warn', message: 'no image name: no --image, no [im.backend] image and no git remote', code: 'BUILD_NO_IMAGE_NAME', hint: 'pass --image ghcr.io/<owner>/<repo> or add image under [im.backend] in project.toml' };
  }
  const { RegistryClient, readRegistryCredentials, registryOf, repositoryOf } = await import('@bim-pack/builder');
  const registry = registryOf(image);
  const credentials = readRegistryCredentials(registry, env);
  if (!credentials) {
    return {
      status: 'warn',
      message: `no registry credentials in the environment for ${registry}; pack will use your docker login, which doctor does not read`,
      hint: registry === 'ghcr.io' ? 'set GITHUB_TOKEN (packages: write), or BIM_REGISTRY_USERNAME and BIM_REGISTRY_PASSWORD' : 'set BIM_REGISTRY_USERNAME and BIM_REGISTRY_PASSWORD',
    };
  }
  try {
    const client = new RegistryClient({ registry, username: credentials.username, password: credentials.password, signal, timeoutMs: 10_000 });
    const found = await client.headManifest(repositoryOf(image), 'latest');
    return { status: 'pass', message: `${registry} accepted the credentials from ${credentials.source} for ${repositoryOf(image)}${found ? '' : ' (nothing pushed yet)'}` };
  } catch (error) {
    if (!isBimError(error)) throw error;
    return { status: 'fail', message: `${error.message} (credentials from ${credentials.source})`, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  }
}

/** The Backend.im URL answers and the token is valid (GET /v1/whoami). */
export async function checkTarget(target: DoctorTarget, signal?: AbortSignal): Promise<Outcome> {
  if (target.kind === 'none') {
    const hint = target.hint ?? 'set BACKEND_IM_URL and BACKEND_IM_TOKEN, or pass --target local (this machine\'s platform)';
    return { status: 'fail', message: `no deploy target: ${target.reason}`, code: target.code, hint };
  }
  if (!target.token) {
    return { status: 'fail', message: `no Backend.im token for ${target.url}`, code: 'CONFIG_TOKEN_MISSING', hint: 'export BACKEND_IM_TOKEN=<your token> (never pass it as a flag)' };
  }
  const { ApiClient } = await import('@bim-pack/deployer');
  const client = new ApiClient({ url: target.url, token: target.token, timeoutMs: 10_000, retry: { retries: 1, baseMs: 200, maxMs: 1_000 }, signal });
  try {
    const me = await client.whoami();
    return { status: 'pass', message: `${target.url} (${target.source}): ${me.platform}, signed in as ${me.subject}` };
  } catch (error) {
    if (!isBimError(error)) throw error;
    return { status: 'fail', message: `${target.url} (${target.source}): ${error.message}`, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  } finally {
    await client.close();
  }
}
