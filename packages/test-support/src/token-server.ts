/**
 * A registry token service on 127.0.0.1 (the Bearer flow of GHCR and Docker Hub) for tests:
 * checks basic credentials and signs JWTs with a key and self-signed certificate made by openssl.
 * Use with startTokenRegistry(), a real docker-registry configured with `auth: token`.
 */
import { createServer, type Server } from 'node:http';
import { createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startRegistry, type TestRegistry } from './registry.js';

/** A running token service. */
export interface TestTokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** Token requests seen (scope and whether the credentials were good). */
  requests: Array<{ scope: string | null; ok: boolean }>;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Starts a token service that grants pull/push on every requested repository to username/password. */
export async function startTokenServer(options: { username: string; password: string; port?: number }): Promise<TestTokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-token-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=bim-test-token']);
  const key = await readFile(keyPath, 'utf8');
  const der = new X509Certificate(await readFile(certPath)).raw;
  const service = 'bim-test-registry';
  const issuer = 'bim-test-issuer';
  const requests: TestTokenServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const ok = decoded === `${options.username}:${options.password}`;
    const scope = url.searchParams.get('scope');
    requests.push({ scope, ok });
    if (!ok) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    const access = (scope ?? '').split(' ').filter(Boolean).map((s) => {
      const [type, name, actions] = s.split(':');
      return { type, name, actions: (actions ?? '').split(',').filter(Boolean) };
    });
    const now = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der.toString('base64')] }));
    const body = b64url(JSON.stringify({ iss: issuer, sub: options.username, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key);
    const token = `${head}.${body}.${b64url(signature)}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A real docker-registry that accepts only Bearer tokens from a fresh token service. */
export async function startTokenRegistry(options: { username?: string; password?: string } = {}): Promise<{ registry: TestRegistry; tokens: TestTokenServer }> {
  const username = options.username ?? 'bim';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2, 14)}`;
  const tokens = await startTokenServer({ username, password });
  const extraConfig = `auth:\n  token:\n    realm: ${tokens.realm}\n    service: ${tokens.service}\n    issuer: ${tokens.issuer}\n    rootcertbundle: ${tokens.certPath}\n`;
  const registry = await startRegistry({ username, password, extraConfig });
  return {
    registry,
    tokens,
  };
}
