/**
 * The typed Backend.im API client: the route table and zod schemas of @bim-pack/shared on
 * both sides, a timeout on every call, retries with backoff for network errors and 5xx/429.
 */
import {
  BimError, buildApiPath, DeploymentEventSchema, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, LogLineSchema, ROUTES, silentReporter,
  type App, type AppDestroyed, type AppList, type Deployment, type DeploymentCreate, type DeploymentEvent, type DeploymentList,
  type LogLine, type Reporter, type RollbackResult, type RouteName, type Whoami,
} from '@bim-pack/shared';
import type { z } from 'zod';
import { badResponse, errorFromResponse, unreachable, type CallContext } from './api-errors.js';
import { createHttp, NetworkError, type Http, type HttpStream } from './http.js';
import { backoffDelay, DEFAULT_RETRY, isNotProcessedStatus, isRetryableStatus, parseRetryAfter, sleep, type RetryPolicy } from './retry.js';
import { SseParser } from './sse.js';

/** How to reach the API. */
export interface ApiClientOptions {
  /** Base URL, e.g. http://127.0.0.1:7070 (without /v1). */
  url: string;
  token: string;
  /** Per-call timeout (default 30 s). */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  reporter?: Reporter;
  signal?: AbortSignal | undefined;
  /** Share one pool; default: the client makes (and closes) its own. */
  http?: Http;
}

interface CallOptions {
  params?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Safe to repeat whatever happened to the first try (GET, keyed create). */
  repeatable: boolean;
  /** Not cancelled by the signal (create: we must know whether it happened). */
  shielded?: boolean;
}

type Response<N extends RouteName> = z.output<(typeof ROUTES)[N]['response']>;

