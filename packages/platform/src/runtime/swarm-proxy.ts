/**
 * nginx in front of Swarm replicas: the services layer names one endpoint per app (its live
 * revision); this proxy widens each route to every replica that serves now, and re-applies
 * the routes whenever Swarm replaces a replica (rolling updates, restarts, rescheduling).
 */
import { NginxProxy } from '../proxy/nginx.js';
import type { NginxLayout, ProxyRoute } from '../proxy/nginx-config.js';
import type { SwarmRuntime } from './swarm-runtime.js';

/** NginxProxy whose upstreams follow the swarm runtime's task endpoints. */
export class SwarmProxy extends NginxProxy {
  private routes: ProxyRoute[] | undefined;
  private refreshing: Promise<unknown> = Promise.resolve();

  constructor(layout: NginxLayout, bin: string, private readonly runtime: SwarmRuntime, private readonly log: (line: string) => void = () => {}) {
    super(layout, bin);
    runtime.endpoints.onChange(() => this.refresh());
  }

  /** Each route with every serving replica of its app (the named endpoint alone while none is known). */
  widen(routes: ProxyRoute[]): ProxyRoute[] {
    return routes.map((route) => {
      const servers = this.runtime.endpointsOf(route.app);
      return servers.length ? { ...route, servers } : route;
    });
  }

  override async start(routes: ProxyRoute[]): Promise<void> {
    this.routes = routes;
    await super.start(this.widen(routes));
    this.runtime.endpoints.start();
  }

  override async apply(routes: ProxyRoute[]): Promise<{ drained: (timeoutMs: number) => Promise<boolean> }> {
    this.routes = routes;
    return super.apply(this.widen(routes));
  }

  override async stop(): Promise<void> {
    this.routes = undefined;
    this.runtime.endpoints.stop();
    await super.stop();
  }

  /** Re-renders the last routes with fresh endpoints (queued behind any reload in progress). */
  private refresh(): void {
    const routes = this.routes;
    if (!routes) return;
    this.refreshing = this.refreshing.then(() => (this.routes ? super.apply(this.widen(this.routes)) : undefined))
      .catch((error: Error) => this.log(`nginx did not take the new replica set: ${error.message}`));
  }
}
