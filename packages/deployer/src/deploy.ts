/**
 * The deploy steps the CLI times one by one: create (one Idempotency-Key per attempt),
 * follow until final and judge, smoke-test and roll back on failure.
 */
import { randomUUID } from 'node:crypto';
import {
  BimError, silentReporter, type Deployment, type DeploymentCreate, type DeploymentEvent, type Reporter, type RollbackResult, type SmokeCheck,
} from '@bim-pack/shared';
import type { ApiClient } from './api-client.js';
import { checkLaterHint, followDeployment } from './follow.js';
import { runSmokeChecks, type SmokeOutcome } from './smoke.js';
import { sleep } from './retry.js';
import { assertLive } from './verdict.js';

/** A fresh key for one deploy attempt (reused by every retry of that attempt). */
export function createIdempotencyKey(): string {
  return `bim-${randomUUID()}`;
}

/** What startDeployment made. */
export interface StartedDeployment {
  deployment: Deployment;
  /** The revision live before this deployment (the rollback target), or null. */
  previousRevision: string | null;
}

/**
 * Creates the deployment. The create call is not cancelled by Ctrl-C (it is short and we must
 * know whether it happened); an interrupt right after it reports the deployment id.
 */
export async function startDeployment(
  client: ApiClient, app: string, request: DeploymentCreate, options: { idempotencyKey: string; signal?: AbortSignal | undefined; reporter?: Reporter },
): Promise<StartedDeployment> {
  const reporter = options.reporter ?? silentReporter;
  const existing = await client.findApp(app);
  const previousRevision = existing?.liveRevision ?? null;
  const deployment = await client.createDeployment(app, request, options.idempotencyKey);
  reporter.step(`deployment ${deployment.id}: ${app} ${deployment.revision}${previousRevision ? ` (replacing ${previousRevision})` : ''}`);
  if (options.signal?.aborted) throw interruptedAfterCreate(deployment);
  return { deployment, previousRevision };
}

/** Ctrl-C after the deployment exists: say so, and how to follow or undo it. */
export function interruptedAfterCreate(deployment: Pick<Deployment, 'id' | 'app' | 'revision'>): BimError {
  return new BimError('INTERRUPTED', `interrupted; deployment ${deployment.id} (${deployment.app} ${deployment.revision}) was created and continues on the platform`, {
    hint: checkLaterHint(deployment.app, deployment.id),
    details: { deploymentId: deployment.id, revision: deployment.revision },
  });
}

/** Follows the deployment until final and throws DEPLOY_FAILED unless it is live. */
export async function waitUntilLive(
  client: ApiClient, deployment: Deployment, options: { deadlineMs: number; reporter?: Reporter; signal?: AbortSignal | undefined },
): Promise<{ deployment: Deployment; events: DeploymentEvent[]; reconnects: number }> {
  const reporter = options.reporter ?? silentReporter;
  const result = await followDeployment(client, deployment.app, deployment.id, {
    deadlineMs: options.deadlineMs, reporter, signal: options.signal,
    onEvent: (event) => reporter.step(`${event.name}: ${event.message}`),
  });
  if (result.deployment.status !== 'live') {
    const tail = result.deployment.failure?.logTail ?? [];
    if (tail.length) {
      reporter.warn(`last log lines of ${deployment.app} ${deployment.revision}:`);
      for (const line of tail) reporter.info(`    | ${line}`);
    }
  }
  assertLive(result.deployment);
  return result;
}

/** Smoke-tests the live deployment; on failure rolls back to previousRevision and throws SMOKE_FAILED. */
export async function verifyDeployment(
  client: ApiClient, deployment: Deployment, checks: SmokeCheck[],
  options: { previousRevision: string | null; deadlineMs: number; reporter?: Reporter; signal?: AbortSignal | undefined },
): Promise<SmokeOutcome[]> {
  const reporter = options.reporter ?? silentReporter;
  const results = await runSmokeChecks(client.http, deployment.url, checks, { deadlineMs: options.deadlineMs, reporter, signal: options.signal });
  const failed = results.find((r) => !r.ok);
  if (!failed) return results;
  const what = `GET ${deployment.url}${failed.path} ${failed.problem ?? 'failed'}${failed.bodyStart ? `; body starts: ${JSON.stringify(failed.bodyStart.slice(0, 120))}` : ''}`;
  const details = { deploymentId: deployment.id, revision: deployment.revision, url: deployment.url, smoke: results };
  if (!options.previousRevision) {
    throw new BimError('SMOKE_FAILED', `smoke test failed: ${what}; no earlier revision to roll back to, so ${deployment.revision} stays live`, {
      hint: `fix the app and deploy again, or remove it with \`bim-pack destroy --app ${deployment.app}\``, details,
    });
  }
  reporter.step(`rolling back ${deployment.app} to ${options.previousRevision}`);
  try {
    await rollbackWhenFree(client, deployment.app, options.previousRevision, { signal: options.signal });
  } catch (error) {
    throw new BimError('SMOKE_FAILED', `smoke test failed: ${what}; the rollback to ${options.previousRevision} failed too: ${(error as Error).message}`, {
      hint: `roll back by hand: \`bim-pack rollback ${options.previousRevision} --app ${deployment.app}\``, details, cause: error,
    });
  }
  throw new BimError('SMOKE_FAILED', `smoke test failed: ${what}; rolled back to ${options.previousRevision}`, {
    hint: `fix ${failed.path} (or the [im.backend] smoke checks in project.toml) and deploy again`,
    details: { ...details, rolledBackTo: options.previousRevision },
  });
}

/**
 * Rolls back, waiting while the app is busy: another deployment or rollback of the same app
 * may be under way (409 DEPLOYMENT_IN_PROGRESS), and the smoke-test rollback must not give up on that.
 */
export async function rollbackWhenFree(
  client: ApiClient, app: string, revision: string | undefined, options: { waitMs?: number; signal?: AbortSignal | undefined } = {},
): Promise<RollbackResult> {
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (;;) {
    try {
      return await client.rollback(app, revision);
    } catch (error) {
      const busy = error instanceof BimError && error.details?.apiCode === 'DEPLOYMENT_IN_PROGRESS';
      if (!busy || Date.now() > deadline) throw error;
      await sleep(500, options.signal);
    }
  }
}
