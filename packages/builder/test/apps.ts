/** Tiny app folders for builder tests, written fresh into temp dirs. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';

/** A static site: index.html plus a file the tests can exclude. */
export async function makeStaticApp(text = 'hello static'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-static-'));
  await writeFile(join(dir, 'index.html'), `<h1>${text}</h1>\n`);
  await writeFile(join(dir, 'notes.txt'), 'excluded from the build\n');
  return dir;
}

/** A Node app answering on $PORT. */
export async function makeNodeApp(extraFiles: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-node-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', scripts: { start: 'node server.js' } }));
  await writeFile(join(dir, 'server.js'),
    "require('http').createServer((q, s) => s.end('hello from node')).listen(Number(process.env.PORT || 8080), '0.0.0.0');\n");
  for (const [name, content] of Object.entries(extraFiles)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/**
 * GET url and resolve to { status, body } within timeoutMs. Uses node:http rather than fetch: a
 * fetch to a container port that is still starting (docker-proxy accepts, then closes) was seen to
 * never settle, leaving the event loop empty.
 */
export function getText(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
