/**
 * Pure descriptions for the swarm runtime: the service spec of a revision, names,
 * revision handles, and how a service's update status and tasks read as a revision's state.
 */
import { createHash } from 'node:crypto';
import type { FailureReason } from '@bim-pack/shared';
import { LABELS } from './docker-spec.js';
import type { ServiceSpec, SwarmService, SwarmTask } from './swarm-api.js';
import type { RevisionInstance, RevisionSpec } from './types.js';

/** Where the probe binary is mounted in every task (read-only): the health check needs no tool in the image. */
export const PROBE_TARGET = '/.bim-pack/busybox';
/** Health-check cadence inside the task. */
export const HEALTH_INTERVAL_SECONDS = 1;
const HEALTH_RETRIES = 2;
/** How long Swarm still watches the new replicas for a failure once all turned healthy. */
export const UPDATE_MONITOR_SECONDS = 2;
const NS = 1_000_000_000;

/** The service name of an app: one service per app, updated in place for each revision (at most 63 characters). */
export function serviceName(platformId: string, app: string): string {
  const name = `bim-${platformId}-${app}`;
  return name.length <= 63 ? name : `${name.slice(0, 54)}-${shortHash(app)}`;
}

/** A secret's name: unique per platform, app, revision and env name; at most 64 characters. */
export function secretName(platformId: string, app: string, revision: string, env: string): string {
  return `bim-${platformId}-${revision}-${env.slice(0, 32)}-${shortHash(`${app}/${revision}/${env}`)}`;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** The runtime handle of a revision: "<service id>/<revision>". */
export function revisionHandle(serviceId: string, revision: string): string {
  return `${serviceId}/${revision}`;
}

/** Splits a handle; undefined for anything else (e.g. a container id from the docker runtime). */
export function parseHandle(id: string): { serviceId: string; revision: string } | undefined {
  const match = /^([a-z0-9]{10,64})\/(r\d+)$/.exec(id);
  return match ? { serviceId: match[1]!, revision: match[2]! } : undefined;
}

/** How a revision's service is described besides the request itself. */
export interface ServiceOptions {
  platformId: string;
  /** Host path of a static busybox, bind-mounted for the health check. */
  probeBinary: string;
  /** Secret ids by env name, already created. */
  secrets: Record<string, { id: string; name: string }>;
}

/**
 * The health-check start period. Swarm's verdict (failing retries, stopping the replica within its grace
 * period, starting the rollback) must come before the platform's own deadline, startSeconds, even on a busy
 * node: a replica gets the first half of startSeconds to answer, Swarm the second half to decide.
 */
export function healthStartPeriodSeconds(startSeconds: number, stopGraceSeconds: number): number {
  return Math.max(0, Math.floor(startSeconds / 2 - HEALTH_RETRIES * HEALTH_INTERVAL_SECONDS - stopGraceSeconds));
}

/** The full service spec of a revision: image, env (secrets as files), labels, health check, start-first updates with rollback. */
export function describeService(spec: RevisionSpec, options: ServiceOptions): ServiceSpec {
  const health = spec.healthCheck ?? { path: '/', startSeconds: 60, requestSeconds: 2 };
  const digest = /sha256:[a-f0-9]{64}$/.exec(spec.image)?.[0] ?? spec.imageId;
  const secretNames = new Set(spec.secretEnv);
  const labels = {
    [LABELS.platform]: options.platformId, [LABELS.app]: spec.app, [LABELS.revision]: spec.revision, [LABELS.deployment]: spec.deploymentId,
    [LABELS.image]: spec.image, [LABELS.digest]: digest, [LABELS.port]: String(spec.port), 'im.backend.replicas': String(spec.replicas),
  };
  const env = [
    ...Object.entries(spec.env).filter(([name]) => !secretNames.has(name)).map(([name, value]) => `${name}=${value}`),
    ...spec.secretEnv.map((name) => `${name}_FILE=/run/secrets/${name}`),
    `PORT=${spec.port}`,
  ];
  const url = `http://127.0.0.1:${spec.port}${health.path}`;
  const drain = Math.max(2, spec.drainSeconds ?? 5);
  return {
    Name: serviceName(options.platformId, spec.app),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        // A local image id runs as is (single node); a pinned registry reference is pulled by every node.
        Image: spec.image.startsWith('sha256:') ? spec.imageId : spec.image,
        Labels: labels,
        Env: env,
        Secrets: spec.secretEnv.map((name) => ({
          SecretID: options.secrets[name]!.id, SecretName: options.secrets[name]!.name,
          File: { Name: name, UID: '0', GID: '0', Mode: 0o444 },
        })),
        Mounts: [{ Type: 'bind', Source: options.probeBinary, Target: PROBE_TARGET, ReadOnly: true }],
        Healthcheck: {
          // No wget -T: the engine's own Timeout bounds the probe (and busybox-static's -T crashes in some builds).
          Test: ['CMD', PROBE_TARGET, 'wget', '-q', '-O', '/dev/null', url],
          Interval: HEALTH_INTERVAL_SECONDS * NS, Timeout: health.requestSeconds * NS, Retries: HEALTH_RETRIES,
          StartPeriod: healthStartPeriodSeconds(health.startSeconds, drain) * NS,
        },
        // A replaced replica gets SIGTERM once Swarm has started its successor; this is how long it may finish requests.
        StopGracePeriod: drain * NS,
      },
      Resources: { Limits: { MemoryBytes: spec.memoryBytes } },
      RestartPolicy: { Condition: 'any', Delay: NS, MaxAttempts: 0 },
      LogDriver: { Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '3' } },
    },
    Mode: { Replicated: { Replicas: spec.replicas } },
    // Every replica at once, start-first: the new ones start beside the old (as one host starts the new container
    // beside the old), each old one stops once its successor is healthy. One at a time would let Swarm's updater
    // hand the next replica out before counting the last one's failure, then miss it after its monitor window:
    // its rollback would come only after the next replica failed too.
    UpdateConfig: {
      Parallelism: 0, Delay: 0, Order: 'start-first', FailureAction: 'rollback', Monitor: UPDATE_MONITOR_SECONDS * NS, MaxFailureRatio: 0,
    },
    RollbackConfig: { Parallelism: 0, Delay: 0, Order: 'start-first', FailureAction: 'pause', Monitor: NS, MaxFailureRatio: 0 },
    // Host-mode publishing without a published port: the engine picks a free port per task, so old and new
    // replicas of a start-first update never collide. nginx's upstreams are these ports.
    EndpointSpec: { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: spec.port, PublishMode: 'host' }] },
  };
}