/** A client for one API base URL and token. */
export class ApiClient {
  readonly baseUrl: string;
  /** The connection pool (smoke checks share it). */
  readonly http: Http;
  private readonly ownsHttp: boolean;
  /** Retries of every call (followers of streams use it too). */
  readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly reporter: Reporter;
  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.http = options.http ?? createHttp();
    this.ownsHttp = !options.http;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.reporter = options.reporter ?? silentReporter;
  }

  whoami(): Promise<Whoami> { return this.call('whoami', { repeatable: true }); }
  listApps(): Promise<AppList> { return this.call('listApps', { repeatable: true }); }
  getApp(app: string): Promise<App> { return this.call('getApp', { params: { app }, repeatable: true }); }
  /** The app, or null when the API does not know it. */
  async findApp(app: string): Promise<App | null> {
    try {
      return await this.getApp(app);
    } catch (error) {
      if (error instanceof BimError && error.code === 'DEPLOY_NOT_FOUND') return null;
      throw error;
    }
  }
  destroyApp(app: string): Promise<AppDestroyed> { return this.call('destroyApp', { params: { app }, repeatable: false }); }
  listDeployments(app: string): Promise<DeploymentList> { return this.call('listDeployments', { params: { app }, repeatable: true }); }
  getDeployment(app: string, id: string): Promise<Deployment> {
    return this.call('getDeployment', { params: { app, deployment: id }, repeatable: true });
  }
  /** Creates a deployment. The key makes retries safe: the API answers them with the same deployment. */
  createDeployment(app: string, body: DeploymentCreate, idempotencyKey: string): Promise<Deployment> {
    return this.call('createDeployment', {
      params: { app }, body, headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey }, repeatable: true, shielded: true,
    });
  }
  /** Rolls back. Without a revision the call is retried only when the API surely did not act on it. */
  rollback(app: string, revision?: string): Promise<RollbackResult> {
    return this.call('rollback', { params: { app }, body: revision ? { revision } : {}, repeatable: revision !== undefined });
  }

  /** The deployment's events from after `lastEventId`; ends when the server ends the stream. */
  async *events(app: string, id: string, lastEventId?: number): AsyncGenerator<DeploymentEvent> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const stream = await this.open('deploymentEvents', { app, deployment: id }, headers, undefined);
    const parser = new SseParser();
    try {
      for await (const chunk of stream.body) {
        for (const message of parser.push(chunk.toString('utf8'))) {
          yield this.parse('deploymentEvents', DeploymentEventSchema, message.data);
        }
      }
    } finally {
      stream.close();
    }
  }

  /** Log lines (tail, then new ones with follow) as the API sends them. */
  async *logs(app: string, query: { tail?: number; follow?: boolean; revision?: string }): AsyncGenerator<LogLine> {
    const search: Record<string, string> = { tail: String(query.tail ?? 100), follow: query.follow ? '1' : '0' };
    if (query.revision) search.revision = query.revision;
    const stream = await this.open('appLogs', { app }, { accept: 'application/x-ndjson' }, search);
    let rest = '';
    try {
      for await (const chunk of stream.body) {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) yield this.parse('appLogs', LogLineSchema, line);
      }
      if (rest.trim()) yield this.parse('appLogs', LogLineSchema, rest);
    } finally {
      stream.close();
    }
  }

  /** Closes the connection pool (only when this client made it). */
  async close(): Promise<void> {
    if (this.ownsHttp) await this.http.close();
  }

  private context(name: RouteName, params: Record<string, string>): CallContext {
    return { baseUrl: this.baseUrl, what: `${ROUTES[name].method} ${buildApiPath(name, params)}` };
  }

  private url(name: RouteName, params: Record<string, string>, query?: Record<string, string>): string {
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.baseUrl}${buildApiPath(name, params)}${search}`;
  }

  private parse<T>(name: RouteName, schema: z.ZodType<T>, text: string): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw badResponse(this.context(name, {}), 'not JSON');
    }
    const result = schema.safeParse(json);
    if (!result.success) throw badResponse(this.context(name, {}), result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return result.data;
  }

  private async call<N extends RouteName>(name: N, options: CallOptions): Promise<Response<N>> {
    const route = ROUTES[name];
    const params = options.params ?? {};
    const ctx = this.context(name, params);
    const signal = options.shielded ? undefined : this.options.signal;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let last: NetworkError | BimError | undefined;
    let attempts = 0;
    for (let attempt = 0; attempt <= this.policy.retries; attempt++) {
      attempts = attempt + 1;
      if (attempt > 0) {
        const retryAfter = last instanceof BimError ? (last.details?.retryAfterMs as number | undefined) : undefined;
        const delay = backoffDelay(attempt - 1, this.policy, retryAfter);
        this.reporter.debug(`${ctx.what}: ${last?.message}; retrying in ${delay} ms (${attempt}/${this.policy.retries})`);
        await sleep(delay, signal);
      }
      let res;
      try {
        res = await this.http.send(this.url(name, params, options.query), {
          method: route.method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body),
          timeoutMs: this.timeoutMs, signal,
        });
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        last = error;
        if (!options.repeatable && error.kind !== 'connect') break;
        continue;
      }
      if (res.status >= 200 && res.status < 300) {
        if (res.headers[IDEMPOTENT_REPLAYED_HEADER] === 'true') this.reporter.debug(`${ctx.what}: replayed by Idempotency-Key`);
        return this.parse(name, route.response as unknown as z.ZodType<Response<N>>, res.text);
      }
      const error = errorFromResponse(res.status, res.text, ctx);
      if (!isRetryableStatus(res.status) || (!options.repeatable && !isNotProcessedStatus(res.status))) throw error;
      last = new BimError(error.code, error.message, {
        hint: error.hint, details: { ...error.details, retryAfterMs: parseRetryAfter(res.headers['retry-after']) },
      });
    }
    if (last instanceof BimError && last.code !== 'API_UNREACHABLE') {
      const { retryAfterMs: _drop, ...details } = last.details ?? {};
      throw new BimError(last.code, last.message, { hint: last.hint, details });
    }
    throw unreachable(last ?? new NetworkError('reset', 'no attempt made'), ctx, attempts);
  }

  /** Opens a stream (retrying the opening like a GET). */
  private async open(name: RouteName, params: Record<string, string>, extra: Record<string, string>, query?: Record<string, string>): Promise<HttpStream> {
    const ctx = this.context(name, params);
    const headers = { authorization: `Bearer ${this.options.token}`, ...extra };
    let last: Error | undefined;
    for (let attempt = 0; attempt <= this.policy.retries; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, this.policy), this.options.signal);
      let stream: HttpStream;
      try {
        stream = await this.http.stream(this.url(name, params, query), { headers, timeoutMs: this.timeoutMs, idleMs: 60_000, signal: this.options.signal });
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        last = error;
        continue;
      }
      if (stream.status >= 200 && stream.status < 300) return stream;
      let text = '';
      for await (const chunk of stream.body) text += chunk.toString('utf8');
      stream.close();
      const error = errorFromResponse(stream.status, text, ctx);
      if (!isRetryableStatus(stream.status)) throw error;
      last = error;
    }
    if (last instanceof BimError) throw last;
    throw unreachable(last as NetworkError, ctx, this.policy.retries + 1);
  }
}
