/**
 * Creating a deployment and running it: pull, start, health check, switch, live.
 * A failure at any step removes the new container; the live revision keeps serving.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  isLocalImageId, type Deployment, type DeploymentCreateParsed, type DeploymentFailure, type FailureReason,
} from '@bim-pack/shared';
import { ProxyError } from '../proxy/nginx.js';
import { RuntimeError } from '../runtime/types.js';
import type { DeploymentRecord } from '../state/store.js';
import { ApiFailure } from './api-failure.js';
import { appUrl, emit, lockApp, type PlatformContext } from './context.js';
import { readLogTail, waitUntilHealthy } from './health.js';
import { retireRevision, switchTraffic } from './switch.js';

const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

/** JSON with sorted keys, so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A new deployment id: dep_ + 20 base32 characters. */
function newDeploymentId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `dep_${[...randomBytes(20)].map((b) => alphabet[b % 32]).join('')}`;
}

/** Maps a runtime error at create time to an API failure. */
function runtimeFailure(error: unknown): never {
  if (error instanceof RuntimeError && error.reason === 'image-not-found') {
    throw new ApiFailure('IMAGE_NOT_FOUND', error.message, 'build the image into this Docker engine first (bim-pack build), or deploy a registry reference repo@sha256:...');
  }
  if (error instanceof RuntimeError && error.reason === 'runtime-unavailable') {
    throw new ApiFailure('RUNTIME_UNAVAILABLE', error.message, error.hint ?? 'start the Docker engine (sudo systemctl start docker, or bash scripts/services.sh start), then retry');
  }
  throw error;
}

/** POST /v1/apps/{app}/deployments: validates, answers `queued` at once and runs the deployment in the background. */
export async function createDeployment(ctx: PlatformContext, appName: string, body: DeploymentCreateParsed, idempotencyKey: string | undefined): Promise<{ deployment: Deployment; replayed: boolean }> {
  const state = ctx.store.state;
  const hash = createHmac('sha256', state.hashKey).update(canonical(body)).digest('base64url');
  if (idempotencyKey !== undefined) {
    const earlier = Object.values(state.deployments).find((r) => r.deployment.app === appName && r.idempotency?.key === idempotencyKey
      && Date.now() - Date.parse(r.idempotency.at) < IDEMPOTENCY_TTL_MS);
    if (earlier) {
      if (earlier.idempotency!.hash !== hash) {
        throw new ApiFailure('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${idempotencyKey} was used for a different request body (deployment ${earlier.deployment.id})`,
          'send a new Idempotency-Key for a new deployment', { deploymentId: earlier.deployment.id });
      }
      return { deployment: earlier.deployment, replayed: true };
    }
  }
  if ((body.replicas ?? 1) > 1 && ctx.runtime.name === 'docker') {
    throw new ApiFailure('REPLICAS_NOT_SUPPORTED', `the single-host docker runtime runs 1 replica, not ${body.replicas}`, 'drop replicas (or set it to 1), or run the platform with the swarm runtime');
  }
  const id = newDeploymentId();
  const release = lockApp(ctx, appName, 'deploy', id);
  try {
    // Fail fast on what can be checked now: an engine that cannot deploy, a missing local image, or no engine at all.
    await ctx.runtime.requireReady?.().catch(runtimeFailure);
    let imageId: string | null = null;
    if (isLocalImageId(body.image)) imageId = await ctx.runtime.prepare(body.image, { timeoutMs: 10_000 }).catch(runtimeFailure);
    else if (!(await ctx.runtime.ping())) runtimeFailure(new RuntimeError('runtime-unavailable', `the ${ctx.runtime.name} engine does not answer`));
    const now = new Date().toISOString();
    const app = state.apps[appName] ?? { name: appName, createdAt: now, nextRevision: 1, liveDeploymentId: null, liveHistory: [] };
    state.apps[appName] = app;
    const revision = `r${app.nextRevision++}`;
    const record: DeploymentRecord = {
      deployment: {
        id, app: appName, revision, image: body.image, imageId, status: 'queued', envNames: Object.keys(body.env).sort(),
        secretEnvNames: [...body.secretEnv].sort(), port: body.port, healthCheckPath: body.healthCheckPath, replicas: body.replicas ?? 1,
        failure: null, createdAt: now, finishedAt: null, url: appUrl(ctx, appName),
      },
      containerId: null, endpoint: null, events: [], timeouts: body.timeouts,
      idempotency: idempotencyKey === undefined ? null : { key: idempotencyKey, hash, at: now },
    };
    state.deployments[id] = record;
    await emit(ctx, record, 'queued', `revision ${revision} of ${appName} queued`);
    const work = runDeployment(ctx, record, body, release).finally(release);
    ctx.background.add(work);
    void work.finally(() => ctx.background.delete(work));
    return { deployment: record.deployment, replayed: false };
  } catch (error) {
    release();
    throw error;
  }
}

