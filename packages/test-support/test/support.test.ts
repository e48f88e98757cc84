import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, getFreePort, makeAppImage, requireDocker, startRegistry, uniqueName, waitFor } from '@bim-pack/test-support';

test('base images run: node app answers over a published port', async () => {
  await requireDocker();
  const dir = await mkdtemp(join(tmpdir(), 'app-'));
  await writeFile(join(dir, 'server.js'), "require('http').createServer((q,s)=>s.end('hi from node')).listen(process.env.PORT)");
  const ref = `bim-pack-test/support-node:${uniqueName('t')}`;
  await makeAppImage({ base: 'node', appDir: dir, ref, cmd: ['node', 'server.js'] });
  const port = await getFreePort();
  const name = uniqueName('bim-support');
  await docker(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:8080`, ref]);
  try {
    const body = await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) })).text(), { what: 'node app' });
    assert.is(body, 'hi from node');
  } finally {
    await docker(['rm', '-f', name]);
    await docker(['rmi', ref]);
  }
});

test('registry demands credentials and accepts the right ones', async () => {
  const registry = await startRegistry();
  try {
    assert.is((await fetch(`http://${registry.host}/v2/`)).status, 401);
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    assert.is((await fetch(`http://${registry.host}/v2/`, { headers: { authorization: `Basic ${auth}` } })).status, 200);
  } finally {
    await registry.stop();
  }
});

test.run();
