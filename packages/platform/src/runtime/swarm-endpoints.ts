/**
 * Where each app's replicas answer: the host-mode port of every running task, polled from
 * the engine. Polled fast while a rollout runs (Swarm replaces tasks on its own schedule,
 * so nginx must follow it), slowly otherwise (tasks restarted or rescheduled).
 */
import { LABELS } from './docker-spec.js';
import type { SwarmApi, SwarmService, SwarmTask } from './swarm-api.js';
import type { Endpoint } from './types.js';

const FAST_MS = 100;
const SLOW_MS = 1_000;
const FAST_FOR_MS = 5_000;

/** The task's endpoint from what the engine reported (pure): the node's address and the task's published port. */
export function taskEndpoint(task: SwarmTask, targetPort: number, nodeAddr: string | undefined, localPort: number | undefined): Endpoint | null {
  if (localPort) return { host: '127.0.0.1', port: localPort };
  // Without the container at hand, the first published port for the target (the IPv4 one; IPv6 gets its own).
  const published = task.Status.PortStatus?.Ports?.find((p) => p.TargetPort === targetPort && p.PublishedPort)?.PublishedPort;
  return published && nodeAddr ? { host: nodeAddr, port: published } : null;
}

/** Tasks that serve traffic now: Swarm wants them running and they are (healthy, when a health check is set). */
export function servingTasks(tasks: SwarmTask[]): SwarmTask[] {
  return tasks.filter((t) => t.DesiredState === 'running' && t.Status.State === 'running');
}

/** Keeps every app's serving endpoints and tells listeners when they change. */
export class SwarmEndpoints {
  private readonly byApp = new Map<string, Endpoint[]>();
  private readonly byTask = new Map<string, Endpoint | null>();
  private readonly listeners = new Set<() => void>();
  private nodes = new Map<string, string>();
  private localNode = '';
  private fastUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight = false;

  constructor(private readonly api: SwarmApi, private readonly platformId: string) {}

  /** The app's serving endpoints (empty before the first poll). */
  of(app: string): Endpoint[] {
    return this.byApp.get(app) ?? [];
  }

  /** The endpoint of one task (after resolve), or null. */
  endpointOf(task: SwarmTask, service: SwarmService): Endpoint | null {
    const port = Number(service.Spec.Labels?.[LABELS.port] ?? 0);
    const known = this.byTask.get(task.ID);
    if (known !== undefined) return known;
    return taskEndpoint(task, port, this.nodes.get(task.NodeID ?? ''), undefined);
  }

  /** Looks up the host ports of tasks not seen before (the local engine's container, else the task's port status). */
  async resolve(service: SwarmService, tasks: SwarmTask[]): Promise<void> {
    if (!this.localNode) {
      this.localNode = (await this.api.swarmState()).nodeId;
      this.nodes = await this.api.nodeAddresses();
    }
    const port = Number(service.Spec.Labels?.[LABELS.port] ?? 0);
    for (const task of servingTasks(tasks)) {
      if (this.byTask.get(task.ID)) continue;
      if (!this.nodes.has(task.NodeID ?? '')) this.nodes = await this.api.nodeAddresses();
      const container = task.Status.ContainerStatus?.ContainerID;
      const local = task.NodeID === this.localNode && container ? await this.api.localHostPort(container, port) : undefined;
      this.byTask.set(task.ID, taskEndpoint(task, port, this.nodes.get(task.NodeID ?? ''), local));
    }
  }

  /** Calls fn whenever an app's endpoints change. */
  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.poke();
  }

  /** Polls fast for a while: a rollout was just asked for. */
  poke(): void {
    this.fastUntil = Date.now() + FAST_FOR_MS;
    if (this.running) this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  /** One poll: every service of this platform, its serving tasks, compared with the last poll. */
  async poll(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    let busy = false;
    try {
      const services = await this.api.listServices([`${LABELS.platform}=${this.platformId}`]);
      const next = new Map<string, Endpoint[]>();
      const live = new Set<string>();
      for (const service of services) {
        const app = service.Spec.Labels?.[LABELS.app];
        if (!app) continue;
        const state = service.UpdateStatus?.State ?? '';
        if (state === 'updating' || state === 'rollback_started') busy = true;
        const tasks = await this.api.listTasks(service.ID);
        await this.resolve(service, tasks);
        const serving = servingTasks(tasks);
        for (const task of serving) live.add(task.ID);
        if (serving.length < tasks.filter((t) => t.DesiredState === 'running').length) busy = true;
        next.set(app, serving.map((t) => this.endpointOf(t, service)).filter((e): e is Endpoint => e !== null)
          .sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port));
      }
      for (const id of [...this.byTask.keys()]) if (!live.has(id)) this.byTask.delete(id);
      const changed = next.size !== this.byApp.size || [...next].some(([app, list]) => JSON.stringify(list) !== JSON.stringify(this.byApp.get(app)));
      this.byApp.clear();
      for (const [app, list] of next) this.byApp.set(app, list);
      if (changed) for (const fn of this.listeners) fn();
    } catch {
      busy = true; // the engine did not answer: keep the last endpoints, try again soon
    } finally {
      this.inFlight = false;
    }
    if (this.running) this.schedule(busy || Date.now() < this.fastUntil ? FAST_MS : SLOW_MS);
  }
}
