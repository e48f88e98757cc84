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
 * and the drain time passed; runs in the background, without the app's lock (the app is
 * free once the new revision is live). A rollback to the revision holds it (`holdRevision`):
 * the stop is skipped when the revision is live again or being started again when it comes due.
 */
export function retireRevision(ctx: PlatformContext, app: AppRecord, old: DeploymentRecord, drained: (ms: number) => Promise<boolean>, drainSeconds: number): void {
  const id = old.deployment.id;
  const work = (async () => {
    const started = Date.now();
    await drained(Math.max(drainSeconds * 1000, 1000) + 30_000);
    const left = drainSeconds * 1000 - (Date.now() - started);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    // Decided and registered in one turn of the event loop: a rollback either holds it first, or waits for this stop.
    if (old.containerId && app.liveDeploymentId !== id && !ctx.resuming.has(id) && !ctx.stopping.has(id)) {
      const stopping = ctx.runtime.stop(old.containerId, 10)
        .then(() => { old.endpoint = null; })
        .catch((error: Error) => ctx.config.log(`stopping ${old.deployment.revision} failed: ${error.message}`))
        .finally(() => ctx.stopping.delete(id));
      ctx.stopping.set(id, stopping);
      await stopping;
    }
    await pruneRevisions(ctx, app);
  })().catch((error: Error) => ctx.config.log(`retiring ${old.deployment.revision} failed: ${error.message}`));
  ctx.background.add(work);
  void work.finally(() => ctx.background.delete(work));
}

/**
 * Holds a revision a rollback starts again: a retirement coming due leaves it running and
 * pruning keeps its container; a stop already under way is waited for (the rollback then starts
 * it again). Returns the release; call it once the revision is live, or the rollback failed.
 */
export async function holdRevision(ctx: PlatformContext, record: DeploymentRecord): Promise<() => void> {
  const id = record.deployment.id;
  ctx.resuming.add(id);
  await ctx.stopping.get(id);
  return () => ctx.resuming.delete(id);
}

/** Removes the containers of stopped revisions beyond the newest `keepRevisions` (rollback targets). */
export async function pruneRevisions(ctx: PlatformContext, app: AppRecord): Promise<void> {
  const stopped = Object.values(ctx.store.state.deployments)
    .filter((r) => r.deployment.app === app.name && r.containerId && r.deployment.id !== app.liveDeploymentId && !ctx.resuming.has(r.deployment.id))
    .filter((r) => r.deployment.status === 'superseded' || r.deployment.status === 'rolled-back')
    .sort((a, b) => Number(b.deployment.revision.slice(1)) - Number(a.deployment.revision.slice(1)));
  for (const record of stopped.slice(ctx.config.keepRevisions)) {
    // Checked right before each removal: a rollback may have taken it meanwhile.
    if (!record.containerId || ctx.resuming.has(record.deployment.id) || app.liveDeploymentId === record.deployment.id) continue;
    await ctx.runtime.remove(record.containerId).catch(() => undefined);
    record.containerId = null;
    record.endpoint = null;
  }
  await ctx.store.save();
}
