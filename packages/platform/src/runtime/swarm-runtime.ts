/**
 * The Swarm runtime: one service per app, updated in place for each revision (start-first,
 * health-gated, rolled back by Swarm on failure). A revision's handle is "<service id>/<revision>";
 * Swarm holds the current and the previous spec, so those two are the revisions it can run.
 */
import { access, constants } from 'node:fs/promises';
import { DockerApi } from './docker-api.js';
import { DockerRuntime, type DockerRuntimeOptions } from './docker-runtime.js';
import { LABELS, registryAuthHeader } from './docker-spec.js';
import { SwarmApi, type SwarmService, type SwarmTask } from './swarm-api.js';
import { readSwarmLogs } from './swarm-logs.js';
import { createRevisionSecrets, pruneSecrets } from './swarm-secrets.js';
import { describeService, parseHandle, readRevision, revisionOf, serviceName } from './swarm-spec.js';
import { SwarmEndpoints } from './swarm-endpoints.js';
import { SpecStore } from './swarm-store.js';
import { RuntimeError, type Endpoint, type RevisionInstance, type RevisionSpec, type Runtime, type RuntimeLogLine } from './types.js';

/** Options of the swarm runtime. */
export interface SwarmRuntimeOptions extends DockerRuntimeOptions {
  /** A static busybox on every node, mounted read-only into tasks for the health check. Default /bin/busybox. */
  probeBinary?: string;
}

