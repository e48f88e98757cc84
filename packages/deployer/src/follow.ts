/**
 * Follows a deployment's event stream until it ends (reconnecting with Last-Event-ID when it
 * drops), then asks the API for the deployment: the verdict comes from GET, not the stream.
 */
import { BimError, silentReporter, TERMINAL_EVENT_NAMES, type Deployment, type DeploymentEvent, type Reporter } from '@bim-pack/shared';
import type { ApiClient } from './api-client.js';
import { backoffDelay, sleep } from './retry.js';

/** Deployment states after which nothing changes by itself. */
export const FINAL_STATUSES: readonly string[] = ['live', 'failed', 'rolled-back', 'superseded'];

/** Options of followDeployment. */
export interface FollowOptions {
  reporter?: Reporter;
  signal?: AbortSignal | undefined;
  /** Give up (API_UNREACHABLE: may still finish) after this long without a final state. */
  deadlineMs: number;
  /** Called for each new event, in order, once. */
  onEvent?: (event: DeploymentEvent) => void;
}

/** What following saw. */
export interface FollowResult {
  deployment: Deployment;
  events: DeploymentEvent[];
  /** Times the stream dropped and was reopened. */
  reconnects: number;
}

/** The hint for "lost contact": how to see what became of the deployment. */
export function checkLaterHint(app: string, id: string): string {
  return `the deployment ${id} may still finish: check it with \`bim-pack status --app ${app}\`, follow its logs with \`bim-pack logs --app ${app} --follow\`, or undo it with \`bim-pack rollback --app ${app}\``;
}

/** Follows until the API says the deployment is final. Throws API_UNREACHABLE when contact is lost. */
export async function followDeployment(client: ApiClient, app: string, id: string, options: FollowOptions): Promise<FollowResult> {
  const reporter = options.reporter ?? silentReporter;
  const deadline = Date.now() + options.deadlineMs;
  const events: DeploymentEvent[] = [];
  let lastSeq = 0;
  let reconnects = 0;
  let failures = 0;
  let sawTerminal = false;
  const lost = (why: string, cause?: unknown) =>
    new BimError('API_UNREACHABLE', `lost contact with the API at ${client.baseUrl} while deployment ${id} of ${app} was in progress: ${why}`, {
      hint: checkLaterHint(app, id), cause, details: { deploymentId: id, app },
    });

  while (!sawTerminal && Date.now() < deadline) {
    try {
      for await (const event of client.events(app, id, lastSeq || undefined)) {
        if (event.seq <= lastSeq) continue; // replayed after a reconnect
        lastSeq = event.seq;
        failures = 0;
        events.push(event);
        options.onEvent?.(event);
        if (TERMINAL_EVENT_NAMES.includes(event.name)) sawTerminal = true;
      }
      if (!sawTerminal) {
        // The stream also ends for states without an event of their own (superseded): ask.
        const now = await client.getDeployment(app, id);
        if (FINAL_STATUSES.includes(now.status)) break;
        reporter.debug(`event stream of ${id} ended before a final event; reconnecting`);
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      // Opening the stream already retried with backoff: the API is gone, not just the stream.
      if (error instanceof BimError && error.code === 'API_UNREACHABLE') throw lost(error.message, error);
      if (error instanceof BimError && error.code !== 'DEPLOY_BAD_RESPONSE') throw error;
      failures++;
      reporter.debug(`event stream of ${id} dropped (${(error as Error).message}); reconnecting from event ${lastSeq}`);
      if (failures > client.policy.retries) throw lost((error as Error).message, error);
    }
    if (!sawTerminal) {
      reconnects++;
      await sleep(backoffDelay(Math.min(failures, 5), client.policy), options.signal);
    }
  }

  // The stream is a progress display; the API's resource is the verdict.
  let deployment: Deployment;
  for (;;) {
    try {
      deployment = await client.getDeployment(app, id);
    } catch (error) {
      if (error instanceof BimError && error.code === 'API_UNREACHABLE') throw lost(error.message, error);
      throw error;
    }
    if (FINAL_STATUSES.includes(deployment.status)) break;
    if (Date.now() >= deadline) throw lost(`it is still ${deployment.status} after ${Math.round(options.deadlineMs / 1000)} s`);
    await sleep(1_000, options.signal);
  }
  return { deployment, events, reconnects };
}
