import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { getFreePort, packStandinEnv } from '@bim-pack/test-support';
import { stopLocalPlatform } from './deploy-support.js';
import { join } from 'node:path';
import { copyFixture, runCli } from './support/run-cli.js';
import { JSON_SCHEMAS, renderJsonSchema, SCHEMA_DIR, validateJsonOutput, type SchemaName } from './support/json-schema.js';

const names = Object.keys(JSON_SCHEMAS) as SchemaName[];

// UPDATE_SCHEMA=1 rewrites the committed files; review the diff.
if (process.env.UPDATE_SCHEMA) {
  await mkdir(SCHEMA_DIR, { recursive: true });
  for (const name of names) await writeFile(join(SCHEMA_DIR, `${name}.schema.json`), renderJsonSchema(name));
}

test('the committed JSON Schemas are what the zod schemas generate (run with UPDATE_SCHEMA=1 to refresh)', async () => {
  for (const name of names) {
    const committed = await readFile(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8').catch(() => '(missing)');
    assert.is(committed, renderJsonSchema(name), `docs/schema/${name}.schema.json is out of date`);
  }
  const files = (await readdir(SCHEMA_DIR)).filter((f) => f.endsWith('.schema.json')).sort();
  assert.equal(files, names.map((n) => `${n}.schema.json`).sort(), 'no stale schema files');
});

test('real --json output of the CLI matches the committed schemas (detect, init, errors)', async () => {
  const dir = await copyFixture('node-npm-express');
  const detect = await runCli(['detect', dir, '--json']);
  await validateJsonOutput('detect-result', detect.stdout);
  const plan = JSON.parse(detect.stdout).plan;
  await validateJsonOutput('plan', JSON.stringify(plan));
  await validateJsonOutput('init-result', (await runCli(['init', dir, '--json', '--dry-run'])).stdout);
  const failed = await runCli(['detect', join(dir, 'no-such-dir'), '--json']);
  await validateJsonOutput('error', failed.stdout);
  await validateJsonOutput('result-document', failed.stdout);
});

test('--progress json: every stderr line is a progress event, with stage-end durations', async () => {
  const dir = await copyFixture('static-plain');
  const r = await runCli(['doctor', dir, '--json', '--progress', 'json'], { env: { BACKEND_IM_URL: undefined, HOME: dir } });
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.ok(lines.length >= 2, r.stderr);
  const events = [];
  for (const line of lines) events.push(await validateJsonOutput('progress-event', line));
  const end = events.find((e) => (e as { type: string }).type === 'stage-end') as { stage: string; durationMs: number } | undefined;
  assert.ok(end && end.stage === 'doctor' && end.durationMs >= 0, r.stderr);
});

test('--progress json: a failure ends the stream with an error event, still JSON', async () => {
  const r = await runCli(['detect', '/no/such/dir', '--progress', 'json']);
  const lines = r.stderr.split('\n').filter(Boolean);
  const events = [];
  for (const line of lines) events.push(await validateJsonOutput('progress-event', line));
  const last = events.at(-1) as { type: string; code: string; hint?: string };
  assert.is(last.type, 'error');
  assert.is(last.code, 'DETECT_PATH_NOT_FOUND');
  assert.ok(last.hint);
});

test('a real deploy to the local target: the result, status, logs and apps documents and every progress event match the schemas', async () => {
  const app = await copyFixture('static-plain');
  const home = await mkdtemp(join(tmpdir(), 'bim-schema-home-'));
  const env = packStandinEnv({ BIM_PACK_HOME: home, BIM_PACK_PROXY_PORT: String(await getFreePort()), CI: 'true', BACKEND_IM_URL: undefined, BACKEND_IM_TOKEN: undefined });
  try {
    const deploy = await runCli(['deploy', app, '--target', 'local', '--skip-tests', '--json', '--progress', 'json'], { env });
    assert.is(deploy.exitCode, 0, deploy.stderr.split('\n').slice(-3).join('\n'));
    await validateJsonOutput('deploy-result', deploy.stdout);
    await validateJsonOutput('result-document', deploy.stdout);
    for (const line of deploy.stderr.split('\n').filter(Boolean)) await validateJsonOutput('progress-event', line);
    for (const command of ['status', 'logs', 'apps']) {
      const r = await runCli([command, '--target', 'local', '--json', ...(command === 'apps' ? [] : ['--app', JSON.parse(deploy.stdout).app])], { env });
      assert.is(r.exitCode, 0, `${command}: ${r.stderr}`);
      await validateJsonOutput('result-document', r.stdout);
    }
    const failed = await runCli(['deploy', app, '--target', 'ftp://nowhere', '--json'], { env });
    assert.is(failed.exitCode, 2);
    await validateJsonOutput('error', failed.stdout);
  } finally {
    await stopLocalPlatform(home);
    await rm(app, { recursive: true, force: true });
  }
});

test('the --progress json reporter emits every event type in the committed schema', async () => {
  const { createReporter } = await import('../src/render.js');
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => { lines.push(...String(chunk).split('\n').filter(Boolean)); return true; }) as typeof process.stderr.write;
  try {
    const reporter = createReporter({ progress: 'json', verbose: true, debug: true });
    reporter.stage('build', 'pack build');
    reporter.step('step');
    reporter.info('info');
    reporter.warn('warn');
    reporter.debug('debug');
    reporter.output('pack', '===> DETECTING');
    reporter.stage('deploy');
    reporter.close(false);
  } finally {
    process.stderr.write = write;
  }
  const types = [];
  for (const line of lines) types.push((await validateJsonOutput('progress-event', line) as { type: string }).type);
  assert.equal(types, ['stage', 'step', 'info', 'warn', 'debug', 'output', 'stage-end', 'stage', 'stage-end']);
  assert.is(JSON.parse(lines.at(-1)!).status, 'failed');
});

test('the helper rejects a document that breaks the schema, naming the field', async () => {
  try {
    await validateJsonOutput('error', JSON.stringify({ ok: false, command: 'deploy', error: { message: 'no code' } }));
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.match((error as Error).message, /code/);
  }
});

test.run();
