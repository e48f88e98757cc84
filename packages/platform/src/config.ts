/** Platform configuration: where it listens, keeps state and how it runs revisions. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { RegistryAuth } from './runtime/types.js';

/** Options of startPlatform; everything but dataDir has a default. */
export interface PlatformOptions {
  dataDir?: string;
  host?: string;
  /** API port; 0 picks a free one. */
  port?: number;
  /** nginx port; apps answer at http://<app>.localhost:<proxyPort>. */
  proxyPort?: number;
  /** API token; default: generated once and stored in <dataDir>/token (0600). */
  token?: string;
  /** docker (one host, the default) or swarm (services on a Docker Swarm; this engine must be a manager). */
  runtime?: 'docker' | 'swarm';
  dockerSocket?: string;
  nginxBin?: string;
  /** Memory limit per revision, in MiB. */
  memoryMb?: number;
  /** Stopped revisions kept per app for rollback. */
  keepRevisions?: number;
  /** Overrides every deployment's drain time (seconds): tests and benches use short ones. */
  drainSeconds?: number;
  /** Registry credentials by host; default: <dataDir>/registry-auth.json when present. */
  registryAuth?: RegistryAuth;
  /** The platform's own log lines (never env values). */
  log?: (line: string) => void;
}

/** The resolved configuration. */
export type PlatformConfig = Required<Omit<PlatformOptions, 'token' | 'drainSeconds'>> & { token?: string; drainSeconds?: number };

/** The default data dir: ~/.bim-pack/platform. */
export function defaultDataDir(): string {
  return join(homedir(), '.bim-pack', 'platform');
}

const RegistryAuthSchema = z.record(z.string(), z.strictObject({ username: z.string(), password: z.string() }));

/** Reads `<dataDir>/registry-auth.json` ({ "host:port": { "username", "password" } }), or {} when absent. */
export async function readRegistryAuth(dataDir: string): Promise<RegistryAuth> {
  const path = join(dataDir, 'registry-auth.json');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const parsed = RegistryAuthSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} must map registry hosts to { username, password }`);
  return parsed.data;
}

/** Fills in defaults. */
export async function resolveConfig(options: PlatformOptions): Promise<PlatformConfig> {
  const dataDir = options.dataDir ?? defaultDataDir();
  return {
    dataDir,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 7070,
    proxyPort: options.proxyPort ?? 7080,
    token: options.token,
    runtime: options.runtime ?? 'docker',
    dockerSocket: options.dockerSocket ?? '/var/run/docker.sock',
    nginxBin: options.nginxBin ?? '/usr/sbin/nginx',
    memoryMb: options.memoryMb ?? 512,
    keepRevisions: options.keepRevisions ?? 3,
    drainSeconds: options.drainSeconds,
    registryAuth: options.registryAuth ?? (await readRegistryAuth(dataDir)),
    log: options.log ?? (() => {}),
  };
}
