/**
 * What every service shares: config, state, runtime, proxy, the event hub and
 * per-app locks. Plus the small helpers that turn state into API resources.
 */
import type { App, DeploymentEvent, DeploymentEventName, DeploymentFailure } from '@bim-pack/shared';
import type { PlatformConfig } from '../config.js';
import type { NginxProxy } from '../proxy/nginx.js';
import type { ProxyRoute } from '../proxy/nginx-config.js';
import type { Runtime } from '../runtime/types.js';
import type { AppRecord, DeploymentRecord, PlatformState, StateStore } from '../state/store.js';
import { ApiFailure } from './api-failure.js';

type Listener = (event: DeploymentEvent) => void;

/** Fans deployment events out to SSE subscribers. */
export class EventHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Calls listener for each new event of the deployment until unsubscribed. */
  subscribe(deploymentId: string, listener: Listener): () => void {
    const set = this.listeners.get(deploymentId) ?? new Set();
    set.add(listener);
    this.listeners.set(deploymentId, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(deploymentId);
    };
  }
  publish(event: DeploymentEvent): void {
    for (const listener of this.listeners.get(event.deploymentId) ?? []) listener(event);
  }
}

/** Everything services need. */
export interface PlatformContext {
  config: PlatformConfig;
  store: StateStore;
  runtime: Runtime;
  proxy: NginxProxy;
  events: EventHub;
  /** What runs on an app now (deploy, rollback, destroy): one at a time. */
  locks: Map<string, { kind: string; id?: string }>;
  /** Background work (draining old revisions) that shutdown may wait for. */
  background: Set<Promise<unknown>>;
  /** Revisions (deployment ids) a rollback is starting again: retirement and pruning leave them alone. */
  resuming: Set<string>;
  /** Stops of retired revisions under way, by deployment id: a rollback to one waits for it, then starts it again. */
  stopping: Map<string, Promise<void>>;
  proxyUrl: string;
}

/** The URL an app answers at. */
export function appUrl(ctx: PlatformContext, app: string): string {
  return ctx.proxyUrl.replace('://', `://${app}.`);
}

/** Appends an event to the record, publishes it and saves the state. */
export async function emit(ctx: PlatformContext, record: DeploymentRecord, name: DeploymentEventName, message: string, failure?: DeploymentFailure): Promise<void> {
  const event: DeploymentEvent = {
    seq: record.events.length + 1, deploymentId: record.deployment.id, name, timestamp: new Date().toISOString(), message,
    ...(failure ? { failure } : {}),
  };
  record.events.push(event);
  record.deployment.status = name;
  await ctx.store.save();
  ctx.events.publish(event);
  ctx.config.log(`${record.deployment.app} ${record.deployment.revision} ${name}: ${message}`);
}

/** Proxy routes for every app's live revision, with overrides for a switch in progress (null removes an app). */
export function proxyRoutes(state: PlatformState, overrides: Record<string, DeploymentRecord | null> = {}): ProxyRoute[] {
  const routes: ProxyRoute[] = [];
  for (const app of Object.values(state.apps)) {
    const record = app.name in overrides ? overrides[app.name] : app.liveDeploymentId ? state.deployments[app.liveDeploymentId] : undefined;
    if (record?.endpoint) routes.push({ app: app.name, upstream: record.endpoint });
  }
  return routes;
}

/** The app record, or APP_NOT_FOUND. */
export function requireApp(ctx: PlatformContext, name: string): AppRecord {
  const app = ctx.store.state.apps[name];
  if (!app) throw new ApiFailure('APP_NOT_FOUND', `app ${name} does not exist`, 'list apps with GET /v1/apps (bim-pack apps); deploy creates an app');
  return app;
}

/** The app's deployment records, newest first. */
export function deploymentsOf(state: PlatformState, app: string): DeploymentRecord[] {
  return Object.values(state.deployments)
    .filter((r) => r.deployment.app === app)
    .sort((a, b) => Number(b.deployment.revision.slice(1)) - Number(a.deployment.revision.slice(1)));
}

/** The API view of an app. */
export function toApp(ctx: PlatformContext, app: AppRecord): App {
  const live = app.liveDeploymentId ? ctx.store.state.deployments[app.liveDeploymentId] : undefined;
  const latest = deploymentsOf(ctx.store.state, app.name)[0];
  return {
    name: app.name,
    url: appUrl(ctx, app.name),
    liveRevision: live?.deployment.revision ?? null,
    liveDeploymentId: live?.deployment.id ?? null,
    latestDeployment: latest ? { id: latest.deployment.id, revision: latest.deployment.revision, status: latest.deployment.status } : null,
    createdAt: app.createdAt,
  };
}

/** Takes the app's lock or refuses with DEPLOYMENT_IN_PROGRESS; returns the release function. */
export function lockApp(ctx: PlatformContext, app: string, kind: string, id?: string): () => void {
  const held = ctx.locks.get(app);
  if (held) {
    const what = held.id ? `deployment ${held.id}` : `a ${held.kind}`;
    throw new ApiFailure('DEPLOYMENT_IN_PROGRESS', `app ${app} is busy with ${what}`,
      held.id ? `wait for it: GET /v1/apps/${app}/deployments/${held.id}/events, then retry` : 'retry in a few seconds',
      { running: held });
  }
  const lock = { kind, ...(id ? { id } : {}) };
  ctx.locks.set(app, lock);
  return () => {
    if (ctx.locks.get(app) === lock) ctx.locks.delete(app);
  };
}
