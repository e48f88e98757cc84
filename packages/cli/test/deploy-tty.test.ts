/**
 * On a terminal, deploy asks what it lacks: the target, then each missing env value with the
 * typing hidden. Runs the built CLI under `script` (a real pseudo-terminal).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { ensureBaseImages, getFreePort, requireDocker, uniqueName, waitFor } from '@bim-pack/test-support';
import { bin, cliEnv, copyFixture, removeImages, stopLocalPlatform } from './deploy-support.js';

let home: string;
let shop: string;
const app = uniqueName('tty').toLowerCase();
const SECRET = `sk_tty_${Math.random().toString(36).slice(2)}`;

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  home = await mkdtemp(join(tmpdir(), 'bim-e2e-home-'));
  shop = await copyFixture('node-http-shop');
});

test.after(async () => {
  await stopLocalPlatform(home);
  await removeImages(`bim-e2e/${app}`);
  await rm(dirname(shop), { recursive: true, force: true });
});

test('a terminal user is asked for the target and the missing env value; the value is never echoed', async () => {
  const command = ['node', bin, 'deploy', '--app', app, '--image', `bim-e2e/${app}`, '--skip-tests'].join(' ');
  const child = execa('script', ['-qec', command, '/dev/null'], {
    cwd: shop, env: cliEnv(home, await getFreePort(), { CI: undefined }), extendEnv: false, reject: false, stdin: 'pipe', all: true,
  });
  let out = '';
  child.all!.on('data', (d) => { out += d; });
  await waitFor(async () => out.includes('Deploy target: "local" or a Backend.im API URL [local]:'), { timeoutMs: 30_000, what: 'the target question' });
  child.stdin!.write('local\n');
  await waitFor(async () => out.includes('SHOP_API_KEY (from .env.example; hidden):'), { timeoutMs: 60_000, what: 'the env question' });
  child.stdin!.write(`${SECRET}\n`);
  const r = await child;
  assert.is(r.exitCode, 0, out);
  assert.match(out, /deployed \S+ r1: http:\/\//);
  assert.match(out, /env\s+SHOP_API_KEY/);
  assert.not.ok(out.includes(SECRET), 'the typed value is not echoed or printed');
});

test.run();
