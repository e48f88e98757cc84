/**
 * The runtime interface: the few things the platform asks of a container engine.
 * The API layer and services know only this; Docker (single host) implements it,
 * a Swarm or Kubernetes runtime can implement it too.
 */
import type { FailureReason } from '@bim-pack/shared';

/** What to run for one revision. `env` values are secret: implementations never log them. */
export interface RevisionSpec {
  app: string;
  revision: string;
  deploymentId: string;
  /** The pinned reference the user gave (kept as a label). */
  image: string;
  /** The resolved local image id to run. */
  imageId: string;
  env: Record<string, string>;
  secretEnv: string[];
  port: number;
  replicas: number;
  memoryBytes: number;
  /** The deployment's health check, for runtimes that gate their own rollout on it (Swarm). */
  healthCheck?: { path: string; startSeconds: number; requestSeconds: number };
  /** Seconds a replaced replica keeps running after traffic left it. */
  drainSeconds?: number;
}

/** Where a running revision answers (the proxy's upstream and the health checker's target). */
export interface Endpoint {
  host: string;
  port: number;
}

/** A revision as the runtime sees it. */
export interface RevisionInstance {
  /** The runtime's handle (a container id for Docker). */
  id: string;
  app: string;
  revision: string;
  deploymentId: string;
  image: string;
  state: 'running' | 'starting' | 'exited' | 'created' | 'other';
  exitCode: number | null;
  endpoint: Endpoint | null;
}

/** One log line of a revision. */
export interface RuntimeLogLine {
  stream: 'stdout' | 'stderr';
  timestamp: string | null;
  line: string;
}

/** A runtime failure with the deployment failure reason it maps to. */
export class RuntimeError extends Error {
  /** The command or setting that fixes it, when the runtime knows better than the platform's default. */
  readonly hint: string | undefined;
  constructor(readonly reason: FailureReason, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.hint = options?.hint;
  }
}

/** Registry credentials the platform holds for private registries, by host. */
export type RegistryAuth = Record<string, { username: string; password: string }>;

/** The runtime interface. Every method rejects with RuntimeError('runtime-unavailable') when the engine does not answer. */
export interface Runtime {
  readonly name: string;
  /** Answers true when the engine is reachable. */
  ping(): Promise<boolean>;
  /** Makes the image available (pull a registry reference, look up a local id) and returns the local image id. */
  prepare(image: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<string>;
  /** Creates and starts a revision; resolves once the engine reports it started. */
  start(spec: RevisionSpec): Promise<RevisionInstance>;
  /** Starts a stopped revision again (rollback, reconcile). */
  resume(id: string): Promise<RevisionInstance>;
  /** Marks a revision as the one to keep running across engine restarts (after it went live). */
  keepRunning(id: string): Promise<void>;
  /** Stops a revision (SIGTERM, then SIGKILL after graceSeconds); stopped revisions stay for rollback. */
  stop(id: string, graceSeconds: number): Promise<void>;
  /** Removes a revision for good. Missing revisions are not an error. */
  remove(id: string): Promise<void>;
  /** The revision now, or undefined when it no longer exists. */
  inspect(id: string): Promise<RevisionInstance | undefined>;
  /** Every revision this platform instance manages. */
  list(): Promise<RevisionInstance[]>;
  /** Ports the revision listens on, when the runtime can tell (used to classify wrong-port). */
  listeningPorts(id: string): Promise<number[] | undefined>;
  /** Log lines: the last `tail`, then new ones while `follow` until the signal aborts or the revision stops. */
  logs(id: string, options: { tail: number; follow: boolean; signal?: AbortSignal }): AsyncIterable<RuntimeLogLine>;
  /**
   * Rejects with RuntimeError('runtime-unavailable'), its hint the fix, when the engine cannot take a
   * deployment for a reason of its own (a swarm engine that is no manager); runtimes without such a state omit it.
   */
  requireReady?(): Promise<void>;
  /** Removes everything the runtime holds for an app (runtimes where revisions share one engine object, e.g. a Swarm service). */
  removeApp?(app: string): Promise<void>;
}
