/**
 * A small OCI distribution client on undici: manifest HEAD/GET/PUT and blob streams, with
 * basic auth and the Bearer token exchange (WWW-Authenticate realm/service/scope) of GHCR and
 * Docker Hub. Loopback registries speak plain http; everything else https.
 */
import type { Readable } from 'node:stream';
import { BimError } from '@bim-pack/shared';
import { credentialsHint } from './pack-failure.js';

/** Every manifest type we accept. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** A parsed WWW-Authenticate challenge. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted or bare values). */
export function parseWwwAuthenticate(header: string): AuthChallenge {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).trim().toLowerCase();
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const m of header.slice(space + 1).matchAll(re)) params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}

/** http for loopback hosts (test registries), https for everything else. */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? 'registry-1.docker.io' : registry;
  const bare = host.replace(/:\d+$/, '');
  const loopback = /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === 'localhost' || bare === '[::1]';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/** Options for a registry client. */
export interface RegistryClientOptions {
  registry: string;
  username?: string | undefined;
  password?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
}

// undici is loaded on first use: it costs more start-up time than all else here, and local builds never need it.
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undici ??= import('undici'));

type Response = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: Readable & { text(): Promise<string>; dump(): Promise<void>; arrayBuffer(): Promise<ArrayBuffer> } };

