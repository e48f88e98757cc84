/**
 * Start-up reconciliation: the state file says what should run, the runtime says
 * what does. Interrupted deployments end failed, live revisions are started again
 * when stopped, unknown containers of this platform are removed, nginx is regenerated.
 */
import type { DeploymentRecord } from '../state/store.js';
import { emit, type PlatformContext } from './context.js';

const IN_PROGRESS = new Set(['queued', 'pulling', 'starting', 'health-checking', 'switching']);

/** Brings state and runtime in line; returns what it changed, for the platform's log. */
export async function reconcile(ctx: PlatformContext): Promise<string[]> {
  const notes: string[] = [];
  const state = ctx.store.state;
  const reachable = await ctx.runtime.ping();
  const instances = reachable ? await ctx.runtime.list() : [];
  const byId = new Map(instances.map((i) => [i.id, i]));
  for (const record of Object.values(state.deployments)) {
    if (!IN_PROGRESS.has(record.deployment.status)) continue;
    const app = state.apps[record.deployment.app];
    if (app?.liveDeploymentId === record.deployment.id) {
      // The switch happened but "live" was not recorded: it is serving, so it is live.
      record.deployment.finishedAt = new Date().toISOString();
      await emit(ctx, record, 'live', `${record.deployment.revision} is live (confirmed after a platform restart)`);
      continue;
    }
    if (record.containerId && reachable) await ctx.runtime.remove(record.containerId).catch(() => undefined);
    record.containerId = null;
    record.endpoint = null;
    record.deployment.finishedAt = new Date().toISOString();
    record.deployment.failure = { reason: 'interrupted', message: 'the platform stopped during this deployment', logTail: [] };
    await emit(ctx, record, 'failed', `${record.deployment.revision} was interrupted by a platform restart; the previous revision keeps serving`, record.deployment.failure);
    notes.push(`${record.deployment.app} ${record.deployment.revision}: interrupted deployment marked failed`);
  }
  if (reachable) {
    const known = new Set(Object.values(state.deployments).map((r) => r.containerId).filter(Boolean));
    for (const instance of instances) {
      if (!known.has(instance.id)) {
        await ctx.runtime.remove(instance.id).catch(() => undefined);
        notes.push(`removed unknown container ${instance.id.slice(0, 12)} (${instance.app} ${instance.revision})`);
      }
    }
    for (const app of Object.values(state.apps)) {
      const live = app.liveDeploymentId ? state.deployments[app.liveDeploymentId] : undefined;
      if (live) await reviveLive(ctx, live, byId.get(live.containerId ?? ''), notes);
    }
    for (const record of Object.values(state.deployments)) {
      const instance = record.containerId ? byId.get(record.containerId) : undefined;
      const live = state.apps[record.deployment.app]?.liveDeploymentId === record.deployment.id;
      if (instance?.state === 'running' && !live) {
        // A revision whose drain was cut short by the stop: it is kept for rollback, stopped.
        await ctx.runtime.stop(instance.id, 10).catch(() => undefined);
        record.endpoint = null;
        notes.push(`${record.deployment.app} ${record.deployment.revision}: stopped (not live)`);
      }
      if (record.containerId && !byId.has(record.containerId)) {
        record.containerId = null;
        record.endpoint = null;
      }
    }
  } else {
    notes.push(`the ${ctx.runtime.name} engine does not answer: serving the last known endpoints`);
  }
  await ctx.store.save();
  return notes;
}

/** Makes sure the live revision runs and records where it answers now (a restarted engine gives a new port). */
async function reviveLive(ctx: PlatformContext, live: DeploymentRecord, instance: Awaited<ReturnType<PlatformContext['runtime']['inspect']>>, notes: string[]): Promise<void> {
  if (!live.containerId || !instance) {
    notes.push(`${live.deployment.app} ${live.deployment.revision}: live container is gone; deploy again`);
    live.endpoint = null;
    return;
  }
  const running = instance.state === 'running' ? instance : await ctx.runtime.resume(instance.id).catch(() => undefined);
  live.endpoint = (running?.endpoint ?? null) as DeploymentRecord['endpoint'];
  if (instance.state !== 'running') notes.push(`${live.deployment.app} ${live.deployment.revision}: started its live container again`);
}
