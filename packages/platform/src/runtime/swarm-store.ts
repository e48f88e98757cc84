/**
 * Every kept revision's service spec, stored as a Swarm config, so a rollback can reach
 * revisions older than Swarm's one previous spec (after a failed update, that one is the failed spec).
 * Specs hold plain env (as the service spec itself does) and secret ids, never secret values.
 */
import { createHash } from 'node:crypto';
import { LABELS } from './docker-spec.js';
import type { ServiceSpec, SwarmApi } from './swarm-api.js';

/** The config name of a revision's spec (at most 64 characters). */
export function specConfigName(platformId: string, app: string, revision: string): string {
  return `bim-${platformId}-${revision}-spec-${createHash('sha256').update(app).digest('hex').slice(0, 8)}`;
}

/** Saves, finds and forgets revision specs of one platform. */
export class SpecStore {
  constructor(private readonly api: SwarmApi, private readonly platformId: string) {}

  private labels(app: string, revision?: string): string[] {
    return [`${LABELS.platform}=${this.platformId}`, `${LABELS.app}=${app}`, ...(revision ? [`${LABELS.revision}=${revision}`] : [])];
  }

  /** Keeps the spec a revision was started with. */
  async save(app: string, revision: string, spec: ServiceSpec): Promise<void> {
    if ((await this.api.listConfigs(this.labels(app, revision))).length) return;
    await this.api.createConfig(specConfigName(this.platformId, app, revision), JSON.stringify(spec), {
      [LABELS.platform]: this.platformId, [LABELS.app]: app, [LABELS.revision]: revision,
    });
  }

  /** The spec of a kept revision, or undefined. */
  async load(app: string, revision: string): Promise<ServiceSpec | undefined> {
    const [config] = await this.api.listConfigs(this.labels(app, revision));
    return config ? (JSON.parse(config.data) as ServiceSpec) : undefined;
  }

  /** Every kept spec of the app, by revision. */
  async all(app: string): Promise<Map<string, ServiceSpec>> {
    const configs = await this.api.listConfigs(this.labels(app));
    return new Map(configs.map((c) => [c.labels[LABELS.revision] ?? '', JSON.parse(c.data) as ServiceSpec]));
  }

  /** Forgets one revision's spec (or all of the app's). */
  async remove(app: string, revision?: string): Promise<void> {
    for (const config of await this.api.listConfigs(this.labels(app, revision))) await this.api.removeConfig(config.ID);
  }
}
