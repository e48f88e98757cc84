// `bim-pack platform start` as a user runs it: prints where it listens and the token, writes
// platform.json for local clients, answers whoami, and stops cleanly on Ctrl-C (SIGINT).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getFreePort, requireDocker, waitFor } from '@bim-pack/test-support';

const bin = join(import.meta.dirname, '../src/bin.ts');
const cli = (args: string[]) => execa(process.execPath, ['--conditions=source', '--import', 'tsx', bin, ...args], { reject: false, stdin: 'ignore' });

test('platform start: prints URL and token, writes platform.json, answers whoami, stops on SIGINT', async () => {
  await requireDocker();
  const dataDir = await mkdtemp(join(tmpdir(), 'bim-cli-platform-'));
  const proxyPort = await getFreePort();
  const child = cli(['platform', 'start', '--port', '0', '--proxy-port', String(proxyPort), '--data-dir', dataDir]);
  try {
    const file = await waitFor(async () => JSON.parse(await readFile(join(dataDir, 'platform.json'), 'utf8')) as { url: string; proxyUrl: string; pid: number; tokenFile: string },
      { what: 'platform.json', timeoutMs: 30_000 });
    assert.is(file.proxyUrl, `http://localhost:${proxyPort}`);
    assert.is(file.tokenFile, join(dataDir, 'token'));
    assert.is((await stat(file.tokenFile)).mode & 0o777, 0o600);
    const token = (await readFile(file.tokenFile, 'utf8')).trim();
    const who = await fetch(`${file.url}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
    assert.is(who.status, 200);
    child.kill('SIGINT');
    const result = await child;
    assert.is(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`platform listening on ${file.url.replace(/[.]/g, '\\.')}`));
    assert.ok(result.stderr.includes(token), 'a generated token is printed once');
    assert.match(result.stdout, /platform stopped/);
    assert.not.ok(await stat(join(dataDir, 'platform.json')).catch(() => undefined), 'platform.json is removed on stop');
  } finally {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('platform: bad flags and actions are usage errors with a hint', async () => {
  const bad = await cli(['platform', 'start', '--runtime', 'kubernetes', '--json']);
  assert.is(bad.exitCode, 2);
  const body = JSON.parse(bad.stdout) as { error: { code: string; hint: string } };
  assert.is(body.error.code, 'USAGE_BAD_FLAG');
  assert.match(body.error.hint, /--runtime docker/);
  const action = await cli(['platform', 'launch']);
  assert.is(action.exitCode, 2);
  assert.match(action.stderr, /unknown platform action "launch"/);
});

test.run();
