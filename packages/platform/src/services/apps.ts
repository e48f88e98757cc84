/** Apps: list, get, destroy; deployments: list, get; logs of a revision. */
import type { App, AppDestroyed, Deployment, LogLine, LogsQuery } from '@bim-pack/shared';
import { ProxyError } from '../proxy/nginx.js';
import { ApiFailure } from './api-failure.js';
import { deploymentsOf, lockApp, proxyRoutes, requireApp, toApp, type PlatformContext } from './context.js';

/** GET /v1/apps */
export function listApps(ctx: PlatformContext): App[] {
  return Object.values(ctx.store.state.apps).sort((a, b) => a.name.localeCompare(b.name)).map((app) => toApp(ctx, app));
}

/** GET /v1/apps/{app} */
export function getApp(ctx: PlatformContext, name: string): App {
  return toApp(ctx, requireApp(ctx, name));
}

/** GET /v1/apps/{app}/deployments */
export function listDeployments(ctx: PlatformContext, name: string): Deployment[] {
  requireApp(ctx, name);
  return deploymentsOf(ctx.store.state, name).map((r) => r.deployment);
}

/** GET /v1/apps/{app}/deployments/{id} */
export function getDeploymentRecord(ctx: PlatformContext, name: string, id: string) {
  requireApp(ctx, name);
  const record = ctx.store.state.deployments[id];
  if (!record || record.deployment.app !== name) {
    throw new ApiFailure('DEPLOYMENT_NOT_FOUND', `app ${name} has no deployment ${id}`, `list them: GET /v1/apps/${name}/deployments`);
  }
  return record;
}

/** DELETE /v1/apps/{app}: out of nginx first, then every container removed, then forgotten. */
export async function destroyApp(ctx: PlatformContext, name: string): Promise<AppDestroyed> {
  requireApp(ctx, name);
  const release = lockApp(ctx, name, 'destroy');
  try {
    try {
      await ctx.proxy.apply(proxyRoutes(ctx.store.state, { [name]: null }));
    } catch (error) {
      if (error instanceof ProxyError) throw new ApiFailure('PROXY_FAILED', error.message, `check ${ctx.config.dataDir}/nginx/logs/error.log`);
      throw error;
    }
    const records = deploymentsOf(ctx.store.state, name);
    await ctx.runtime.removeApp?.(name);
    for (const record of records) {
      if (record.containerId) await ctx.runtime.remove(record.containerId);
      delete ctx.store.state.deployments[record.deployment.id];
    }
    delete ctx.store.state.apps[name];
    await ctx.store.save();
    return { name, destroyed: true, removedRevisions: records.map((r) => r.deployment.revision) };
  } finally {
    release();
  }
}

/** GET /v1/apps/{app}/logs: the chosen revision's lines (live revision by default, else the newest with a container). */
export function appLogs(ctx: PlatformContext, name: string, query: LogsQuery, signal: AbortSignal): AsyncIterable<LogLine> {
  const app = requireApp(ctx, name);
  const records = deploymentsOf(ctx.store.state, name);
  const record = query.revision
    ? records.find((r) => r.deployment.revision === query.revision)
    : (app.liveDeploymentId ? ctx.store.state.deployments[app.liveDeploymentId] : undefined) ?? records.find((r) => r.containerId);
  if (!record) throw new ApiFailure('REVISION_NOT_FOUND', `app ${name} has no revision ${query.revision ?? 'with logs'}`, `list them: GET /v1/apps/${name}/deployments`);
  if (!record.containerId) {
    throw new ApiFailure('REVISION_NOT_AVAILABLE', `the container of ${record.deployment.revision} was removed; its last lines are in the deployment's failure.logTail`,
      `GET /v1/apps/${name}/deployments/${record.deployment.id}`);
  }
  const { containerId } = record;
  const { revision } = record.deployment;
  // Checks above throw before the response starts; the lines stream after.
  return (async function* lines() {
    for await (const line of ctx.runtime.logs(containerId, { tail: query.tail, follow: query.follow, signal })) {
      yield { stream: line.stream, revision, timestamp: line.timestamp, line: line.line };
    }
  })();
}
