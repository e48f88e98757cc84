/** Helpers for the deploy e2e tests: the real built CLI as a process, fixture copies, platform cleanup. */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { docker, packStandinEnv } from '@bim-pack/test-support';

export const bin = new URL('../dist/bin.js', import.meta.url).pathname;
const fixtures = new URL('../../../fixtures/', import.meta.url).pathname;

/** Env for the CLI: the pack stand-in first on PATH, a private home and proxy port, no ambient tokens. */
export function cliEnv(home: string, proxyPort: number, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return packStandinEnv({
    BIM_PACK_HOME: home, BIM_PACK_PROXY_PORT: String(proxyPort), BACKEND_IM_URL: undefined, BACKEND_IM_TOKEN: undefined,
    GITHUB_TOKEN: undefined, GH_TOKEN: undefined, CI: '1', NO_COLOR: '1', ...extra,
  });
}

/** Starts `bim-pack <args>` (the built CLI) without waiting. */
export function startCli(args: string[], options: { cwd: string; env: Record<string, string | undefined> }) {
  return execa('node', [bin, ...args], { cwd: options.cwd, env: options.env, extendEnv: false, reject: false, stdin: 'ignore' });
}

/** Runs `bim-pack <args>` and returns exit code, stdout, stderr and the --json document when there is one. */
export async function runCli(args: string[], options: { cwd: string; env: Record<string, string | undefined> }) {
  const r = await startCli(args, options);
  let json: any;
  try { json = JSON.parse(String(r.stdout)); } catch { json = undefined; }
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), json };
}

/** Copies a fixture app to a fresh temp dir (tests write .env files and edit project.toml there). */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bim-e2e-${name}-`));
  await cp(join(fixtures, name), join(dir, 'app'), { recursive: true });
  return join(dir, 'app');
}

/** Stops the background platform of a BIM_PACK_HOME and removes its containers and data. */
export async function stopLocalPlatform(home: string): Promise<void> {
  const dataDir = join(home, 'platform');
  const file = await readFile(join(dataDir, 'platform.json'), 'utf8').catch(() => undefined);
  if (file) {
    const { pid } = JSON.parse(file) as { pid: number };
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 50; i++) {
      try { process.kill(pid, 0); } catch { break; }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const state = await readFile(join(dataDir, 'state.json'), 'utf8').catch(() => undefined);
  if (state) {
    const { platformId } = JSON.parse(state) as { platformId: string };
    const ids = await docker(['ps', '-aq', '--filter', `label=im.backend.platform=${platformId}`]);
    if (ids.trim()) await docker(['rm', '-f', ...ids.split('\n').filter(Boolean)]);
  }
  await rm(home, { recursive: true, force: true });
}

/** GET through the platform's nginx with Host: <app>.localhost. */
export async function getApp(url: string, path = '/'): Promise<{ status: number; body: string }> {
  const u = new URL(url);
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: u.port, path, headers: { host: u.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

/** Removes every tag of an image repository (best effort). */
export async function removeImages(repository: string): Promise<void> {
  const refs = await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', repository]).catch(() => '');
  if (refs.trim()) await docker(['rmi', '-f', ...refs.split('\n').filter(Boolean)]).catch(() => {});
}
