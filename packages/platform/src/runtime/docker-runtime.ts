/** The single-host runtime: one container per revision on the local Docker engine. */
import { readFile } from 'node:fs/promises';
import { DockerApi, engineMessage } from './docker-api.js';
import { describeContainer, LABELS, parseListeningPorts, registryAuthHeader, toInstance } from './docker-spec.js';
import { LineSplitter, LogDemuxer, splitTimestamp } from './log-demux.js';
import { RuntimeError, type RegistryAuth, type RevisionInstance, type RevisionSpec, type Runtime, type RuntimeLogLine } from './types.js';

/** Options of the Docker runtime. */
export interface DockerRuntimeOptions {
  socketPath: string;
  /** Labels every container with this id, so several platforms on one engine never touch each other's. */
  platformId: string;
  registryAuth: RegistryAuth;
}

/** Runtime on the Docker Engine API (only the calls used here). */
export class DockerRuntime implements Runtime {
  readonly name = 'docker';
  private readonly api: DockerApi;
  constructor(private readonly options: DockerRuntimeOptions) {
    this.api = new DockerApi(options.socketPath);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.api.call('GET', '/_ping', { timeoutMs: 5_000 })).status === 200;
    } catch {
      return false;
    }
  }

  async prepare(image: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<string> {
    if (!image.startsWith('sha256:')) await this.pull(image, options);
    const found = await this.api.call<{ Id?: string }>('GET', `/images/${encodeURIComponent(image)}/json`);
    if (found.status === 404) throw new RuntimeError('image-not-found', `image ${image} does not exist in the Docker engine`);
    if (found.status !== 200 || !found.body.Id) throw new RuntimeError('pull-failed', `inspecting image ${image} failed: ${engineMessage(found.body)}`);
    return found.body.Id;
  }

  private async pull(image: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
    const auth = registryAuthHeader(image, this.options.registryAuth);
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])]);
    let response: Awaited<ReturnType<DockerApi['open']>>;
    try {
      response = await this.api.open('POST', '/images/create', {
        query: { fromImage: image }, headers: auth ? { 'x-registry-auth': auth } : {}, signal, timeoutMs: options.timeoutMs,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError') {
        throw new RuntimeError('pull-failed', `pulling ${image} took longer than ${Math.round(options.timeoutMs / 1000)}s`);
      }
      throw error;
    }
    // The engine answers 200 and reports failures inside the progress stream, so read it all.
    let text = '';
    try {
      for await (const chunk of response.body) text += chunk.toString('utf8');
    } catch {
      throw new RuntimeError('pull-failed', `pulling ${image} was cut off`);
    }
    let failure = response.status === 200 ? undefined : engineMessage(safeJson(text));
    for (const line of text.split('\n')) {
      const event = safeJson(line) as { error?: string } | undefined;
      if (event && typeof event === 'object' && event.error) failure = event.error;
    }
    if (failure !== undefined) throw classifyPullFailure(image, failure);
  }

  async start(spec: RevisionSpec): Promise<RevisionInstance> {
    const { name, body } = describeContainer(spec, this.options.platformId);
    const created = await this.api.call<{ Id?: string; message?: string }>('POST', '/containers/create', { query: { name }, body });
    if (created.status !== 201 || !created.body.Id) {
      throw new RuntimeError('start-failed', `creating container ${name} failed: ${engineMessage(created.body)}`);
    }
    return this.resume(created.body.Id);
  }

  async resume(id: string): Promise<RevisionInstance> {
    const started = await this.api.call('POST', `/containers/${id}/start`);
    if (started.status !== 204 && started.status !== 304) {
      throw new RuntimeError('start-failed', `starting container ${id.slice(0, 12)} failed: ${engineMessage(started.body)}`);
    }
    const instance = await this.inspect(id);
    if (!instance) throw new RuntimeError('start-failed', `container ${id.slice(0, 12)} vanished after start`);
    return instance;
  }

  async keepRunning(id: string): Promise<void> {
    await this.api.call('POST', `/containers/${id}/update`, { body: { RestartPolicy: { Name: 'unless-stopped' } } });
  }

  async stop(id: string, graceSeconds: number): Promise<void> {
    const result = await this.api.call('POST', `/containers/${id}/stop`, { query: { t: Math.ceil(graceSeconds) }, timeoutMs: (graceSeconds + 30) * 1000 });
    if (![204, 304, 404].includes(result.status)) throw new RuntimeError('start-failed', `stopping ${id.slice(0, 12)} failed: ${engineMessage(result.body)}`);
  }

  async remove(id: string): Promise<void> {
    const result = await this.api.call('DELETE', `/containers/${id}`, { query: { force: true, v: true } });
    if (![204, 404].includes(result.status)) throw new RuntimeError('start-failed', `removing ${id.slice(0, 12)} failed: ${engineMessage(result.body)}`);
  }

  async inspect(id: string): Promise<RevisionInstance | undefined> {
    const result = await this.api.call<Parameters<typeof toInstance>[0]>('GET', `/containers/${id}/json`);
    if (result.status === 404) return undefined;
    if (result.status !== 200) throw new RuntimeError('runtime-unavailable', `inspecting ${id.slice(0, 12)} failed: ${engineMessage(result.body)}`);
    return toInstance(result.body);
  }

  async list(): Promise<RevisionInstance[]> {
    const filters = JSON.stringify({ label: [`${LABELS.platform}=${this.options.platformId}`] });
    const result = await this.api.call<Array<{ Id: string }>>('GET', '/containers/json', { query: { all: true, filters } });
    if (result.status !== 200) throw new RuntimeError('runtime-unavailable', `listing containers failed: ${engineMessage(result.body)}`);
    const instances = await Promise.all(result.body.map((c) => this.inspect(c.Id)));
    return instances.filter((i): i is RevisionInstance => i !== undefined);
  }

  async listeningPorts(id: string): Promise<number[] | undefined> {
    const result = await this.api.call<{ State?: { Pid?: number } }>('GET', `/containers/${id}/json`);
    const pid = result.status === 200 ? result.body.State?.Pid : undefined;
    if (!pid) return undefined;
    // The container's network namespace, read from the host: works for any image, even one without a shell.
    const tables = await Promise.all(['tcp', 'tcp6'].map((t) => readFile(`/proc/${pid}/net/${t}`, 'utf8').catch(() => '')));
    return tables.some(Boolean) ? parseListeningPorts(...tables) : undefined;
  }

  async *logs(id: string, options: { tail: number; follow: boolean; signal?: AbortSignal }): AsyncIterable<RuntimeLogLine> {
    const response = await this.api.open('GET', `/containers/${id}/logs`, {
      query: { stdout: true, stderr: true, timestamps: true, tail: options.tail, follow: options.follow }, signal: options.signal,
    });
    if (response.status !== 200) {
      let text = '';
      for await (const chunk of response.body) text += chunk.toString('utf8');
      throw new RuntimeError('runtime-unavailable', `reading logs of ${id.slice(0, 12)} failed: ${engineMessage(safeJson(text) ?? text)}`);
    }
    const demuxer = new LogDemuxer();
    const splitter = new LineSplitter();
    try {
      for await (const chunk of response.body) {
        for (const frame of demuxer.push(chunk)) {
          for (const raw of splitter.push(frame)) yield { stream: frame.stream, ...splitTimestamp(raw) };
        }
      }
    } catch (error) {
      if (!options.signal?.aborted) throw error;
    } finally {
      response.body.destroy();
    }
    for (const rest of splitter.flush()) yield { stream: rest.stream, ...splitTimestamp(rest.line) };
  }

  async close(): Promise<void> {
    await this.api.close();
  }
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

/** Maps the engine's pull error text to a failure reason. */
export function classifyPullFailure(image: string, message: string): RuntimeError {
  if (/unauthorized|authentication required|denied|no basic auth/i.test(message)) {
    return new RuntimeError('pull-denied', `the registry refused to serve ${image}: ${message}`);
  }
  if (/manifest unknown|not found|does not exist/i.test(message)) {
    return new RuntimeError('image-not-found', `${image} does not exist in its registry: ${message}`);
  }
  return new RuntimeError('pull-failed', `pulling ${image} failed: ${message}`);
}
