/**
 * The runtime directory nginx's workers use (app sockets, temp files), and the start-up
 * self-check that proves the front instance's workers reach the back instance through it.
 */
import { lstat, chmod, mkdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { dirname } from 'node:path';
import { CHECK_HOST, frontPrefix, socketDir, type NginxLayout } from './nginx-config.js';

/**
 * Creates a run dir and its parent (0711: workers traverse them; nobody lists them) and refuses
 * one this user does not own or others may write to: the base may sit under a shared /tmp,
 * where someone else could have made it first.
 */
export async function prepareRunDir(dir: string): Promise<void> {
  const uid = process.getuid?.();
  for (const path of [dirname(dir), dir]) {
    await mkdir(path, { recursive: true, mode: 0o711 });
    const info = await lstat(path);
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0) {
      throw new Error(`run dir ${path} is not a directory owned by this user and closed to others' writes; remove it or pick another run dir`);
    }
    await chmod(path, 0o711);
  }
}

/** One GET through the front instance for the check host: the status and body, or the connection error. */
function getCheck(port: number): Promise<{ status: number; body: string } | Error> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/_check', headers: { host: CHECK_HOST }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => resolve(error));
    req.setTimeout(2_000, () => req.destroy(new Error('no answer within 2 s')));
    req.end();
  });
}

/**
 * Asks the front instance for the back instance's check socket until it answers (a reload may
 * still be handing over to new workers), so a platform whose workers cannot reach the sockets
 * fails at start-up instead of answering 404 for every app while deployments report live.
 * Resolves to undefined when it works, else to what went wrong (with the front's last error line).
 */
export async function checkThroughFront(layout: NginxLayout, timeoutMs = 5_000): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const answer = await getCheck(layout.listenPort);
    if (!(answer instanceof Error) && answer.status === 200 && answer.body === 'bim-pack proxy ok\n') return undefined;
    last = answer instanceof Error ? answer.message : `HTTP ${answer.status}`;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = `${frontPrefix(layout)}/logs/error.log`;
  const lines = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n');
  const tail = lines.at(-1) ? `; ${log}: ${lines.at(-1)!.replace(/^\S+ \S+ /, '')}` : '';
  return `the front nginx on 127.0.0.1:${layout.listenPort} cannot reach the app sockets in ${socketDir(layout)} (${last})${tail}`;
}
