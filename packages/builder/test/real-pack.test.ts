/**
 * The one test that needs the real `pack` CLI and its builder images (internet access): a
 * real build of fixtures/node-http-shop into the local engine, then the image answers.
 * Where real pack is not installed this file says so and its test is reported as skipped,
 * never as passed. The pack stand-in never counts as real pack (it answers --version with
 * a "stand-in" marker).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { buildImage } from '@bim-pack/builder';
import { detect } from '@bim-pack/detector';
import { docker, getFreePort, requireDocker, uniqueName, waitFor } from '@bim-pack/test-support';

const fixture = fileURLToPath(new URL('../../../fixtures/node-http-shop', import.meta.url));
const version = await execa('pack', ['--version'], { reject: false, env: { ...process.env } }).catch(() => undefined);
const realPack = version !== undefined && version.exitCode === 0 && !/stand-?in/i.test(`${version.stdout}${version.stderr}`);

const name = 'real pack builds fixtures/node-http-shop with its Paketo builder, and the image answers';
if (!realPack) {
  console.log('real pack is not installed here: the real-pack build test is not run (reported as skipped)');
  test.skip(name, () => {});
} else {
  test(name, async () => {
    await requireDocker();
    const plan = await detect(fixture);
    const image = `bim-real-pack/${uniqueName('http-shop')}`;
    const result = await buildImage(plan, { appDir: fixture, image, force: true });
    assert.match(result.imageId ?? '', /^sha256:[0-9a-f]{64}$/);
    const port = await getFreePort();
    const container = uniqueName('bim-real-pack');
    await docker(['run', '-d', '--name', container, '-e', 'PORT=8080', '-e', 'SHOP_API_KEY=real-pack-test', '-p', `127.0.0.1:${port}:8080`, result.imageId!]);
    try {
      const body = await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2_000) });
        return res.ok ? res.text() : undefined;
      }, { what: 'the real-pack image', timeoutMs: 30_000 });
      assert.ok(body.length > 0);
    } finally {
      await docker(['rm', '-f', container]).catch(() => {});
      await docker(['rmi', '-f', result.imageId!]).catch(() => {});
    }
  });
}

test.run();
