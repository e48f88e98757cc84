/**
 * Waits until a new revision answers its health check, or says why it never will:
 * exited on boot, never listened, listened on the wrong port, or health timeout.
 */
import { request } from 'undici';
import { Redactor, type DeploymentFailure } from '@bim-pack/shared';
import type { Runtime } from '../runtime/types.js';

/** What to check and for how long. */
export interface HealthCheck {
  id: string;
  port: number;
  path: string;
  startSeconds: number;
  requestSeconds: number;
  /** Env values to mask in the log lines put into the failure. */
  secrets: string[];
}

/** One health-check request: the status, or the error text when nothing answered. */
async function probe(host: string, port: number, path: string, timeoutMs: number): Promise<{ status?: number; error?: string }> {
  try {
    const response = await request(`http://${host}:${port}${path}`, {
      method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, headers: { 'user-agent': 'bim-pack-platform-health' },
    });
    await response.body.dump();
    return { status: response.statusCode };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The revision's last log lines, secrets masked. */
export async function readLogTail(runtime: Runtime, id: string, secrets: string[], lines = 30): Promise<string[]> {
  const redactor = new Redactor().add(...secrets);
  const out: string[] = [];
  try {
    for await (const line of runtime.logs(id, { tail: lines, follow: false })) out.push(redactor.redact(line.line));
  } catch {
    /* the container may be gone already: no lines then */
  }
  return out.slice(-lines);
}

/** Resolves undefined once healthy, else the failure (with the log tail). */
export async function waitUntilHealthy(runtime: Runtime, check: HealthCheck): Promise<DeploymentFailure | undefined> {
  const deadline = Date.now() + check.startSeconds * 1000;
  let last: { status?: number; error?: string } = {};
  const fail = async (failure: Omit<DeploymentFailure, 'logTail'>): Promise<DeploymentFailure> => ({
    ...failure, logTail: await readLogTail(runtime, check.id, check.secrets),
  });
  for (;;) {
    const instance = await runtime.inspect(check.id);
    if (!instance || instance.state === 'exited') {
      const code = instance?.exitCode ?? undefined;
      // The engine's log writers (one per stream) can trail the exit: read until two reads agree.
      let logTail = await readLogTail(runtime, check.id, check.secrets);
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 150));
        const again = await readLogTail(runtime, check.id, check.secrets);
        if (again.length === logTail.length && i > 0) break;
        logTail = again;
      }
      return {
        logTail,
        reason: 'exited-on-boot',
        message: `the app exited${code === undefined ? '' : ` with code ${code}`} before answering its health check on ${check.path}`,
        ...(code === undefined ? {} : { exitCode: code }),
      };
    }
    if (instance.endpoint) {
      last = await probe(instance.endpoint.host, instance.endpoint.port, check.path, check.requestSeconds * 1000);
      if (last.status !== undefined && last.status >= 200 && last.status < 400) return undefined;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  const ports = await runtime.listeningPorts(check.id).catch(() => undefined);
  const seconds = check.startSeconds;
  if ((ports && ports.includes(check.port)) || (!ports && last.status !== undefined)) {
    return fail({
      reason: 'health-timeout',
      message: `GET ${check.path} did not answer 2xx/3xx within ${seconds}s (last: ${last.status ?? last.error ?? 'no answer'})`,
      ...(ports ? { listeningPorts: ports } : {}),
    });
  }
  if (ports && ports.length) {
    return fail({
      reason: 'wrong-port',
      message: `the app listens on ${ports.join(', ')} but not on PORT=${check.port}; make it listen on $PORT or deploy with port ${ports[0]}`,
      listeningPorts: ports,
    });
  }
  return fail({ reason: 'never-listened', message: `nothing listened on port ${check.port} within ${seconds}s`, ...(ports ? { listeningPorts: ports } : {}) });
}
