/**
 * A real CNCF distribution registry (Debian docker-registry) on 127.0.0.1 with
 * htpasswd (bcrypt) auth: our GHCR stand-in for tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { getFreePort, waitFor } from './ports.js';

export interface TestRegistry {
  /** host:port, e.g. 127.0.0.1:5123 */
  host: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

/** Starts a registry with htpasswd auth on a free loopback port. Call stop() when done. */
export async function startRegistry(options: { username?: string; password?: string; extraConfig?: string } = {}): Promise<TestRegistry> {
  const username = options.username ?? 'bim';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2, 14)}`;
  const dir = await mkdtemp(join(tmpdir(), 'bim-registry-'));
  const port = await getFreePort();
  // htpasswd -B gives bcrypt, the only hash distribution accepts. -i reads the password on stdin (not argv).
  const { stdout: line } = await execa('htpasswd', ['-niB', username], { input: password });
  await writeFile(join(dir, 'htpasswd'), `${line.trim()}\n`);
  const auth = options.extraConfig ?? `auth:\n  htpasswd:\n    realm: bim-test\n    path: ${join(dir, 'htpasswd')}\n`;
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child: ResultPromise = execa('docker-registry', ['serve', join(dir, 'config.yml')], { reject: false, stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  await waitFor(async () => {
    const res = await fetch(`http://${host}/v2/`);
    return res.status === 401 || res.status === 200;
  }, { what: `registry on ${host}`, timeoutMs: 20_000 });
  return {
    host,
    username,
    password,
    async stop() {
      child.kill('SIGTERM');
      await child;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