/** Runtime on Docker Swarm services. */
export class SwarmRuntime implements Runtime {
  readonly name = 'swarm';
  readonly api: SwarmApi;
  /** Where each app's replicas answer, kept fresh while the platform runs (nginx's upstreams). */
  readonly endpoints: SwarmEndpoints;
  private readonly local: DockerRuntime;
  private readonly specs: SpecStore;
  constructor(private readonly options: SwarmRuntimeOptions) {
    this.api = new SwarmApi(new DockerApi(options.socketPath));
    this.local = new DockerRuntime(options);
    this.endpoints = new SwarmEndpoints(this.api, options.platformId);
    this.specs = new SpecStore(this.api, options.platformId);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.api.swarmState()).manager;
    } catch {
      return false;
    }
  }

  /** Whether this engine can run services: a manager, an engine outside any swarm (or a worker), or no answer. */
  async managerState(): Promise<'manager' | 'not-manager' | 'unreachable'> {
    try {
      return (await this.api.swarmState()).manager ? 'manager' : 'not-manager';
    } catch {
      return 'unreachable';
    }
  }

  readonly requireReady = (): Promise<void> => this.requireManager(); // Runtime.requireReady: a manager, checked before a deployment is accepted
  /** Rejects unless this engine is a swarm manager (the platform creates services). */
  async requireManager(): Promise<void> {
    const { state, manager } = await this.api.swarmState();
    if (!manager) {
      throw new RuntimeError('runtime-unavailable', `the Docker engine at ${this.options.socketPath} is not a swarm manager (swarm ${state}); run: docker swarm init (or join it as a manager)`, { hint: 'make this engine a swarm manager: docker swarm init (a worker node: docker node promote <node> on a manager), then retry' });
    }
  }

  prepare(image: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<string> {
    // Pulled on the platform's node to check it exists and the credentials work; every other node pulls with the same auth.
    return this.local.prepare(image, options);
  }

  async start(spec: RevisionSpec): Promise<RevisionInstance> {
    await this.requireManager();
    const probe = this.options.probeBinary ?? '/bin/busybox';
    await access(probe, constants.X_OK).catch(() => {
      throw new RuntimeError('start-failed', `the health-check probe ${probe} is missing on this node; install it: apt-get install busybox-static`);
    });
    const name = serviceName(this.options.platformId, spec.app);
    const secrets = await createRevisionSecrets(this.api, this.options.platformId, spec);
    const body = describeService(spec, { platformId: this.options.platformId, probeBinary: probe, secrets });
    const auth = spec.image.startsWith('sha256:') ? undefined : registryAuthHeader(spec.image, this.options.registryAuth);
    await this.specs.save(spec.app, spec.revision, body);
    const existing = await this.api.inspectService(name);
    let serviceId: string;
    if (existing) {
      await this.api.updateService(existing.ID, existing.Version.Index, body, { auth });
      serviceId = existing.ID;
      await this.pruneSecrets(spec.app);
    } else {
      serviceId = await this.api.createService(body, auth);
    }
    this.endpoints.poke();
    return { id: `${serviceId}/${spec.revision}`, app: spec.app, revision: spec.revision, deploymentId: spec.deploymentId, image: spec.image, state: 'starting', exitCode: null, endpoint: null };
  }

  async resume(id: string): Promise<RevisionInstance> {
    const { service, revision } = await this.service(id);
    if (!service) throw new RuntimeError('start-failed', `the service of ${id} no longer exists`);
    if (revisionOf(service.Spec.Labels) === revision) {
      if (service.Spec.Mode?.Replicated?.Replicas === 0) {
        const replicas = Number(service.Spec.Labels?.['im.backend.replicas'] ?? 1);
        await this.api.updateService(service.ID, service.Version.Index, { ...service.Spec, Mode: { Replicated: { Replicas: replicas } } });
      }
    } else if (revisionOf(service.PreviousSpec?.Labels) === revision) {
      // Rollback maps to Swarm's previous spec: Swarm itself replaces the replicas, start-first.
      await this.api.updateService(service.ID, service.Version.Index, service.Spec, { rollback: true });
    } else {
      // Older than Swarm's previous spec: a regular start-first update to the spec kept for it.
      const kept = await this.specs.load(service.Spec.Labels?.[LABELS.app] ?? '', revision);
      if (!kept) throw new RuntimeError('start-failed', `the spec of ${revision} is no longer kept (service ${service.Spec.Name}); deploy its image again`);
      const image = kept.TaskTemplate.ContainerSpec.Image;
      await this.api.updateService(service.ID, service.Version.Index, kept, { auth: image.startsWith('sha256:') ? undefined : registryAuthHeader(image, this.options.registryAuth) });
    }
    this.endpoints.poke();
    const instance = await this.inspect(id);
    if (!instance) throw new RuntimeError('start-failed', `${id} vanished after start`);
    return instance;
  }

  async keepRunning(): Promise<void> {
    // Swarm restarts tasks by itself (restart condition "any").
  }

  /**
   * Replicas of a replaced revision are stopped by Swarm itself. The revision the service runs is left alone
   * (a rollback toward it may be under way while an older retirement fires), unless Swarm gave up its rollout
   * (paused): then the service goes back to its previous spec.
   */
  async stop(id: string): Promise<void> {
    const { service, revision } = await this.service(id);
    if (!service || revisionOf(service.Spec.Labels) !== revision) return;
    const previous = revisionOf(service.PreviousSpec?.Labels);
    if (!['paused', 'rollback_paused'].includes(service.UpdateStatus?.State ?? '') || !previous || previous === revision) return;
    await this.api.updateService(service.ID, service.Version.Index, service.Spec, { rollback: true });
    this.endpoints.poke();
  }

  async remove(id: string): Promise<void> {
    const { service, revision } = await this.service(id);
    if (!service) return;
    const app = service.Spec.Labels?.[LABELS.app] ?? '';
    await this.specs.remove(app, revision);
    if (revisionOf(service.Spec.Labels) !== revision) {
      await this.pruneSecrets(app);
      return;
    }
    // Removing the revision the service runs: back to the previous spec when there is one, else the service goes.
    const previous = revisionOf(service.PreviousSpec?.Labels);
    if (previous && previous !== revision) await this.api.updateService(service.ID, service.Version.Index, service.Spec, { rollback: true });
    else await this.removeApp(app);
    this.endpoints.poke();
  }

  async removeApp(app: string): Promise<void> {
    const service = await this.api.inspectService(serviceName(this.options.platformId, app));
    if (service) await this.api.removeService(service.ID);
    await this.specs.remove(app);
    // Secrets stay in use until the tasks are gone: retry for a few seconds.
    for (let attempt = 0; attempt < 40; attempt++) {
      if (await this.pruneSecrets(app, true)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    this.endpoints.poke();
  }

  async inspect(id: string): Promise<RevisionInstance | undefined> {
    const { service, revision } = await this.service(id);
    if (!service) return undefined;
    const tasks = await this.api.listTasks(service.ID);
    await this.endpoints.resolve(service, tasks);
    const reading = readRevision(service, tasks, revision, (task) => this.endpoints.endpointOf(task, service));
    // Swarm's own verdict (it rolled the service back) ends the platform's health wait with the reason.
    if (reading.kind === 'failed') throw new RuntimeError(reading.reason, reading.message);
    return reading.instance;
  }

  async list(): Promise<RevisionInstance[]> {
    const services = await this.api.listServices([`${LABELS.platform}=${this.options.platformId}`]);
    const out: RevisionInstance[] = [];
    for (const service of services) {
      const tasks = await this.api.listTasks(service.ID);
      await this.endpoints.resolve(service, tasks);
      const kept = await this.specs.all(service.Spec.Labels?.[LABELS.app] ?? '');
      for (const revision of new Set([revisionOf(service.Spec.Labels), revisionOf(service.PreviousSpec?.Labels), ...kept.keys()])) {
        if (!revision) continue;
        const reading = readRevision(service, tasks, revision, (task) => this.endpoints.endpointOf(task, service));
        out.push(reading.kind === 'instance' ? reading.instance
          : { id: `${service.ID}/${revision}`, app: service.Spec.Labels?.[LABELS.app] ?? '', revision, deploymentId: '', image: '', state: 'exited', exitCode: null, endpoint: null });
      }
    }
    return out;
  }

  async listeningPorts(id: string): Promise<number[] | undefined> {
    const task = await this.newestTask(id);
    const container = task?.Status.ContainerStatus?.ContainerID;
    return container ? this.local.listeningPorts(container).catch(() => undefined) : undefined;
  }

  logs(id: string, options: { tail: number; follow: boolean; signal?: AbortSignal }): AsyncIterable<RuntimeLogLine> {
    const handle = parseHandle(id);
    if (!handle) throw new RuntimeError('runtime-unavailable', `${id} is not a swarm revision`);
    return readSwarmLogs(this.api, handle.serviceId, handle.revision, options);
  }

  /** The app's replicas that serve now (every revision), for nginx. */
  endpointsOf(app: string): Endpoint[] {
    return this.endpoints.of(app);
  }

  async close(): Promise<void> {
    this.endpoints.stop();
    await this.api.docker.close();
    await this.local.close();
  }

  private async service(id: string): Promise<{ service: SwarmService | undefined; revision: string }> {
    const handle = parseHandle(id);
    if (!handle) return { service: undefined, revision: '' };
    return { service: await this.api.inspectService(handle.serviceId), revision: handle.revision };
  }

  private async newestTask(id: string): Promise<SwarmTask | undefined> {
    const handle = parseHandle(id);
    if (!handle) return undefined;
    const tasks = await this.api.listTasks(handle.serviceId).catch(() => []);
    return tasks.filter((t) => revisionOf(t.Spec.ContainerSpec?.Labels) === handle.revision)
      .sort((a, b) => Date.parse(b.Status.Timestamp ?? '') - Date.parse(a.Status.Timestamp ?? ''))[0];
  }

  /** Deletes the app's secrets no kept spec refers to (all of them with `all`); answers whether none is left over. */
  private async pruneSecrets(app: string, all = false): Promise<boolean> {
    if (all) return pruneSecrets(this.api, this.options.platformId, app, []);
    const service = await this.api.inspectService(serviceName(this.options.platformId, app));
    const kept = [...(await this.specs.all(app)).values()];
    return pruneSecrets(this.api, this.options.platformId, app, [service?.Spec, service?.PreviousSpec, ...kept]);
  }
}
