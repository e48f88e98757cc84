/** Platform configuration: where it listens, keeps state and how it runs revisions. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { RegistryAuth } from './runtime/types.js';

/** Options of startPlatform; everything but dataDir has a default. */
export interface PlatformOptions {
  dataDir?: string;
  /** Where nginx keeps the app sockets and its temp files; default: `defaultRunDir(dataDir)`. */
  runDir?: string;
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

/**
 * The default run dir: `<base>/<hash of the data dir's absolute path>`, so a restarted platform
 * (kill -9 included) finds the sockets of the nginx it left running, and two platforms never share
 * one. Not under the data dir: when the platform runs as root, nginx's workers run as `nobody`
 * and must traverse every parent of the sockets, and `~` is 0700 (so is any mkdtemp dir). The base
 * is /run/bim-pack for root (root-only writable parents), `$XDG_RUNTIME_DIR/bim-pack` for other
 * users (their workers run as themselves), else `<tmpdir>/bim-pack-<uid>`. Short, too: a unix
 * socket path must fit in 107 bytes.
 */
export function defaultRunDir(dataDir: string, uid = process.getuid?.() ?? 0, env: NodeJS.ProcessEnv = process.env): string {
  const base = uid === 0 ? '/run/bim-pack' : env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'bim-pack') : join(tmpdir(), `bim-pack-${uid}`);
  return join(base, createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16));
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
    runDir: options.runDir ?? defaultRunDir(dataDir),
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
