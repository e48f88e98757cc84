/**
 * The Swarm endpoints of the Docker Engine API (v1.41) the swarm runtime uses:
 * services, tasks, service logs, secrets, nodes. Transport is the shared DockerApi client.
 */
import { DockerApi, engineMessage, type DockerCall } from './docker-api.js';
import { RuntimeError } from './types.js';

/** A service as the engine reports it (only the fields read here). */
export interface SwarmService {
  ID: string;
  Version: { Index: number };
  Spec: ServiceSpec;
  PreviousSpec?: ServiceSpec;
  UpdateStatus?: { State?: string; Message?: string; StartedAt?: string; CompletedAt?: string };
}

/** The parts of a service spec the runtime writes and reads back. */
export interface ServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: {
      Image: string;
      Labels?: Record<string, string>;
      Env?: string[];
      Secrets?: Array<{ SecretID: string; SecretName: string; File: { Name: string; UID: string; GID: string; Mode: number } }>;
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  Mode?: { Replicated?: { Replicas?: number } };
  [key: string]: unknown;
}

/** A task (one replica's container) as the engine reports it. */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  CreatedAt?: string;
  DesiredState: string;
  Spec: { ContainerSpec?: { Labels?: Record<string, string> } };
  Status: {
    Timestamp?: string;
    State: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
    PortStatus?: { Ports?: Array<{ TargetPort: number; PublishedPort?: number; PublishMode?: string }> };
  };
}

/** Swarm calls on top of the engine client; non-2xx answers become RuntimeErrors. */
export class SwarmApi {
  constructor(readonly docker: DockerApi) {}

  private async ok<T>(method: string, path: string, expected: number[], call: DockerCall = {}): Promise<T> {
    const result = await this.docker.call<T>(method, path, call);
    if (!expected.includes(result.status)) {
      const reason = result.status === 503 ? 'runtime-unavailable' : 'start-failed';
      throw new RuntimeError(reason, `${method} ${path} failed (${result.status}): ${engineMessage(result.body)}`);
    }
    return result.body;
  }

  /** The local node's swarm state ("active" when it is part of a swarm) and whether it is a manager. */
  async swarmState(): Promise<{ state: string; manager: boolean; nodeId: string }> {
    const info = await this.ok<{ Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string } }>('GET', '/info', [200]);
    return { state: info.Swarm?.LocalNodeState ?? 'inactive', manager: info.Swarm?.ControlAvailable === true, nodeId: info.Swarm?.NodeID ?? '' };
  }

  /** Services carrying every one of these labels ("key=value"). */
  listServices(labels: string[]): Promise<SwarmService[]> {
    return this.ok('GET', '/services', [200], { query: { filters: JSON.stringify({ label: labels }) } });
  }

  /** One service, or undefined when it does not exist. */
  async inspectService(idOrName: string): Promise<SwarmService | undefined> {
    const result = await this.docker.call<SwarmService>('GET', `/services/${encodeURIComponent(idOrName)}`);
    if (result.status === 404) return undefined;
    if (result.status !== 200) throw new RuntimeError('runtime-unavailable', `inspecting service ${idOrName} failed: ${engineMessage(result.body)}`);
    return result.body;
  }

  /** Creates a service; `auth` is the X-Registry-Auth value every node pulls with. */
  async createService(spec: ServiceSpec, auth?: string): Promise<string> {
    const body = await this.ok<{ ID: string }>('POST', '/services/create', [201], { body: spec, headers: auth ? { 'x-registry-auth': auth } : {} });
    return body.ID;
  }

  /** Replaces a service's spec (version guards against lost updates); `rollback` asks Swarm for its previous spec instead. */
  async updateService(id: string, version: number, spec: ServiceSpec, options: { auth?: string; rollback?: boolean } = {}): Promise<void> {
    await this.ok('POST', `/services/${id}/update`, [200], {
      query: { version, ...(options.rollback ? { rollback: 'previous' } : {}) },
      body: spec, headers: options.auth ? { 'x-registry-auth': options.auth } : {},
    });
  }

  /** Deletes a service; a missing one is not an error. */
  async removeService(id: string): Promise<void> {
    await this.ok('DELETE', `/services/${id}`, [200, 404]);
  }

  /** Tasks of a service (every state: the caller filters). */
  listTasks(serviceId: string): Promise<SwarmTask[]> {
    return this.ok('GET', '/tasks', [200], { query: { filters: JSON.stringify({ service: [serviceId] }) } });
  }

  /** Creates a secret from a value; returns its id. The value is sent once and never read back. */
  async createSecret(name: string, value: string, labels: Record<string, string>): Promise<string> {
    const body = await this.ok<{ ID: string }>('POST', '/secrets/create', [201], {
      body: { Name: name, Labels: labels, Data: Buffer.from(value, 'utf8').toString('base64') },
    });
    return body.ID;
  }

  /** Secrets carrying every one of these labels. */
  listSecrets(labels: string[]): Promise<Array<{ ID: string; Spec: { Name: string; Labels?: Record<string, string> } }>> {
    return this.ok('GET', '/secrets', [200], { query: { filters: JSON.stringify({ label: labels }) } });
  }

  /** Deletes a secret; missing is fine, in use (409/500 "in use") answers false. */
  async removeSecret(id: string): Promise<boolean> {
    const result = await this.docker.call('DELETE', `/secrets/${id}`);
    return result.status === 204 || result.status === 404;
  }

  /** Stores a document as a Swarm config (readable back, unlike a secret). */
  async createConfig(name: string, data: string, labels: Record<string, string>): Promise<string> {
    const body = await this.ok<{ ID: string }>('POST', '/configs/create', [201], {
      body: { Name: name, Labels: labels, Data: Buffer.from(data, 'utf8').toString('base64') },
    });
    return body.ID;
  }

  /** Configs carrying every one of these labels, with their data. */
  async listConfigs(labels: string[]): Promise<Array<{ ID: string; labels: Record<string, string>; data: string }>> {
    const configs = await this.ok<Array<{ ID: string; Spec: { Labels?: Record<string, string>; Data?: string } }>>('GET', '/configs', [200], {
      query: { filters: JSON.stringify({ label: labels }) },
    });
    return configs.map((c) => ({ ID: c.ID, labels: c.Spec.Labels ?? {}, data: Buffer.from(c.Spec.Data ?? '', 'base64').toString('utf8') }));
  }

  /** Deletes a config; missing is fine. */
  async removeConfig(id: string): Promise<void> {
    await this.ok('DELETE', `/configs/${id}`, [204, 404]);
  }

  /** Node addresses by node id (where a task's host-mode port answers). */
  async nodeAddresses(): Promise<Map<string, string>> {
    const nodes = await this.ok<Array<{ ID: string; Status?: { Addr?: string } }>>('GET', '/nodes', [200]);
    return new Map(nodes.map((n) => [n.ID, n.Status?.Addr ?? '']));
  }

  /** A container's IPv4 host port for a container port, when the container runs on this engine. */
  async localHostPort(containerId: string, port: number): Promise<number | undefined> {
    const result = await this.docker.call<{ NetworkSettings?: { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> } }>(
      'GET', `/containers/${containerId}/json`);
    if (result.status !== 200) return undefined;
    const binding = result.body.NetworkSettings?.Ports?.[`${port}/tcp`]?.find((b) => b.HostIp === '0.0.0.0' || b.HostIp === '127.0.0.1');
    return binding?.HostPort ? Number(binding.HostPort) : undefined;
  }
}
