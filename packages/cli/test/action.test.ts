import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { getFreePort, packStandinEnv } from '@bim-pack/test-support';
import { getApp, stopLocalPlatform } from './deploy-support.js';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { ERROR_CODES, EXIT } from '@bim-pack/shared';
import { DeployResultSchema } from '../src/result-schema.js';
import { SUMMARIZE_SCRIPT } from '../src/init/templates/summarize-script.js';
import { BIN, copyFixture, REPO_ROOT, runCli } from './support/run-cli.js';
import { validateJsonOutput } from './support/json-schema.js';

const NPX_BIN = join(REPO_ROOT, 'packages/cli/test/support/npx-bin');

const actionText = await readFile(join(REPO_ROOT, 'action.yml'), 'utf8');
const action = parse(actionText);
const script = join(REPO_ROOT, 'scripts/action/deploy.sh');
const made: string[] = [];

/** Reads a $GITHUB_OUTPUT file of single-line `name=value` entries. */
const readOutputs = async (file: string) => Object.fromEntries((await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => {
  const eq = line.indexOf('=');
  assert.ok(eq > 0, `not name=value: ${line}`);
  return [line.slice(0, eq), line.slice(eq + 1)];
}));

async function githubFiles() {
  const dir = await mkdtemp(join(tmpdir(), 'bim-action-'));
  made.push(dir);
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  await writeFile(output, '');
  await writeFile(summary, '');
  return { dir, output, summary };
}