/** Ends a deployment as failed: removes its container, keeps the live revision serving. */
async function failDeployment(ctx: PlatformContext, record: DeploymentRecord, failure: DeploymentFailure, release: () => void): Promise<void> {
  if (record.containerId) await ctx.runtime.remove(record.containerId).catch(() => undefined);
  record.containerId = null;
  record.endpoint = null;
  record.deployment.failure = failure;
  record.deployment.finishedAt = new Date().toISOString();
  // Free the app before the verdict is visible: a client may act on "failed" at once.
  release();
  await emit(ctx, record, 'failed', failure.message, failure);
}

/** The deployment steps; never throws (every failure ends the deployment as failed). */
async function runDeployment(ctx: PlatformContext, record: DeploymentRecord, body: DeploymentCreateParsed, release: () => void): Promise<void> {
  const { deployment } = record;
  const app = ctx.store.state.apps[deployment.app]!;
  const secrets = Object.values(body.env);
  try {
    await emit(ctx, record, 'pulling', deployment.imageId ? `image ${deployment.image.slice(0, 19)} is in the engine` : `pulling ${deployment.image}`);
    deployment.imageId ??= await ctx.runtime.prepare(deployment.image, { timeoutMs: record.timeouts.pullSeconds * 1000 });
    await emit(ctx, record, 'starting', `starting ${deployment.revision} with env ${deployment.envNames.join(', ') || '(none)'} and PORT=${deployment.port}`);
    const instance = await ctx.runtime.start({
      app: deployment.app, revision: deployment.revision, deploymentId: deployment.id, image: deployment.image, imageId: deployment.imageId,
      env: body.env, secretEnv: body.secretEnv, port: body.port, replicas: deployment.replicas, memoryBytes: ctx.config.memoryMb * 1024 * 1024,
      healthCheck: { path: body.healthCheckPath, startSeconds: record.timeouts.startSeconds, requestSeconds: record.timeouts.healthCheckSeconds },
      drainSeconds: ctx.config.drainSeconds ?? record.timeouts.drainSeconds,
    });
    record.containerId = instance.id;
    await ctx.store.save();
    await emit(ctx, record, 'health-checking', `waiting up to ${record.timeouts.startSeconds}s for GET ${deployment.healthCheckPath} to answer`);
    const unhealthy = await waitUntilHealthy(ctx.runtime, {
      id: instance.id, port: body.port, path: body.healthCheckPath, startSeconds: record.timeouts.startSeconds,
      requestSeconds: record.timeouts.healthCheckSeconds, secrets,
    });
    if (unhealthy) return await failDeployment(ctx, record, unhealthy, release);
    const running = await ctx.runtime.inspect(instance.id);
    if (!running?.endpoint) throw new RuntimeError('exited-on-boot', 'the revision stopped right after its health check passed');
    record.endpoint = running.endpoint as DeploymentRecord['endpoint'];
    await emit(ctx, record, 'switching', `switching traffic for ${deployment.app} to ${deployment.revision}`);
    const drained = await switchTraffic(ctx, record);
    const previous = app.liveDeploymentId ? ctx.store.state.deployments[app.liveDeploymentId] : undefined;
    app.liveDeploymentId = deployment.id;
    app.liveHistory.push(deployment.id);
    deployment.finishedAt = new Date().toISOString();
    if (previous) previous.deployment.status = 'superseded';
    // Free the app before "live" is visible: a client may deploy or roll back at once.
    release();
    await emit(ctx, record, 'live', `${deployment.revision} is live at ${deployment.url}`);
    await ctx.runtime.keepRunning(instance.id).catch(() => undefined);
    if (previous) retireRevision(ctx, app, previous, drained, ctx.config.drainSeconds ?? record.timeouts.drainSeconds);
  } catch (error) {
    const reason: FailureReason = error instanceof RuntimeError ? error.reason : error instanceof ProxyError ? 'proxy-failed' : 'start-failed';
    const logTail = record.containerId ? await readLogTail(ctx.runtime, record.containerId, secrets) : [];
    await failDeployment(ctx, record, { reason, message: (error as Error).message, logTail }, release).catch((e: Error) => ctx.config.log(`failing ${deployment.id}: ${e.message}`));
  }
}
