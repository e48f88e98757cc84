/**
 * The route table: one entry per API call, used by the client to build requests
 * and by the server to match and validate them. Paths are under /v1.
 */
import { z } from 'zod';
import {
  AppDestroyedSchema, AppListSchema, AppSchema, LogLineSchema, LogsQuerySchema, RollbackRequestSchema, RollbackResultSchema,
  WhoamiSchema,
} from './apps.js';
import { DeploymentCreateSchema, DeploymentEventSchema, DeploymentListSchema, DeploymentSchema } from './deployments.js';
import { AppNameSchema, DeploymentIdSchema } from './names.js';

/** Request header carrying the idempotency key of a create call. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Response header set to `true` when a create call replayed an earlier result. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** A key: 1-255 printable ASCII characters (a UUID is a good choice). Kept for 24 hours per app. */
export const IdempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 printable ASCII characters');
/** Largest request body the platform accepts, in bytes. */
export const MAX_BODY_BYTES = 256 * 1024;

/** How a response body is sent: one JSON document, Server-Sent Events, or one JSON object per line. */
export type ResponseKind = 'json' | 'sse' | 'ndjson';

/** One API call. `response` describes the JSON document, or each event/line for streams. */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  path: `/v1/${string}`;
  summary: string;
  status: number;
  kind: ResponseKind;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  idempotent?: boolean;
}

const app = z.strictObject({ app: AppNameSchema });
const appDeployment = z.strictObject({ app: AppNameSchema, deployment: DeploymentIdSchema });

/** Every route of the v1 API, by operation id. */
export const ROUTES = {
  whoami: { method: 'GET', path: '/v1/whoami', summary: 'Who the token belongs to (cheap check for doctor)', status: 200, kind: 'json', response: WhoamiSchema },
  listApps: { method: 'GET', path: '/v1/apps', summary: 'List apps', status: 200, kind: 'json', response: AppListSchema },
  getApp: { method: 'GET', path: '/v1/apps/:app', summary: 'Get an app', status: 200, kind: 'json', params: app, response: AppSchema },
  destroyApp: {
    method: 'DELETE', path: '/v1/apps/:app', summary: 'Destroy an app and all its revisions', status: 200, kind: 'json', params: app,
    response: AppDestroyedSchema,
  },
  createDeployment: {
    method: 'POST', path: '/v1/apps/:app/deployments', summary: 'Deploy an image (creates the app on first deploy)', status: 201,
    kind: 'json', params: app, body: DeploymentCreateSchema, response: DeploymentSchema, idempotent: true,
  },
  listDeployments: {
    method: 'GET', path: '/v1/apps/:app/deployments', summary: 'List an app\'s deployments, newest first', status: 200, kind: 'json',
    params: app, response: DeploymentListSchema,
  },
  getDeployment: {
    method: 'GET', path: '/v1/apps/:app/deployments/:deployment', summary: 'Get a deployment', status: 200, kind: 'json',
    params: appDeployment, response: DeploymentSchema,
  },
  deploymentEvents: {
    method: 'GET', path: '/v1/apps/:app/deployments/:deployment/events',
    summary: 'Server-Sent Events: past events, then live ones; ends after live, failed or rolled-back. Honours Last-Event-ID',
    status: 200, kind: 'sse', params: appDeployment, response: DeploymentEventSchema,
  },
  appLogs: {
    method: 'GET', path: '/v1/apps/:app/logs', summary: 'Log lines of a revision (tail, then follow)', status: 200, kind: 'ndjson',
    params: app, query: LogsQuerySchema, response: LogLineSchema,
  },
  rollback: {
    method: 'POST', path: '/v1/apps/:app/rollback', summary: 'Make the previous (or named) revision live again', status: 200,
    kind: 'json', params: app, body: RollbackRequestSchema, response: RollbackResultSchema,
  },
} as const satisfies Record<string, RouteSpec>;
export type RouteName = keyof typeof ROUTES;

/** Builds a concrete path from a route and its params (each encoded). */
export function buildApiPath(name: RouteName, params: Record<string, string> = {}): string {
  return ROUTES[name].path.replace(/:([a-z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter ${key} for ${name}`);
    return encodeURIComponent(value);
  });
}

/** The result of matching a request: a route with raw params, a known path with another method, or nothing. */
export type RouteMatch =
  | { kind: 'route'; name: RouteName; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'none' };

/** Matches a method and pathname against the route table. Params are decoded but not yet validated. */
export function matchApiRoute(method: string, pathname: string): RouteMatch {
  const allowed: string[] = [];
  const parts = pathname.split('/');
  for (const [name, route] of Object.entries(ROUTES) as Array<[RouteName, RouteSpec]>) {
    const pattern = route.path.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      const part = parts[i]!;
      if (!segment.startsWith(':')) return segment === part;
      try {
        params[segment.slice(1)] = decodeURIComponent(part);
      } catch {
        return false;
      }
      return part.length > 0;
    });
    if (!ok) continue;
    if (route.method === method) return { kind: 'route', name, params };
    allowed.push(route.method);
  }
  return allowed.length ? { kind: 'method-not-allowed', allowed } : { kind: 'none' };
}
