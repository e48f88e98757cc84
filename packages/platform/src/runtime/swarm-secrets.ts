/**
 * Deploy-time secrets as Swarm secrets: one per revision and env name, labelled with platform, app and
 * revision; deleted once no kept spec (current, previous, stored) refers to them.
 */
import { LABELS } from './docker-spec.js';
import type { ServiceSpec, SwarmApi } from './swarm-api.js';
import { secretName } from './swarm-spec.js';
import type { RevisionSpec } from './types.js';

/** Creates the revision's secrets; returns their ids and names by env name. The values are sent once and never logged. */
export async function createRevisionSecrets(api: SwarmApi, platformId: string, spec: RevisionSpec): Promise<Record<string, { id: string; name: string }>> {
  const secrets: Record<string, { id: string; name: string }> = {};
  const labels = { [LABELS.platform]: platformId, [LABELS.app]: spec.app, [LABELS.revision]: spec.revision };
  for (const env of spec.secretEnv) {
    const name = secretName(platformId, spec.app, spec.revision, env);
    secrets[env] = { id: await api.createSecret(name, spec.env[env] ?? '', labels), name };
  }
  return secrets;
}

/** Deletes the app's secrets none of `specs` refers to; answers whether none is left over (some may still be in use by stopping tasks). */
export async function pruneSecrets(api: SwarmApi, platformId: string, app: string, specs: Array<ServiceSpec | undefined>): Promise<boolean> {
  const secrets = await api.listSecrets([`${LABELS.platform}=${platformId}`, `${LABELS.app}=${app}`]);
  const inUse = new Set(specs.flatMap((s) => s?.TaskTemplate.ContainerSpec.Secrets ?? []).map((s) => s.SecretID));
  let left = 0;
  for (const secret of secrets) {
    if (inUse.has(secret.ID)) continue;
    if (!(await api.removeSecret(secret.ID))) left++;
  }
  return left === 0;
}
