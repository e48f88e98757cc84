/**
 * The platform's own nginx instances (never the system one), each with its own prefix, pid
 * and logs: a front one clients talk to, started once, and a back one with the routes.
 * Every change is checked with `nginx -t`, swapped in with a rename and reloaded gracefully.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { frontPrefix, renderFrontConfig, renderNginxConfig, socketDir, tempDir, type NginxLayout, type ProxyRoute } from './nginx-config.js';
import { checkThroughFront, prepareRunDir } from './run-dir.js';

/** A proxy failure: the message says which step failed; the config in use is unchanged. */
export class ProxyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyError';
  }
}

/** Describes the nginx command lines (pure; arg arrays, never a shell string). */
export function describeNginxCommand(bin: string, prefix: string, conf: string, action: 'test' | 'start' | 'reload' | 'quit'): string[] {
  const base = [bin, '-p', prefix, '-c', conf];
  if (action === 'test') return [...base, '-t', '-q'];
  if (action === 'start') return base;
  return [...base, '-s', action];
}

/** Owns one nginx instance under a prefix directory. */
export class NginxProxy {
  private readonly conf: string;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly layout: NginxLayout, private readonly bin = '/usr/sbin/nginx') {
    this.conf = join(layout.prefix, 'nginx.conf');
  }

  private async run(action: 'test' | 'start' | 'reload' | 'quit', conf = this.conf, prefix = this.layout.prefix): Promise<void> {
    const [file, ...args] = describeNginxCommand(this.bin, prefix, conf, action);
    const result = await execa(file!, args, { reject: false, timeout: 20_000, stdin: 'ignore' });
    if (result.exitCode !== 0 || result.failed) {
      const detail = `${result.stderr}`.trim().split('\n').slice(-3).join(' ') || result.shortMessage;
      throw new ProxyError(`nginx ${action} failed: ${detail}`);
    }
  }

  /** The master pid when our (back, or the given prefix's) nginx runs (pid file names a live process), else undefined. */
  async runningPid(prefix = this.layout.prefix): Promise<number | undefined> {
    const text = await readFile(join(prefix, 'nginx.pid'), 'utf8').catch(() => '');
    const pid = Number.parseInt(text, 10);
    if (!pid) return undefined;
    try {
      process.kill(pid, 0);
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      return cmdline.includes('nginx') ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Starts nginx with these routes, or reloads the instance a previous platform process left running
   * (same layout, so the same run dir and sockets), then checks a request gets through the front
   * instance to the back one. When it does not, both instances are stopped and the start fails.
   */
  async start(routes: ProxyRoute[]): Promise<void> {
    const front = frontPrefix(this.layout);
    const p = this.layout.prefix;
    if (this.layout.runDir) await prepareRunDir(this.layout.runDir);
    for (const dir of [join(p, 'logs'), join(front, 'logs')]) await mkdir(dir, { recursive: true, mode: 0o755 });
    // Workers open these themselves: 0711 so they traverse, and nginx makes the leaves theirs.
    for (const dir of [socketDir(this.layout), tempDir(this.layout, 'back'), tempDir(this.layout, 'front')]) await mkdir(dir, { recursive: true, mode: 0o711 });
    await this.serialize(async () => {
      const running = await this.runningPid();
      if (!running) await this.removeStaleSockets();
      await this.swap(routes, running ? 'reload' : 'start');
      await this.startFront();
    });
    const problem = await checkThroughFront(this.layout);
    if (problem) {
      await this.stop();
      throw new ProxyError(problem);
    }
  }

  /** Starts the front instance, or reloads it only when its config changed (it holds client connections). */
  private async startFront(): Promise<void> {
    const prefix = frontPrefix(this.layout);
    const conf = join(prefix, 'nginx.conf');
    const text = renderFrontConfig(this.layout);
    const running = await this.runningPid(prefix);
    if (running && (await readFile(conf, 'utf8').catch(() => '')) === text) return;
    await writeFile(`${conf}.next`, text, { mode: 0o644 });
    await this.run('test', `${conf}.next`, prefix);
    await rename(`${conf}.next`, conf);
    await this.run(running ? 'reload' : 'start', conf, prefix);
  }

  /** Socket files a killed back instance left behind would make its next start fail to bind. */
  private async removeStaleSockets(): Promise<void> {
    const dir = socketDir(this.layout);
    for (const name of await readdir(dir).catch(() => [] as string[])) if (name.endsWith('.sock')) await rm(join(dir, name), { force: true });
  }

  /**
   * Points nginx at these routes: render, `nginx -t`, atomic rename, reload. On failure the old config stays.
   * Resolves once new workers serve the new config; `drained` resolves when the old workers have exited
   * (their in-flight requests finished), so the caller knows when an old upstream is unused.
   */
  async apply(routes: ProxyRoute[]): Promise<{ drained: (timeoutMs: number) => Promise<boolean> }> {
    return this.serialize(async () => {
      const master = await this.runningPid();
      const before = master ? await workerPids(master) : [];
      await this.swap(routes, 'reload');
      // New config is in effect once no old worker still accepts: each is gone or "shutting down".
      if (master) {
        await waitUntil(async () => {
          const now = await workerPids(master);
          if (!now.some((pid) => !before.includes(pid))) return false;
          const titles = await Promise.all(before.filter((pid) => now.includes(pid)).map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => 'gone')));
          return titles.every((t) => t === 'gone' || t.includes('shutting down'));
        }, 5_000);
      }
      return {
        drained: (timeoutMs: number) => waitUntil(async () => !(master ? await workerPids(master) : []).some((pid) => before.includes(pid)), timeoutMs),
      };
    });
  }

  private async swap(routes: ProxyRoute[], action: 'start' | 'reload'): Promise<void> {
    const text = renderNginxConfig(routes, this.layout);
    const temp = `${this.conf}.next`;
    const previous = await readFile(this.conf, 'utf8').catch(() => undefined);
    await writeFile(temp, text, { mode: 0o644 });
    try {
      await this.run('test', temp);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await rename(temp, this.conf);
    try {
      await this.run(action);
    } catch (error) {
      // Put the previous config back so the file matches what nginx serves.
      if (previous !== undefined) await writeFile(this.conf, previous).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stops both instances gracefully (apps keep running; they are served again on the next start),
   * then removes the run dir: nothing in it outlives nginx (the next start makes it again).
   */
  async stop(): Promise<void> {
    await this.serialize(async () => {
      let stillRunning = false;
      for (const [prefix, conf] of [[frontPrefix(this.layout), join(frontPrefix(this.layout), 'nginx.conf')], [this.layout.prefix, this.conf]] as const) {
        const pid = await this.runningPid(prefix);
        if (!pid) continue;
        await this.run('quit', conf, prefix).catch(() => process.kill(pid, 'SIGQUIT'));
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && (await this.runningPid(prefix))) await new Promise((r) => setTimeout(r, 50));
        if (await this.runningPid(prefix)) stillRunning = true;
      }
      if (this.layout.runDir && !stillRunning) await rm(this.layout.runDir, { recursive: true, force: true });
    });
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** The master's worker processes (children), from /proc. */
async function workerPids(master: number): Promise<number[]> {
  const text = await readFile(`/proc/${master}/task/${master}/children`, 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
}