const header = (res: Response, name: string): string | undefined => {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A client for one registry. Tokens are cached per scope for the client's life. */
export class RegistryClient {
  private readonly base: string;
  private readonly tokens = new Map<string, string>();
  constructor(private readonly options: RegistryClientOptions) {
    this.base = registryBaseUrl(options.registry);
  }

  /** The digest of repo:ref, or null when the registry does not have it. */
  async headManifest(repo: string, ref: string): Promise<{ digest: string; mediaType: string | null } | null> {
    const res = await this.send('HEAD', repo, `/v2/${repo}/manifests/${ref}`, 'pull', { accept: MANIFEST_TYPES.join(', ') });
    await res.body.dump();
    if (res.statusCode === 404) return null;
    this.expectOk(res, `HEAD ${repo}:${ref}`);
    const digest = header(res, 'docker-content-digest');
    if (!digest) return null;
    return { digest, mediaType: header(res, 'content-type') ?? null };
  }

  /** The raw manifest bytes and media type of repo@ref. */
  async getManifest(repo: string, ref: string): Promise<{ body: Buffer; mediaType: string; digest: string | null }> {
    const res = await this.send('GET', repo, `/v2/${repo}/manifests/${ref}`, 'pull', { accept: MANIFEST_TYPES.join(', ') });
    if (res.statusCode !== 200) await res.body.dump();
    this.expectOk(res, `GET manifest ${repo}:${ref}`);
    return { body: Buffer.from(await res.body.arrayBuffer()), mediaType: header(res, 'content-type') ?? MANIFEST_TYPES[1]!, digest: header(res, 'docker-content-digest') ?? null };
  }

  /** Puts a manifest under a tag (a cheap re-tag of an existing image). */
  async putManifest(repo: string, tag: string, body: Buffer, mediaType: string): Promise<void> {
    const res = await this.send('PUT', repo, `/v2/${repo}/manifests/${tag}`, 'pull,push', { 'content-type': mediaType }, body);
    await res.body.dump();
    this.expectOk(res, `PUT manifest ${repo}:${tag}`);
  }

  /** A blob as a stream (follows the registry's redirect to its storage). */
  async getBlob(repo: string, digest: string): Promise<Readable> {
    const res = await this.send('GET', repo, `/v2/${repo}/blobs/${digest}`, 'pull', {});
    if (res.statusCode !== 200) await res.body.dump();
    this.expectOk(res, `GET blob ${repo}@${digest.slice(0, 19)}`);
    return res.body;
  }

  private expectOk(res: Response, what: string): void {
    if (res.statusCode >= 200 && res.statusCode < 300) return;
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new BimError('PUBLISH_REGISTRY_DENIED', `the registry ${this.options.registry} refused ${what} (HTTP ${res.statusCode})`, {
        hint: credentialsHint(this.options.registry),
      });
    }
    throw new BimError('PUBLISH_REGISTRY_UNREACHABLE', `the registry ${this.options.registry} answered HTTP ${res.statusCode} to ${what}`, {
      hint: `check that ${this.base}/v2/ answers, then run again`,
    });
  }

  /** One request with auth: try cached token, answer a 401 challenge once, follow redirects. */
  private async send(method: string, repo: string, path: string, actions: string, headers: Record<string, string>, body?: Buffer): Promise<Response> {
    const scope = `repository:${repo}:${actions}`;
    let auth = this.tokens.get(scope);
    let res = await this.raw(method, `${this.base}${path}`, auth ? { ...headers, authorization: auth } : headers, body);
    if (res.statusCode === 401) {
      const challenge = header(res, 'www-authenticate');
      await res.body.dump();
      if (!challenge) return res;
      auth = await this.authorize(parseWwwAuthenticate(challenge), scope);
      if (!auth) return res;
      this.tokens.set(scope, auth);
      res = await this.raw(method, `${this.base}${path}`, { ...headers, authorization: auth }, body);
    }
    return res;
  }

  /** The Authorization value answering a challenge: Basic, or a Bearer token from the realm. */
  private async authorize(challenge: AuthChallenge, scope: string): Promise<string | undefined> {
    const { username, password } = this.options;
    const basic = username !== undefined && password !== undefined ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined;
    if (challenge.scheme === 'basic') return basic;
    if (challenge.scheme !== 'bearer' || !challenge.params.realm) return undefined;
    const url = new URL(challenge.params.realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', scope);
    const res = await this.raw('GET', url.toString(), basic ? { authorization: basic } : {});
    const text = await res.body.text();
    if (res.statusCode === 401 || res.statusCode === 403) {
      throw new BimError('PUBLISH_REGISTRY_DENIED', `the token service of ${this.options.registry} refused the credentials (HTTP ${res.statusCode})`, {
        hint: credentialsHint(this.options.registry),
      });
    }
    if (res.statusCode !== 200) {
      throw new BimError('PUBLISH_REGISTRY_UNREACHABLE', `the token service ${url.origin} answered HTTP ${res.statusCode}`, { hint: 'check the registry\'s token service, then run again' });
    }
    let token: unknown;
    try {
      const json = JSON.parse(text) as { token?: unknown; access_token?: unknown };
      token = json.token ?? json.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) {
      throw new BimError('PUBLISH_REGISTRY_UNREACHABLE', `the token service ${url.origin} gave no token`, { hint: 'check the registry\'s token service, then run again' });
    }
    return `Bearer ${token}`;
  }

  private async raw(method: string, url: string, given: Record<string, string>, body?: Buffer): Promise<Response> {
    const headers = { ...given };
    let target = url;
    for (let hop = 0; hop < 5; hop++) {
      let res: Response;
      try {
        const { request } = await loadUndici();
        res = (await request(target, {
          method: method as 'GET',
          headers,
          body,
          signal: this.options.signal,
          headersTimeout: this.options.timeoutMs ?? 30_000,
          bodyTimeout: this.options.timeoutMs ?? 120_000,
        })) as unknown as Response;
      } catch (error) {
        if (this.options.signal?.aborted) throw this.options.signal.reason ?? error;
        throw new BimError('PUBLISH_REGISTRY_UNREACHABLE', `cannot reach the registry at ${new URL(target).origin}: ${(error as Error).message}`, {
          hint: 'check the network and the registry name, then run again',
          cause: error,
        });
      }
      const location = header(res, 'location');
      if ([301, 302, 303, 307, 308].includes(res.statusCode) && location && (method === 'GET' || method === 'HEAD')) {
        await res.body.dump();
        const next = new URL(location, target);
        // Storage redirects (signed URLs) must not receive the registry's credentials.
        if (next.host !== new URL(target).host) delete headers.authorization;
        target = next.toString();
        continue;
      }
      return res;
    }
    throw new BimError('PUBLISH_REGISTRY_UNREACHABLE', `too many redirects from ${new URL(url).origin}`, { hint: 'check the registry name' });
  }
}
