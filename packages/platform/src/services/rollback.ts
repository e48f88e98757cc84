/**
 * Rollback: start a kept revision again, check its health, switch traffic to it.
 * Synchronous: answers once switched. The replaced revision ends rolled-back.
 */
import type { RollbackResult } from '@bim-pack/shared';
import { ProxyError } from '../proxy/nginx.js';
import { RuntimeError } from '../runtime/types.js';
import type { DeploymentRecord } from '../state/store.js';
import { ApiFailure } from './api-failure.js';
import { emit, lockApp, requireApp, type PlatformContext } from './context.js';
import { waitUntilHealthy } from './health.js';
import { holdRevision, retireRevision, switchTraffic } from './switch.js';

/** The revision to roll back to: the named one, or the last one live before the current one that still has a container. */
function pickTarget(ctx: PlatformContext, appName: string, current: DeploymentRecord, revision: string | undefined): DeploymentRecord {
  const state = ctx.store.state;
  if (revision) {
    const named = Object.values(state.deployments).find((r) => r.deployment.app === appName && r.deployment.revision === revision);
    if (!named) throw new ApiFailure('REVISION_NOT_FOUND', `app ${appName} has no revision ${revision}`, `list revisions: GET /v1/apps/${appName}/deployments`);
    if (named === current) throw new ApiFailure('NOTHING_TO_ROLL_BACK', `${revision} is already live for ${appName}`, 'name another revision, or leave it out for the previous one');
    if (!named.containerId || !named.events.some((e) => e.name === 'live')) {
      throw new ApiFailure('REVISION_NOT_AVAILABLE', `${revision} of ${appName} cannot be started again (${named.deployment.status}, container ${named.containerId ? 'kept' : 'removed'})`,
        `pick a kept revision: GET /v1/apps/${appName}/deployments, or deploy its image again`);
    }
    return named;
  }
  const history = state.apps[appName]!.liveHistory;
  for (let i = history.length - 1; i >= 0; i--) {
    const record = state.deployments[history[i]!];
    if (record && record !== current && record.containerId) return record;
  }
  throw new ApiFailure('NOTHING_TO_ROLL_BACK', `app ${appName} has no earlier revision to roll back to`, 'deploy an image instead: bim-pack deploy');
}

/** POST /v1/apps/{app}/rollback */
export async function rollbackApp(ctx: PlatformContext, appName: string, revision: string | undefined): Promise<RollbackResult> {
  const app = requireApp(ctx, appName);
  const release = lockApp(ctx, appName, 'rollback');
  try {
    const current = app.liveDeploymentId ? ctx.store.state.deployments[app.liveDeploymentId] : undefined;
    if (!current) throw new ApiFailure('NOTHING_TO_ROLL_BACK', `app ${appName} has no live revision`, 'deploy an image instead: bim-pack deploy');
    const target = pickTarget(ctx, appName, current, revision);
    // Its retirement may come due while it starts again (it may still be draining): hold it.
    const releaseHold = await holdRevision(ctx, target);
    try {
      if (!target.containerId) {
        throw new ApiFailure('REVISION_NOT_AVAILABLE', `the container of ${target.deployment.revision} of ${appName} was just removed`,
          `pick a kept revision: GET /v1/apps/${appName}/deployments, or deploy its image again`);
      }
      const started = await ctx.runtime.resume(target.containerId);
      const unhealthy = await waitUntilHealthy(ctx.runtime, {
        id: started.id, port: target.deployment.port, path: target.deployment.healthCheckPath, startSeconds: target.timeouts.startSeconds,
        requestSeconds: target.timeouts.healthCheckSeconds, secrets: [],
      });
      if (unhealthy) {
        await ctx.runtime.stop(started.id, 5).catch(() => undefined);
        throw new ApiFailure('ROLLBACK_FAILED', `${target.deployment.revision} did not pass its health check again: ${unhealthy.message}`,
          `the current revision ${current.deployment.revision} keeps serving; see its logs: GET /v1/apps/${appName}/logs?revision=${target.deployment.revision}`,
          { failure: unhealthy });
      }
      const running = await ctx.runtime.inspect(started.id);
      target.endpoint = (running?.endpoint ?? null) as DeploymentRecord['endpoint'];
      const drained = await switchTraffic(ctx, target);
      app.liveDeploymentId = target.deployment.id;
      app.liveHistory.push(target.deployment.id);
      // Free the app before "live" is visible, as a deployment does: a client may act on it at once.
      release();
      await emit(ctx, current, 'rolled-back', `rolled back to ${target.deployment.revision}`);
      await emit(ctx, target, 'live', `${target.deployment.revision} is live again (rollback from ${current.deployment.revision})`);
      await ctx.runtime.keepRunning(started.id).catch(() => undefined);
      retireRevision(ctx, app, current, drained, ctx.config.drainSeconds ?? current.timeouts.drainSeconds);
      return { app: appName, from: current.deployment.revision, deployment: target.deployment };
    } catch (error) {
      if (error instanceof ProxyError) {
        throw new ApiFailure('PROXY_FAILED', error.message, `${current.deployment.revision} keeps serving; check ${ctx.config.dataDir}/nginx/logs/error.log`);
      }
      if (error instanceof RuntimeError) {
        throw new ApiFailure(error.reason === 'runtime-unavailable' ? 'RUNTIME_UNAVAILABLE' : 'ROLLBACK_FAILED', error.message,
          `${error.hint ? `${error.hint}; ` : ''}${current.deployment.revision} keeps serving`);
      }
      throw error;
    } finally {
      releaseHold();
    }
  } finally {
    release();
  }
}