/** The revision a task, a spec or a service was made for. */
export function revisionOf(labels: Record<string, string> | undefined): string | undefined {
  return labels?.[LABELS.revision];
}

/** A revision's state as Swarm shows it, or Swarm's verdict that the revision failed. */
export type RevisionReading =
  | { kind: 'instance'; instance: RevisionInstance }
  | { kind: 'failed'; reason: FailureReason; message: string };

const ROLLBACK_STATES = new Set(['rollback_started', 'rollback_completed', 'rollback_paused']);

/** Reads one revision out of its service and the service's tasks. */
export function readRevision(service: SwarmService, tasks: SwarmTask[], revision: string, endpointOf: (task: SwarmTask) => RevisionInstance['endpoint']): RevisionReading {
  const labels = service.Spec.Labels ?? {};
  const mine = tasks.filter((t) => revisionOf(t.Spec.ContainerSpec?.Labels) === revision);
  const base = {
    id: revisionHandle(service.ID, revision), app: labels[LABELS.app] ?? '', revision,
    deploymentId: '', image: '', exitCode: null as number | null, endpoint: null as RevisionInstance['endpoint'],
  };
  const specLabels = revisionOf(labels) === revision ? labels : revisionOf(service.PreviousSpec?.Labels) === revision ? service.PreviousSpec!.Labels! : undefined;
  Object.assign(base, { deploymentId: specLabels?.[LABELS.deployment] ?? '', image: specLabels?.[LABELS.image] ?? '' });
  const update = service.UpdateStatus?.State ?? '';
  const failedTask = mine.filter((t) => ['failed', 'rejected'].includes(t.Status.State)).sort(byNewest)[0];
  if (revisionOf(labels) !== revision) {
    // Swarm rolled back away from this revision on its own: that is the revision's failure. After the rollback
    // Swarm keeps no previous spec and "rollback completed" says no more why: a failed replica of this revision does.
    if (ROLLBACK_STATES.has(update) && failedTask !== undefined) {
      return { kind: 'failed', ...verdict(service, failedTask) };
    }
    return { kind: 'instance', instance: { ...base, state: 'exited' } };
  }
  if (update === 'paused' || update === 'rollback_paused') {
    return { kind: 'failed', reason: 'start-failed', message: `Swarm paused the rollout of ${service.Spec.Name}: ${service.UpdateStatus?.Message ?? ''}` };
  }
  const running = mine.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
  const wanted = service.Spec.Mode?.Replicated?.Replicas ?? 1;
  if (wanted === 0) return { kind: 'instance', instance: { ...base, state: 'exited' } };
  // Rolling back to a revision: its replicas that still run (start-first never stopped them) serve already.
  const settled = update === '' ? running.length >= wanted
    : update === 'completed' || update === 'rollback_completed' || (update === 'rollback_started' && running.length > 0);
  const endpoint = running.map(endpointOf).find((e) => e !== null) ?? null;
  if (settled && endpoint) return { kind: 'instance', instance: { ...base, state: 'running', endpoint } };
  if (update === '' && !running.length && failedTask) {
    // A first deployment whose replicas keep failing: no earlier spec to go back to.
    const v = verdict(service, failedTask);
    if (v.reason !== 'exited-on-boot') return { kind: 'failed', ...v };
    return { kind: 'instance', instance: { ...base, state: 'exited', exitCode: failedTask.Status.ContainerStatus?.ExitCode ?? null } };
  }
  return { kind: 'instance', instance: { ...base, state: 'starting' } };
}

function byNewest(a: SwarmTask, b: SwarmTask): number {
  return Date.parse(b.Status.Timestamp ?? '') - Date.parse(a.Status.Timestamp ?? '');
}

/** Why a revision's replica failed, from the task's error. */
function verdict(service: SwarmService, task: SwarmTask | undefined): { reason: FailureReason; message: string } {
  const why = task?.Status.Err ?? service.UpdateStatus?.Message ?? 'a replica failed';
  const code = task?.Status.ContainerStatus?.ExitCode;
  const rolled = ROLLBACK_STATES.has(service.UpdateStatus?.State ?? '') ? `; Swarm rolled ${service.Spec.Name} back to ${revisionOf(service.Spec.Labels)}` : '';
  if (/unhealthy/i.test(why)) return { reason: 'health-timeout', message: `a replica failed its health check (${why})${rolled}` };
  if (code) return { reason: 'exited-on-boot', message: `a replica exited with code ${code} (${why})${rolled}` };
  return { reason: 'start-failed', message: `a replica could not start (${why})${rolled}` };
}
