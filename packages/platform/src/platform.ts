/**
 * Starting and stopping a platform: data dir, token, state, runtime, reconcile,
 * nginx, API server, and `<dataDir>/platform.json` so local clients can find it.
 */
import { mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveConfig, type PlatformConfig, type PlatformOptions } from './config.js';
import { createApiServer } from './http/server.js';
import { NginxProxy } from './proxy/nginx.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { SwarmProxy } from './runtime/swarm-proxy.js';
import { SwarmRuntime } from './runtime/swarm-runtime.js';
import { EventHub, proxyRoutes, type PlatformContext } from './services/context.js';
import { reconcile } from './services/reconcile.js';
import { StateStore } from './state/store.js';
import { loadOrCreateToken } from './token.js';

/** A running platform. */
export interface RunningPlatform {
  /** API base URL, e.g. http://127.0.0.1:7070 */
  url: string;
  /** Apps answer at http://<app>.localhost:<port> */
  proxyUrl: string;
  token: string;
  /** True when the token was generated on this start (print it once). */
  tokenGenerated: boolean;
  dataDir: string;
  /** What start-up reconciliation changed. */
  reconciled: string[];
  /** Stops the API and nginx; app containers keep running. */
  stop(): Promise<void>;
}

/** The discovery file a local client reads to find a running platform (the token stays in `token`). */
export interface PlatformFile {
  url: string;
  proxyUrl: string;
  pid: number;
  dataDir: string;
  tokenFile: string;
}

/** Thrown when the platform cannot start; `step` says which part failed. */
export class PlatformStartError extends Error {
  constructor(readonly step: 'data-dir' | 'state' | 'runtime' | 'nginx' | 'listen', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformStartError';
  }
}

/** Starts a platform and resolves once it listens. */
export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  let config: PlatformConfig;
  try {
    config = await resolveConfig(options);
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    // Private: nginx's workers open nothing under it (sockets and temp files live in the run dir,
    // see defaultRunDir); only the platform and nginx's master (same user) read it.
    await chmod(config.dataDir, 0o700);
  } catch (error) {
    throw new PlatformStartError('data-dir', `cannot use data dir ${options.dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const { token, generated } = config.token ? { token: config.token, generated: false } : await loadOrCreateToken(config.dataDir);
  let store: StateStore;
  try {
    store = await StateStore.load(config.dataDir);
  } catch (error) {
    throw new PlatformStartError('state', (error as Error).message, { cause: error });
  }
  const runtimeOptions = { socketPath: config.dockerSocket, platformId: store.state.platformId, registryAuth: config.registryAuth };
  const runtime = config.runtime === 'swarm' ? new SwarmRuntime(runtimeOptions) : new DockerRuntime(runtimeOptions);
  if (runtime instanceof SwarmRuntime && (await runtime.managerState()) === 'not-manager') {
    await runtime.close();
    throw new PlatformStartError('runtime', `the swarm runtime needs this Docker engine to be a swarm manager; run: docker swarm init`);
  }
  const proxyUrl = `http://localhost:${config.proxyPort}`;
  const layout = { prefix: join(config.dataDir, 'nginx'), runDir: config.runDir, listenHost: '127.0.0.1', listenPort: config.proxyPort, domain: 'localhost' };
  const proxy = runtime instanceof SwarmRuntime ? new SwarmProxy(layout, config.nginxBin, runtime, config.log) : new NginxProxy(layout, config.nginxBin);
  const ctx: PlatformContext = { config, store, runtime, proxy, events: new EventHub(), locks: new Map(), background: new Set(),
    resuming: new Set(), stopping: new Map(), proxyUrl };
  const reconciled = await reconcile(ctx);
  try {
    await proxy.start(proxyRoutes(store.state));
  } catch (error) {
    await runtime.close();
    throw new PlatformStartError('nginx', (error as Error).message, { cause: error });
  }
  const server = createApiServer(ctx, token);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await proxy.stop();
    await runtime.close();
    throw new PlatformStartError('listen', `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, { cause: error });
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  // A token given on the command line is kept in its own 0600 file so local clients can still find it.
  const tokenFile = join(config.dataDir, generated || !config.token ? 'token' : 'token.given');
  if (config.token) await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  const file: PlatformFile = { url, proxyUrl, pid: process.pid, dataDir: config.dataDir, tokenFile };
  const filePath = join(config.dataDir, 'platform.json');
  await writeFile(filePath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(filePath, 0o600);
  let stopped = false;
  return {
    url, proxyUrl, token, tokenGenerated: generated, dataDir: config.dataDir, reconciled,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // Give background work (drains, deployments) a moment, not a veto: whatever is cut short
      // is finished by the next start's reconciliation (interrupted deployments fail, stray revisions stop).
      await Promise.race([Promise.allSettled([...ctx.background]), new Promise((r) => setTimeout(r, 2_000))]);
      await proxy.stop();
      await runtime.close();
      await rm(filePath, { force: true });
    },
  };
}
