/**
 * The pack stand-in the builder tests rely on follows pack's descriptor rules: a relative
 * --descriptor is read from the working folder (not --path), a missing one fails, include and
 * exclude together fail, and the filter decides what the image holds. Real engine, real folders.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ensureBaseImages, packStandinEnv, requireDocker, uniqueName } from '@bim-pack/test-support';
import { makeNodeApp } from './apps.js';

const image = `bim-test/${uniqueName('standin-descriptor')}`;
const dirs: string[] = [];
const env = packStandinEnv();
const pack = (args: string[], cwd: string) => execa('pack', args, { cwd, env, reject: false });

test.before(async () => {
  await requireDocker();
  await ensureBaseImages();
});
test.after(async () => {
  const ids = (await execa('docker', ['images', '-q', image])).stdout.split('\n').filter(Boolean);
  if (ids.length) await execa('docker', ['rmi', '-f', ...new Set(ids)], { reject: false });
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('a relative --descriptor is taken from the working folder; its exclude applies, the app\'s own project.toml is not read', async () => {
  const appDir = await makeNodeApp({ 'project.toml': '[_]\nschema-version = "0.2"\n[io.buildpacks]\nexclude = ["server.js"]\n', 'secret.txt': 'x\n', 'keep/.env.example': 'A=\n' });
  const work = await mkdtemp(join(tmpdir(), 'bim-standin-cwd-'));
  dirs.push(appDir, work);
  await writeFile(join(work, 'desc.toml'), '[_]\nschema-version = "0.2"\n[io.buildpacks]\nexclude = ["secret.txt", "keep/", "!keep/.env.example"]\n');
  const ok = await pack(['build', `${image}:rel`, '--builder', 'b', '--path', appDir, '--descriptor', 'desc.toml'], work);
  assert.is(ok.exitCode, 0, ok.stderr);
  const { stdout } = await execa('docker', ['run', '--rm', `${image}:rel`, 'node', '-e', "console.log(require('fs').readdirSync('/app', { recursive: true }).sort().join(' '))"]);
  assert.is(stdout, 'keep keep/.env.example package.json project.toml server.js');

  // Relative to --path it would exist; pack does not look there.
  const missing = await pack(['build', `${image}:missing`, '--builder', 'b', '--path', appDir, '--descriptor', 'project.toml'], work);
  assert.is(missing.exitCode, 1);
  assert.is(missing.stderr, 'ERROR: stat project descriptor: stat project.toml: no such file or directory');

  await writeFile(join(work, 'both.toml'), '[_]\nschema-version = "0.2"\n[io.buildpacks]\ninclude = ["a"]\nexclude = ["b"]\n');
  const both = await pack(['build', `${image}:both`, '--builder', 'b', '--path', appDir, '-d', 'both.toml'], work);
  assert.is(both.exitCode, 1);
  assert.is(both.stderr, 'ERROR: project.toml: cannot have both include and exclude defined');
});

test.run();
