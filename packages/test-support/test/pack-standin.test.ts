/** The pack stand-in follows the pack contract: flags, version, detection failure, report.toml quirk, output lines. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureBaseImages, packStandinEnv, requireDocker, uniqueName } from '@bim-pack/test-support';

let dir: string;
const pack = (args: string[], extra: Record<string, string> = {}) => execa('pack', args, { env: packStandinEnv(extra), reject: false });

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
  dir = await mkdtemp(join(tmpdir(), 'bim-standin-'));
  await mkdir(join(dir, 'site'));
  await writeFile(join(dir, 'site/index.html'), '<p>x</p>');
  await mkdir(join(dir, 'empty'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('--version, builder suggest, unknown flags and missing image name', async () => {
  assert.match((await pack(['--version'])).stdout, /^0\.40\.9\+/);
  assert.match((await pack(['builder', 'suggest'])).stdout, /heroku\/builder:24/);
  const bad = await pack(['build', 'x', '--label', 'a=b']);
  assert.is(bad.exitCode, 1);
  assert.is(bad.stderr, 'ERROR: unknown flag: --label');
  assert.is((await pack(['build'])).exitCode, 1);
  const noBuilder = await pack(['build', 'x', '--path', join(dir, 'site')]);
  assert.is(noBuilder.exitCode, 2);
  assert.match(noBuilder.stdout, /pack config default-builder/);
  assert.is((await pack(['build', 'x', '-B', 'b', '--cache-image', 'c'])).stderr, 'ERROR: cache-image flag requires the publish flag');
});

test('nothing to detect: lifecycle status 20, exit 1', async () => {
  const r = await pack(['build', 'bim-test/none', '-B', 'b', '--path', join(dir, 'empty')]);
  assert.is(r.exitCode, 1);
  assert.match(r.stdout, /No buildpack groups passed detection/);
  assert.is(r.stderr, 'ERROR: failed to build: executing lifecycle: failed with status code: 20');
});

test('a missing report dir becomes a file (pack\'s quirk); the output has pack\'s final lines', async () => {
  const name = `bim-test/${uniqueName('standin')}`;
  const report = join(dir, 'no-such-dir');
  try {
    const r = await pack(['build', `${name}:v1`, '-B', 'b', '-p', join(dir, 'site'), '-t', `${name}:v2`, '--report-output-dir', report]);
    assert.is(r.exitCode, 0, r.stderr);
    assert.ok(statSync(report).isFile());
    assert.match(readFileSync(report, 'utf8'), /image-id = "[0-9a-f]{12}"/);
    assert.match(r.stdout, new RegExp(`^Saving ${name}:v1\\.\\.\\.$`, 'm'));
    assert.match(r.stdout, /^\*\*\* Images \([0-9a-f]{12}\):$/m);
    assert.match(r.stdout, new RegExp(`^Successfully built image '${name}:v1'$`, 'm'));
  } finally {
    await execa('docker', ['rmi', `${name}:v1`, `${name}:v2`], { reject: false });
  }
});

test('no Docker engine: fails like pack', async () => {
  const r = await pack(['build', 'bim-test/x', '-B', 'b', '-p', join(dir, 'site')], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
  assert.is(r.exitCode, 1);
  assert.match(r.stderr, /^ERROR: failed to build: failed to fetch builder image 'b': /);
  assert.not.ok(existsSync(join(dir, 'site', 'report.toml')));
});

test.run();
