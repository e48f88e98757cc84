/**
 * Switching traffic to a healthy revision, then draining and stopping the old one,
 * and pruning revisions beyond the ones kept for rollback.
 */
import type { AppRecord, DeploymentRecord } from '../state/store.js';
import { proxyRoutes, type PlatformContext } from './context.js';

/** Points nginx at `next` for its app. Rejects with ProxyError (old config kept) when nginx refuses. */
export async function switchTraffic(ctx: PlatformContext, next: DeploymentRecord): Promise<(timeoutMs: number) => Promise<boolean>> {
  const routes = proxyRoutes(ctx.store.state, { [next.deployment.app]: next });
  const { drained } = await ctx.proxy.apply(routes);
  return drained;
}

/**
 * Stops the old revision once nginx's old workers are gone (their requests finished)
 * and the drain time passed; runs in the background.
 */
export function retireRevision(ctx: PlatformContext, app: AppRecord, old: DeploymentRecord, drained: (ms: number) => Promise<boolean>, drainSeconds: number): void {
  const work = (async () => {
    const started = Date.now();
    await drained(Math.max(drainSeconds * 1000, 1000) + 30_000);
    const left = drainSeconds * 1000 - (Date.now() - started);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    // It may have become live again (a rollback) while draining.
    if (old.containerId && app.liveDeploymentId !== old.deployment.id) {
      await ctx.runtime.stop(old.containerId, 10).catch((error: Error) => ctx.config.log(`stopping ${old.deployment.revision} failed: ${error.message}`));
      old.endpoint = null;
    }
    await pruneRevisions(ctx, app);
  })().catch((error: Error) => ctx.config.log(`retiring ${old.deployment.revision} failed: ${error.message}`));
  ctx.background.add(work);
  void work.finally(() => ctx.background.delete(work));
}

/** Removes the containers of stopped revisions beyond the newest `keepRevisions` (rollback targets). */
export async function pruneRevisions(ctx: PlatformContext, app: AppRecord): Promise<void> {
  const stopped = Object.values(ctx.store.state.deployments)
    .filter((r) => r.deployment.app === app.name && r.containerId && r.deployment.id !== app.liveDeploymentId)
    .filter((r) => r.deployment.status === 'superseded' || r.deployment.status === 'rolled-back')
    .sort((a, b) => Number(b.deployment.revision.slice(1)) - Number(a.deployment.revision.slice(1)));
  for (const record of stopped.slice(ctx.config.keepRevisions)) {
    await ctx.runtime.remove(record.containerId!).catch(() => undefined);
    record.containerId = null;
    record.endpoint = null;
  }
  await ctx.store.save();
}
