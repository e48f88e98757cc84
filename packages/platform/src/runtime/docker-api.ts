/**
 * The only module that speaks to the Docker Engine API (v1.41) over its unix socket.
 * A Pool rather than one Client: a followed log stream holds a connection for minutes
 * and must not queue every other call behind it.
 */
import { Pool } from 'undici';
import type { Readable } from 'node:stream';
import { RuntimeError } from './types.js';

/** A JSON response from the engine. */
export interface DockerResponse<T = unknown> {
  status: number;
  body: T;
}

/** Options of one engine call. */
export interface DockerCall {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** A thin Docker Engine API client: paths and JSON, nothing more. */
export class DockerApi {
  private readonly pool: Pool;
  constructor(readonly socketPath: string, private readonly version = 'v1.41') {
    this.pool = new Pool('http://docker', { socketPath, connections: 16, connect: { timeout: 5_000 } });
  }

  private path(path: string, query: DockerCall['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return `/${this.version}${path}${search ? `?${search}` : ''}`;
  }

  /** Sends a call and returns the raw streaming response (caller reads or dumps the body). */
  async open(method: string, path: string, call: DockerCall = {}): Promise<{ status: number; body: Readable & AsyncIterable<Buffer> }> {
    try {
      const response = await this.pool.request({
        method: method as 'GET',
        path: this.path(path, call.query),
        headers: { ...(call.body === undefined ? {} : { 'content-type': 'application/json' }), ...call.headers },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: call.signal,
        headersTimeout: call.timeoutMs ?? 60_000,
        bodyTimeout: 0,
      });
      return { status: response.statusCode, body: response.body as unknown as Readable & AsyncIterable<Buffer> };
    } catch (error) {
      throw toRuntimeError(error, this.socketPath);
    }
  }

  /** Sends a call and parses the JSON (or text) answer. */
  async call<T = unknown>(method: string, path: string, call: DockerCall = {}): Promise<DockerResponse<T>> {
    const response = await this.open(method, path, call);
    let text: string;
    try {
      text = await (response.body as unknown as { text(): Promise<string> }).text();
    } catch (error) {
      throw toRuntimeError(error, this.socketPath);
    }
    let body: unknown = text;
    if (text && /^[[{]/.test(text.trim())) {
      try { body = JSON.parse(text); } catch { /* keep text */ }
    }
    return { status: response.status, body: body as T };
  }

  /** Closes every connection, cutting calls still running (e.g. a 10 s container stop): used on shutdown. */
  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}

/** The engine's error text from a failed response body. */
export function engineMessage(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return typeof body === 'string' ? body.trim() : JSON.stringify(body);
}

function toRuntimeError(error: unknown, socketPath: string): Error {
  if (error instanceof RuntimeError) return error;
  const name = (error as { name?: string }).name;
  if (name === 'AbortError') return error as Error;
  return new RuntimeError('runtime-unavailable', `the Docker engine at ${socketPath} does not answer (${(error as Error).message})`, { cause: error });
}