test('action.yml is a composite action with the documented inputs and outputs, and passes action-validator', async () => {
  assert.is(action.runs.using, 'composite');
  for (const input of ['path', 'target', 'token', 'registry-token', 'image', 'skip-tests', 'cache-image']) assert.ok(action.inputs[input], input);
  for (const output of ['url', 'digest', 'revision']) assert.is(action.outputs[output].value, `\${{ steps.deploy.outputs.${output} }}`);
  const deploy = action.runs.steps.find((s: { id?: string }) => s.id === 'deploy');
  assert.is(deploy.shell, 'bash');
  assert.is(deploy.run, 'bash "${{ github.action_path }}/scripts/action/deploy.sh"');
  // Every input reaches the script, which reads each INPUT_* it is given.
  const scriptText = await readFile(script, 'utf8');
  for (const name of Object.keys(action.inputs).filter((n) => !['setup-pack', 'pack-version'].includes(n))) {
    const envName = `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
    assert.is(deploy.env[envName], `\${{ inputs.${name} }}`, envName);
    assert.ok(scriptText.includes(envName), `deploy.sh reads ${envName}`);
  }
  const setup = action.runs.steps.find((s: { uses?: string }) => s.uses?.startsWith('buildpacks/github-actions/setup-pack@'));
  assert.match(setup.uses, /@v\d+\.\d+\.\d+$/);
  await access(script, constants.X_OK);
  const lint = await execa(join(REPO_ROOT, 'node_modules/.bin/action-validator'), [join(REPO_ROOT, 'action.yml')], { reject: false });
  assert.is(lint.exitCode, 0, `${lint.stdout}${lint.stderr}`);
});

test('the action step as a script: a failing deploy gives its exit code, an error-code output and a summary, and no secret', async () => {
  const app = await copyFixture('static-plain');
  made.push(app);
  const gh = await githubFiles();
  const secret = 'tok-action-secret-5f2c9e';
  const r = await execa('bash', [script], {
    cwd: app,
    reject: false,
    stdin: 'ignore',
    env: {
      GITHUB_OUTPUT: gh.output, GITHUB_STEP_SUMMARY: gh.summary, RUNNER_TEMP: gh.dir, BIM_PACK_BIN: BIN,
      INPUT_PATH: '.', INPUT_TARGET: 'https://127.0.0.1:9', INPUT_TOKEN: secret, INPUT_SKIP_TESTS: 'true', INPUT_REGISTRY_TOKEN: secret,
    },
  });
  const outputs = await readOutputs(gh.output);
  const code = outputs['error-code'] as keyof typeof ERROR_CODES;
  assert.ok(code in ERROR_CODES, `error-code output ${code}`);
  assert.is(r.exitCode, EXIT[ERROR_CODES[code]]);
  assert.is(outputs.url, undefined);
  const summary = await readFile(gh.summary, 'utf8');
  assert.match(summary, new RegExp(`^### Deploy failed: ${code}$`, 'm'));
  assert.match(r.stdout, new RegExp(`^::error title=bim-pack ${code}::`, 'm'));
  for (const text of [r.stdout, r.stderr, summary, await readFile(gh.output, 'utf8')]) assert.not.ok(text.includes(secret));
});

test('the action step as a script: a real deploy to the local target gives url and revision outputs and a summary table', async () => {
  const app = await copyFixture('static-plain');
  const home = await mkdtemp(join(tmpdir(), 'bim-action-home-'));
  made.push(app);
  const gh = await githubFiles();
  try {
    const r = await execa('bash', [script], {
      cwd: app, reject: false, stdin: 'ignore',
      env: packStandinEnv({
        GITHUB_OUTPUT: gh.output, GITHUB_STEP_SUMMARY: gh.summary, RUNNER_TEMP: gh.dir, BIM_PACK_BIN: BIN, CI: 'true',
        BIM_PACK_HOME: home, BIM_PACK_PROXY_PORT: String(await getFreePort()), BACKEND_IM_URL: undefined, BACKEND_IM_TOKEN: undefined,
        INPUT_PATH: '.', INPUT_TARGET: 'local', INPUT_SKIP_TESTS: 'true',
      }),
    });
    assert.is(r.exitCode, 0, r.stderr.split('\n').slice(-5).join('\n'));
    const outputs = await readOutputs(gh.output);
    assert.equal(Object.keys(outputs).sort(), ['revision', 'url']); // local images have an id, not a registry digest
    assert.match(outputs.url!, /^http:\/\/[a-z0-9-]+\.localhost:\d+$/);
    assert.match(outputs.revision!, /^r\d+$/);
    const answer = await getApp(outputs.url!);
    assert.is(answer.status, 200);
    const summary = await readFile(gh.summary, 'utf8');
    assert.match(summary, /^### Deployed /m);
    assert.ok(summary.includes(`| URL | ${outputs.url} |`));
  } finally {
    await stopLocalPlatform(home);
  }
});

test('the generated workflow\'s deploy step as a script: an unset secret fails with CONFIG_ENV_MISSING, outputs and summary written, secrets nowhere', async () => {
  const app = await copyFixture('node-npm-express');
  made.push(app);
  const init = await runCli(['init', app, '--yes']);
  assert.is(init.exitCode, 0, init.stderr);
  const workflow = parse(await readFile(join(app, '.github/workflows/deploy.yml'), 'utf8'));
  const step = workflow.jobs.deploy.steps.find((s: { id?: string }) => s.id === 'deploy');
  const gh = await githubFiles();
  const secret = 'postgres://app:s3cret-pw-81f2@db.example.test/orders';
  const r = await execa('bash', ['-c', step.run], {
    cwd: app, reject: false, stdin: 'ignore', extendEnv: false,
    env: {
      PATH: `${NPX_BIN}:${process.env.PATH}`, HOME: gh.dir, BIM_PACK_HOME: gh.dir, BIM_PACK_BIN: BIN, CI: 'true',
      GITHUB_REPOSITORY: 'Acme/Orders', RUNNER_TEMP: gh.dir, GITHUB_OUTPUT: gh.output, GITHUB_STEP_SUMMARY: gh.summary,
      // What GitHub passes for the step's env: set secrets, and '' for the ones not set.
      BACKEND_IM_URL: 'http://127.0.0.1:9', BACKEND_IM_TOKEN: 'tok-workflow-0123456789', DATABASE_URL: secret, LOG_LEVEL: '',
    },
  });
  assert.is(r.exitCode, 2, r.stderr);
  assert.equal(await readOutputs(gh.output), { 'error-code': 'CONFIG_ENV_MISSING' });
  const summary = await readFile(gh.summary, 'utf8');
  assert.match(summary, /^### Deploy failed: CONFIG_ENV_MISSING$/m);
  assert.match(summary, /LOG_LEVEL/);
  // --progress json: every stderr line is an event of the committed schema, ending with the error.
  const events = [];
  for (const line of r.stderr.split('\n').filter(Boolean)) events.push(await validateJsonOutput('progress-event', line));
  assert.is((events.at(-1) as { type: string }).type, 'error');
  for (const text of [r.stdout, r.stderr, summary]) assert.not.ok(text.includes('s3cret-pw-81f2') || text.includes('tok-workflow-0123456789'));
});

test('summarize.mjs: a deploy result becomes url, digest and revision outputs and a summary table', async () => {
  const gh = await githubFiles();
  const result = DeployResultSchema.parse({
    ok: true, command: 'deploy', app: 'shop', target: { kind: 'remote', url: 'http://127.0.0.1:7070' }, url: 'http://shop.localhost:7080',
    image: { ref: `127.0.0.1:5000/acme/shop@sha256:${'a'.repeat(64)}`, digest: `sha256:${'a'.repeat(64)}`, imageId: null, reused: false },
    deployment: { id: 'dep_1', revision: 'r3', status: 'live', image: 'x' }, envNames: [], smoke: [],
    stages: [{ name: 'build', status: 'ok', durationMs: 1234 }], totalMs: 2000,
  });
  await writeFile(join(gh.dir, 'result.json'), JSON.stringify(result));
  const r = await execa('node', [join(REPO_ROOT, 'scripts/action/summarize.mjs'), join(gh.dir, 'result.json')], {
    env: { GITHUB_OUTPUT: gh.output, GITHUB_STEP_SUMMARY: gh.summary },
  });
  assert.is(r.exitCode, 0);
  assert.equal(await readOutputs(gh.output), { url: 'http://shop.localhost:7080', digest: `sha256:${'a'.repeat(64)}`, revision: 'r3' });
  const summary = await readFile(gh.summary, 'utf8');
  assert.match(summary, /^### Deployed shop$/m);
  assert.match(summary, /^\| URL \| http:\/\/shop\.localhost:7080 \|$/m);
  assert.match(summary, /^- build: ok in 1\.2 s$/m);
});

test('summarize.mjs is the script init inlines into workflows (one source)', async () => {
  assert.is(await readFile(join(REPO_ROOT, 'scripts/action/summarize.mjs'), 'utf8'), SUMMARIZE_SCRIPT);
  assert.not.ok(SUMMARIZE_SCRIPT.includes("'"), 'no single quotes: the workflow wraps it in them');
});

test.after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

test.run();
