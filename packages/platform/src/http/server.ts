/**
 * The API server on node:http: auth, route matching from the shared route table,
 * zod-validated params, query and body, then one service call per route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  DeploymentCreateSchema, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, IdempotencyKeySchema, LogsQuerySchema, ROUTES,
  RollbackRequestSchema, matchApiRoute, type RouteName,
} from '@bim-pack/shared';
import { isAuthorized } from '../token.js';
import { ApiFailure } from '../services/api-failure.js';
import { appLogs, destroyApp, getApp, getDeploymentRecord, listApps, listDeployments } from '../services/apps.js';
import type { PlatformContext } from '../services/context.js';
import { createDeployment } from '../services/deploy.js';
import { rollbackApp } from '../services/rollback.js';
import { parseWith, readJsonBody, sendError, sendJson } from './io.js';
import { streamEvents, streamLogs } from './streams.js';

/** Identity reported by whoami. */
export const PLATFORM_NAME = 'bim-pack-platform/0.1.0';

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  url: URL;
}

type Handler = (ctx: PlatformContext, r: Request) => Promise<void> | void;

const ok = (r: Request, name: RouteName, body: unknown) => sendJson(r.res, ROUTES[name].status, body);

const handlers: Record<RouteName, Handler> = {
  whoami: (ctx, r) => ok(r, 'whoami', { subject: 'platform-token', apiVersion: 'v1', platform: PLATFORM_NAME, runtime: ctx.runtime.name, proxyUrl: ctx.proxyUrl }),
  listApps: (ctx, r) => ok(r, 'listApps', { apps: listApps(ctx) }),
  getApp: (ctx, r) => ok(r, 'getApp', getApp(ctx, r.params.app!)),
  destroyApp: async (ctx, r) => ok(r, 'destroyApp', await destroyApp(ctx, r.params.app!)),
  listDeployments: (ctx, r) => ok(r, 'listDeployments', { deployments: listDeployments(ctx, r.params.app!) }),
  getDeployment: (ctx, r) => ok(r, 'getDeployment', getDeploymentRecord(ctx, r.params.app!, r.params.deployment!).deployment),
  deploymentEvents: (ctx, r) => streamEvents(r.req, r.res, getDeploymentRecord(ctx, r.params.app!, r.params.deployment!), ctx.events),
  createDeployment: async (ctx, r) => {
    const rawKey = r.req.headers[IDEMPOTENCY_KEY_HEADER];
    let key: string | undefined;
    if (rawKey !== undefined) {
      const parsed = IdempotencyKeySchema.safeParse(rawKey);
      if (!parsed.success) throw new ApiFailure('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1-255 printable ASCII characters', 'use a UUID');
      key = parsed.data;
    }
    const body = parseWith(DeploymentCreateSchema, await readJsonBody(r.req), 'deployment request');
    const { deployment, replayed } = await createDeployment(ctx, r.params.app!, body, key);
    sendJson(r.res, replayed ? 200 : 201, deployment, replayed ? { [IDEMPOTENT_REPLAYED_HEADER]: 'true' } : {});
  },
  appLogs: async (ctx, r) => {
    const query = parseWith(LogsQuerySchema, Object.fromEntries(r.url.searchParams), 'logs query');
    const abort = new AbortController();
    await streamLogs(r.res, appLogs(ctx, r.params.app!, query, abort.signal), abort);
  },
  rollback: async (ctx, r) => {
    const body = parseWith(RollbackRequestSchema, await readJsonBody(r.req), 'rollback request');
    ok(r, 'rollback', await rollbackApp(ctx, r.params.app!, body.revision));
  },
};

/** Handles one request; every failure becomes the one error shape. */
async function handle(ctx: PlatformContext, token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://platform');
    if (!isAuthorized(req.headers.authorization, token)) {
      throw new ApiFailure('UNAUTHORIZED', 'missing or wrong bearer token', `send Authorization: Bearer <token>; the token is in ${ctx.config.dataDir}/token (printed by bim-pack platform start)`);
    }
    const match = matchApiRoute(req.method ?? 'GET', url.pathname);
    if (match.kind === 'none') throw new ApiFailure('ROUTE_NOT_FOUND', `no route ${req.method} ${url.pathname}`, 'see docs/api/openapi.json for the v1 routes');
    if (match.kind === 'method-not-allowed') {
      res.setHeader('allow', match.allowed.join(', '));
      throw new ApiFailure('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, `use ${match.allowed.join(' or ')}`);
    }
    const route = ROUTES[match.name];
    const params = 'params' in route ? parseWith(route.params, match.params, 'path') : {};
    await handlers[match.name](ctx, { req, res, params, url });
  } catch (error) {
    if (error instanceof ApiFailure) return sendError(res, error);
    ctx.config.log(`internal error on ${req.method} ${req.url}: ${(error as Error).stack ?? error}`);
    sendError(res, new ApiFailure('INTERNAL', `the platform failed: ${(error as Error).message}`, `see the platform's output; data dir ${ctx.config.dataDir}`));
  }
}

/** Creates the API server (not yet listening). */
export function createApiServer(ctx: PlatformContext, token: string): Server {
  const server = createServer({ requestTimeout: 0, headersTimeout: 30_000 }, (req, res) => {
    void handle(ctx, token, req, res);
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
