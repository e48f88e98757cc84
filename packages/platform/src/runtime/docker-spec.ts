/**
 * Pure descriptions of Docker Engine calls: the container a revision runs in,
 * the labels that find it again, and the registry auth header. Tested with exact values.
 */
import type { Endpoint, RegistryAuth, RevisionInstance, RevisionSpec } from './types.js';

/** Label keys on every container the platform starts. */
export const LABELS = {
  platform: 'im.backend.platform',
  app: 'im.backend.app',
  revision: 'im.backend.revision',
  deployment: 'im.backend.deployment',
  image: 'im.backend.image',
  digest: 'im.backend.digest',
  port: 'im.backend.port',
} as const;

/** The container name of a revision: unique per platform instance, readable in `docker ps`. */
export function containerName(platformId: string, app: string, revision: string): string {
  return `bim-${platformId}-${app}-${revision}`;
}

/** The create-container body for a revision: env + PORT, labels, memory limit, no-new-privileges, loopback port. */
export function describeContainer(spec: RevisionSpec, platformId: string): { name: string; body: Record<string, unknown> } {
  const portKey = `${spec.port}/tcp`;
  const digest = /sha256:[a-f0-9]{64}$/.exec(spec.image)?.[0] ?? spec.imageId;
  return {
    name: containerName(platformId, spec.app, spec.revision),
    body: {
      Image: spec.imageId,
      Env: [...Object.entries(spec.env).map(([name, value]) => `${name}=${value}`), `PORT=${spec.port}`],
      Labels: {
        [LABELS.platform]: platformId,
        [LABELS.app]: spec.app,
        [LABELS.revision]: spec.revision,
        [LABELS.deployment]: spec.deploymentId,
        [LABELS.image]: spec.image,
        [LABELS.digest]: digest,
        [LABELS.port]: String(spec.port),
      },
      ExposedPorts: { [portKey]: {} },
      HostConfig: {
        // Published on loopback with a port the engine picks: nginx (on the host) and the
        // health checker reach it there; nothing outside the machine can.
        PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
        Memory: spec.memoryBytes,
        SecurityOpt: ['no-new-privileges'],
        // "no" while booting, so a crashing revision shows as exited instead of restart-looping;
        // switched to unless-stopped once live (keepRunning).
        RestartPolicy: { Name: 'no' },
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      },
    },
  };
}

/** The X-Registry-Auth header value for an image reference, when the platform holds credentials for its registry. */
export function registryAuthHeader(image: string, auth: RegistryAuth): string | undefined {
  const name = image.split('@')[0]!;
  const first = name.split('/')[0]!;
  const host = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
  const credentials = auth[host];
  if (!credentials) return undefined;
  const json = JSON.stringify({ username: credentials.username, password: credentials.password, serveraddress: host });
  // URL-safe base64 *with* padding: the engine (Go's base64.URLEncoding) drops unpadded credentials silently.
  return Buffer.from(json).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

interface InspectBody {
  Id: string;
  State?: { Status?: string; ExitCode?: number; Pid?: number };
  Config?: { Labels?: Record<string, string> };
  NetworkSettings?: { Ports?: Record<string, Array<{ HostIp: string; HostPort: string }> | null> };
}

/** Maps a container inspect (or list) body to a RevisionInstance. */
export function toInstance(body: InspectBody): RevisionInstance {
  const labels = body.Config?.Labels ?? {};
  const port = labels[LABELS.port] ?? '';
  const binding = body.NetworkSettings?.Ports?.[`${port}/tcp`]?.find((b) => b.HostIp === '127.0.0.1' || b.HostIp === '0.0.0.0');
  const endpoint: Endpoint | null = binding?.HostPort ? { host: '127.0.0.1', port: Number(binding.HostPort) } : null;
  const status = body.State?.Status ?? '';
  const state = status === 'running' ? 'running' : status === 'restarting' ? 'starting' : status === 'exited' || status === 'dead' ? 'exited'
    : status === 'created' ? 'created' : 'other';
  return {
    id: body.Id,
    app: labels[LABELS.app] ?? '',
    revision: labels[LABELS.revision] ?? '',
    deploymentId: labels[LABELS.deployment] ?? '',
    image: labels[LABELS.image] ?? '',
    state,
    exitCode: state === 'exited' ? (body.State?.ExitCode ?? null) : null,
    endpoint: state === 'running' ? endpoint : null,
  };
}

/** Listening TCP ports from /proc/<pid>/net/tcp{,6} text (state 0A = LISTEN). */
export function parseListeningPorts(...tables: string[]): number[] {
  const ports = new Set<number>();
  for (const table of tables) {
    for (const row of table.split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] !== '0A') continue;
      const port = Number.parseInt(fields[1]?.split(':').pop() ?? '', 16);
      if (Number.isFinite(port)) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
