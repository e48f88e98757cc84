/**
 * The one module that imports undici: requests to the Backend.im API and to deployed apps.
 * Every call has an explicit timeout and honours the caller's AbortSignal. `<app>.localhost`
 * hosts are dialled on 127.0.0.1 with the Host header kept, so no resolver setup is needed.
 */
import { Agent, request, type Dispatcher } from 'undici';

/** A transport failure: nothing (or not all) came back. `connect`: the request surely never reached the server. */
export class NetworkError extends Error {
  readonly kind: 'connect' | 'timeout' | 'reset';
  constructor(kind: NetworkError['kind'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'NetworkError';
    this.kind = kind;
  }
}

/** A buffered response. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

/** A streaming response: iterate `body`, call `close()` when done. */
export interface HttpStream {
  status: number;
  headers: Record<string, string | undefined>;
  body: AsyncIterable<Buffer>;
  close(): void;
}

/** Options of one request. */
export interface HttpRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Whole request, headers and body included. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Keep at most this many body bytes (the rest is read and dropped). */
  maxBytes?: number;
}

/** An HTTP client with its own connection pool; close() it when done so the process can exit. */
export interface Http {
  send(url: string, init: HttpRequest): Promise<HttpResponse>;
  /** Opens a long-lived stream: `timeoutMs` bounds the headers, `idleMs` the silence between chunks. */
  stream(url: string, init: Omit<HttpRequest, 'maxBytes'> & { idleMs: number }): Promise<HttpStream>;
  close(): Promise<void>;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** `<app>.localhost` answers on loopback: dial 127.0.0.1 and keep the name in Host. */
export function resolveLoopback(url: string): { url: string; host?: string } {
  const parsed = new URL(url);
  if (!parsed.hostname.endsWith('.localhost')) return { url };
  const host = parsed.host;
  parsed.hostname = '127.0.0.1';
  return { url: parsed.toString(), host };
}

function classify(error: unknown): NetworkError {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? String(error);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code)) {
    return new NetworkError('connect', `${code}: ${message}`, error);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (error as Error).name === 'TimeoutError') {
    return new NetworkError('timeout', `timed out (${code || 'deadline'})`, error);
  }
  return new NetworkError('reset', `${code || 'connection error'}: ${message}`, error);
}

/** Creates a client. One per command run. */
export function createHttp(): Http {
  const agent = new Agent({ keepAliveTimeout: 2_000, connectTimeout: 10_000 });
  const open = async (url: string, init: HttpRequest, signal: AbortSignal, headersMs: number, bodyMs: number) => {
    const target = resolveLoopback(url);
    const headers = { ...(init.headers ?? {}), ...(target.host ? { host: target.host } : {}) };
    try {
      return await request(target.url, {
        method: init.method ?? 'GET', headers, body: init.body, dispatcher: agent as Dispatcher, signal,
        headersTimeout: headersMs, bodyTimeout: bodyMs,
      });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw classify(error);
    }
  };
  return {
    async send(url, init) {
      const deadline = AbortSignal.timeout(init.timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
      const res = await open(url, init, signal, init.timeoutMs, init.timeoutMs);
      const max = init.maxBytes ?? 4 * 1024 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          if (size < max) chunks.push(chunk.subarray(0, max - size));
          size += chunk.length;
        }
      } catch (error) {
        if (init.signal?.aborted) throw init.signal.reason;
        throw classify(error);
      }
      return { status: res.statusCode, headers: flatHeaders(res.headers), text: Buffer.concat(chunks).toString('utf8') };
    },
    async stream(url, init) {
      const controller = new AbortController();
      const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
      const res = await open(url, init, signal, init.timeoutMs, init.idleMs);
      const body = (async function* () {
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) yield chunk;
        } catch (error) {
          if (init.signal?.aborted) throw init.signal.reason;
          if (controller.signal.aborted) return;
          throw classify(error);
        }
      })();
      return { status: res.statusCode, headers: flatHeaders(res.headers), body, close: () => controller.abort() };
    },
    close: () => agent.close(),
  };
}
