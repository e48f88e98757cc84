// nginx's workers and the data dir: a platform started as root (workers run as nobody) with its data
// dir under a 0700 parent, like ~/.bim-pack/platform under /root, serves its apps through the front
// nginx; a run dir the workers cannot reach fails the start instead of answering 404 after "live".
import { access, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRunDir, PlatformStartError } from '@bim-pack/platform';
import { docker, getFreePort, makeAppImage, requireDocker, uniqueName } from '@bim-pack/test-support';
import { apiClient, cleanupPlatform, proxyGet, startTestPlatform, waitForDeployment } from './support/platform.js';

const app = uniqueName('home').replace(/[^a-z0-9-]/g, '');
const ref = `bim-test/${app}:v1`;
let home: string;
let site: string;
let image: string;

/** A POST larger than nginx's in-memory body buffer (16 KiB), so the workers write it to a temp file in the run dir. */
function postLarge(proxyUrl: string): Promise<{ status: number; body: string }> {
  const port = Number(new URL(proxyUrl).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'POST', headers: { host: `${app}.localhost:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('x'.repeat(256 * 1024));
  });
}

test.before(async () => {
  await requireDocker();
  home = await mkdtemp(join(tmpdir(), 'bim-home-')); // 0700, like /root
  site = await mkdtemp(join(tmpdir(), 'bim-site-'));
  // GET: a fixed line; POST: how many body bytes arrived (nginx buffered them to a temp file on the way).
  await writeFile(join(site, 'server.js'), `require('node:http').createServer((req, res) => {
  let n = 0;
  req.on('data', (c) => { n += c.length; });
  req.on('end', () => res.end(req.method === 'POST' ? 'received ' + n + '\\n' : 'served from a private home\\n'));
}).listen(Number(process.env.PORT));
`);
  image = await makeAppImage({ base: 'node', appDir: site, ref });
});
test.after(async () => {
  await docker(['rmi', ref]).catch(() => undefined);
  await rm(home, { recursive: true, force: true });
  await rm(site, { recursive: true, force: true });
});

test('data dir under a 0700 parent: a deployed app answers through the front nginx; stop removes the run dir; a restart serves again', async () => {
  assert.is((await stat(home)).mode & 0o777, 0o700);
  const dataDir = join(home, '.bim-pack', 'platform');
  let platform = await startTestPlatform({ dataDir });
  const runDir = defaultRunDir(dataDir);
  try {
    assert.is((await stat(dataDir)).mode & 0o777, 0o700, 'the data dir stays private');
    assert.is((await stat(runDir)).mode & 0o777, 0o711);
    const api = apiClient(platform.url, platform.token);
    const created = await api('POST', `/v1/apps/${app}/deployments`, { image, healthCheckPath: '/' });
    assert.is(created.status, 201, created.text);
    const done = await waitForDeployment(api, app, created.body.id);
    assert.is(done.status, 'live', JSON.stringify(done.failure));
    assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'served from a private home\n' });
    assert.ok((await readdir(runDir)).includes(`${app}.sock`));
    assert.equal(await postLarge(platform.proxyUrl), { status: 200, body: `received ${256 * 1024}\n` });
    assert.match(await readFile(join(dataDir, 'nginx', 'logs', 'error.log'), 'utf8'), `buffered to a temporary file ${runDir}/tmp/body/`);
    await platform.stop();
    assert.ok(await access(runDir).then(() => false, () => true), 'stop removes the run dir');
    // A socket file a killed nginx left behind is removed before the back instance binds again.
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, `${app}.sock`), '');
    platform = await startTestPlatform({ dataDir, proxyPort: Number(new URL(platform.proxyUrl).port) });
    assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'served from a private home\n' });
    // Destroy: the back reload unlinks the app's socket, so the front answers 404 for it.
    const destroyed = await apiClient(platform.url, platform.token)('DELETE', `/v1/apps/${app}`);
    assert.ok(destroyed.status < 300, destroyed.text);
    assert.not.ok((await readdir(runDir)).includes(`${app}.sock`));
    assert.is((await proxyGet(platform.proxyUrl, app)).status, 404);
  } finally {
    await cleanupPlatform(platform);
  }
});

test('a run dir nginx workers cannot reach: the start fails with the nginx step and the front error, and no nginx is left running', async () => {
  const dataDir = join(home, 'unreachable');
  const runDir = join(home, 'closed', 'run'); // home stays 0700: workers (nobody) cannot traverse it
  const proxyPort = await getFreePort();
  const error = await startTestPlatform({ dataDir, runDir, proxyPort }).then(
    async (platform) => { await cleanupPlatform(platform); return undefined; },
    (e: unknown) => e,
  );
  assert.instance(error, PlatformStartError);
  assert.is((error as PlatformStartError).step, 'nginx');
  assert.match((error as Error).message, `cannot reach the app sockets in ${runDir}`);
  assert.match((error as Error).message, /Permission denied/);
  // Both instances stopped: the proxy port is free again.
  await new Promise<void>((resolve, reject) => {
    const server = createServer().once('error', reject).listen(proxyPort, '127.0.0.1', () => server.close(() => resolve()));
  });
});

test.run();
