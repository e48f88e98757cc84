// Retiring a replaced revision versus a rollback to it during its drain: real Docker engine, real nginx.
// The app's health check takes a second (a CGI script), longer than the drain, so the rollback to the
// draining revision is still under way when its retirement comes due.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { docker, makeAppImage, requireDocker, uniqueName } from '@bim-pack/test-support';
import { apiClient, cleanupPlatform, proxyGet, startTestPlatform, waitForDeployment, type Api, type TestPlatform } from './support/platform.js';

const DRAIN_SECONDS = 0.5;
let platform: TestPlatform;
let api: Api;
const app = uniqueName('retire').replace(/[^a-z0-9-]/g, '');
const refs: string[] = [];

/** A busybox site answering `text` on /, with a health check that answers after 1 s; exits on SIGTERM like most apps. */
async function makeSlowHealthImage(tag: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bim-slow-'));
  try {
    await writeFile(join(dir, 'index.html'), `${text}\n`);
    await mkdir(join(dir, 'cgi-bin'));
    await writeFile(join(dir, 'cgi-bin', 'health'), '#!/bin/sh\nsleep 1\nprintf \'Content-Type: text/plain\\r\\n\\r\\nok\\n\'\n');
    await chmod(join(dir, 'cgi-bin', 'health'), 0o755);
    const ref = `bim-test/${app}:${tag}`;
    refs.push(ref);
    return await makeAppImage({ base: 'busybox', appDir: dir, ref, cmd: ['/bin/sh', '-c', 'trap "exit 0" TERM; httpd -f -p "$PORT" -h /www & wait'] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function deploy(image: string) {
  const created = await api('POST', `/v1/apps/${app}/deployments`, { image, healthCheckPath: '/cgi-bin/health' });
  assert.is(created.status, 201, created.text);
  return waitForDeployment(api, app, created.body.id);
}

async function containerState(deploymentId: string): Promise<string> {
  return (await docker(['ps', '-a', '--filter', `label=im.backend.deployment=${deploymentId}`, '--format', '{{.State}}'])).trim();
}

test.before(async () => {
  await requireDocker();
  platform = await startTestPlatform({ drainSeconds: DRAIN_SECONDS });
  api = apiClient(platform.url, platform.token);
});
test.after(async () => {
  await cleanupPlatform(platform);
  await docker(['rmi', ...refs]).catch(() => undefined);
});

test('a rollback to the draining revision keeps it: the retirement due meanwhile does not stop it; the app is free once live', async () => {
  const [v1, v2] = [await makeSlowHealthImage('v1', 'hello v1'), await makeSlowHealthImage('v2', 'hello v2')];
  const r1 = await deploy(v1);
  const r2 = await deploy(v2);
  assert.equal([r1.status, r2.status], ['live', 'live']);
  // r1 drains now; the app is free the moment r2 is live, so the rollback is not refused with 409.
  const back = await api('POST', `/v1/apps/${app}/rollback`);
  assert.is(back.status, 200, back.text);
  assert.equal([back.body.from, back.body.deployment.revision], ['r2', 'r1']);
  // Well past r1's retirement (due during the rollback's health check) and r2's own drain.
  await new Promise((r) => setTimeout(r, DRAIN_SECONDS * 1000 + 1_500));
  assert.is(await containerState(r1.id), 'running', 'r1 still runs');
  assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v1\n' });
  assert.is((await api('GET', `/v1/apps/${app}`)).body.liveRevision, 'r1');
  assert.is(await containerState(r2.id), 'exited', 'r2, replaced by the rollback, is stopped after its drain');

  // Forward to r2, then at once back to r1 while r1 drains: the app is free as soon as each rollback answered.
  const again = await api('POST', `/v1/apps/${app}/rollback`, { revision: 'r2' });
  assert.is(again.status, 200, again.text);
  const forward = await api('POST', `/v1/apps/${app}/rollback`, { revision: 'r1' });
  assert.is(forward.status, 200, forward.text);
  await new Promise((r) => setTimeout(r, DRAIN_SECONDS * 1000 + 1_500));
  assert.is(await containerState(r1.id), 'running', 'r1 still runs after a second rollback to it');
  assert.equal(await proxyGet(platform.proxyUrl, app), { status: 200, body: 'hello v1\n' });
  assert.is((await api('GET', `/v1/apps/${app}`)).body.liveRevision, 'r1');
});

test.run();
