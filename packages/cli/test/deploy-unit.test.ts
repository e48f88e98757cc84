/** The pure parts of deploy: env parsing and merging, test command argv, targets, platform argv, summary. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BimError, isBimError, Redactor, silentReporter } from '@bim-pack/shared';
import { envMissingError, mergeRuntimeEnv, parseDotEnv, parseEnvFlags } from '../src/deploy/env.js';
import { describePlatformStart } from '../src/deploy/local-platform.js';
import { describeTestCommand } from '../src/deploy/run-tests.js';
import { StageRunner } from '../src/deploy/stages.js';
import { describeSummary, formatDuration } from '../src/deploy/summary.js';
import { chooseTarget, parseTarget } from '../src/deploy/target.js';
import { DeployResultSchema, type DeployResult } from '../src/result-schema.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (isBimError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  return undefined;
};

test('parseDotEnv: export, quotes, escapes, comments, blank lines', () => {
  const text = '# c\n\nexport A=1\nB = "two words"\nC=\'lit $x\'\nD="a\\nb"\nE=plain # note\nF=\n';
  assert.equal(parseDotEnv(text, '.env'), { A: '1', B: 'two words', C: 'lit $x', D: 'a\nb', E: 'plain', F: '' });
});

test('parseDotEnv: every bad line reported with file:line', () => {
  const e = codeOf(() => parseDotEnv('OK=1\nnot a line\n1BAD=x\n', 'app/.env'))!;
  assert.is(e.code, 'CONFIG_ENV_FILE_INVALID');
  assert.is(e.message, 'app/.env:2: expected NAME=value\napp/.env:3: 1BAD must be a POSIX env name');
});

test('parseEnvFlags: NAME=VALUE only', () => {
  assert.equal(parseEnvFlags(['A=1', 'B=x=y', 'C=']), { A: '1', B: 'x=y', C: '' });
  assert.is(codeOf(() => parseEnvFlags(['NOVALUE']))!.code, 'USAGE_BAD_FLAG');
});

test('mergeRuntimeEnv: file < process env (declared names only) < flags; all missing names listed', () => {
  const merged = mergeRuntimeEnv({
    required: ['A', 'B', 'C', 'D'], file: { A: 'file', X: 'extra' }, flags: { B: 'flag' }, processEnv: { A: 'proc', C: 'proc', HOME: '/root' },
  });
  assert.equal(merged.env, { A: 'file', X: 'extra', C: 'proc', B: 'flag' });
  assert.equal(merged.missing, ['D']);
  const e = envMissingError(['D', 'E'], '.env');
  assert.is(e.code, 'CONFIG_ENV_MISSING');
  assert.equal(e.details, { missing: ['D', 'E'] });
  assert.match(e.hint!, /D=\.\.\. E=\.\.\. to \.env/);
});

test('describeTestCommand: shell-free split unless the command needs a shell', () => {
  assert.equal(describeTestCommand('npm test'), { file: 'npm', args: ['test'], shell: false });
  assert.equal(describeTestCommand('pytest -q tests/unit'), { file: 'pytest', args: ['-q', 'tests/unit'], shell: false });
  assert.equal(describeTestCommand('npm run lint && npm test'), { file: 'sh', args: ['-c', 'npm run lint && npm test'], shell: true });
  assert.equal(describeTestCommand('go test ./...'), { file: 'go', args: ['test', './...'], shell: false });
});

test('targets: flag > BACKEND_IM_URL > project.toml; local or http(s) URL only', () => {
  assert.is(chooseTarget({ flag: 'local', env: { BACKEND_IM_URL: 'https://a' }, projectToml: 'https://b' }), 'local');
  assert.is(chooseTarget({ env: { BACKEND_IM_URL: 'https://a' }, projectToml: 'https://b' }), 'https://a');
  assert.is(chooseTarget({ env: {}, projectToml: 'https://b' }), 'https://b');
  assert.is(chooseTarget({ env: { BACKEND_IM_URL: '' } }), undefined);
  assert.equal(parseTarget('https://api.backend.im/'), { kind: 'remote', url: 'https://api.backend.im' });
  assert.equal(parseTarget('local'), { kind: 'local' });
  assert.is(codeOf(() => parseTarget('api.backend.im'))!.code, 'CONFIG_TARGET_INVALID');
});

test('describePlatformStart: the CLI\'s own platform start, any free API port, the proxy port from env', () => {
  assert.equal(describePlatformStart('/x/bin.js', '/h/platform', {}), ['/x/bin.js', 'platform', 'start', '--data-dir', '/h/platform', '--port', '0', '--proxy-port', '7080']);
  assert.equal(describePlatformStart('/x/bin.js', '/d', { BIM_PACK_PROXY_PORT: '9000' }).slice(-1), ['9000']);
});

test('describeSummary and the result schema', () => {
  const result: DeployResult = DeployResultSchema.parse({
    ok: true, command: 'deploy', app: 'shop', target: { kind: 'local', url: 'http://127.0.0.1:7070' }, url: 'http://shop.localhost:7080',
    image: { ref: `sha256:${'a'.repeat(64)}`, digest: null, imageId: `sha256:${'a'.repeat(64)}`, reused: true },
    deployment: { id: 'dep_aaaaaaaaaaaaaaaaaaaa', revision: 'r2', status: 'live', image: 'x' },
    envNames: ['KEY'], smoke: [{ path: '/', expectedStatus: 200, status: 200, ok: true, attempts: 1 }],
    stages: [{ name: 'config', status: 'ok', durationMs: 12 }, { name: 'tests', status: 'skipped', durationMs: 0 }, { name: 'build', status: 'ok', durationMs: 1500 }],
    totalMs: 2100,
  });
  assert.equal(describeSummary(result), [
    'deployed shop r2: http://shop.localhost:7080',
    `  image       sha256:${'a'.repeat(64)} (reused: same source)`,
    '  deployment  dep_aaaaaaaaaaaaaaaaaaaa on the local platform',
    '  env         KEY',
    '  smoke       1/1 checks passed',
    '  stages      config 12 ms, tests skipped, build 1.5 s',
    '  total       2.1 s',
  ]);
  assert.is(formatDuration(999), '999 ms');
  assert.not.ok(DeployResultSchema.safeParse({ ...result, env: { KEY: 'v' } }).success, 'no room for env values');
});

test('StageRunner: times stages, names the failed stage and masks secrets in the whole error', async () => {
  const redactor = new Redactor().add('hunter2-secret');
  const runner = new StageRunner(silentReporter, redactor);
  await runner.run('config', '', async () => {});
  runner.skip('tests', '--skip-tests');
  runner.facts.url = 'http://shop.localhost:7080';
  try {
    await runner.run('live', '', async () => {
      throw new BimError('DEPLOY_FAILED', 'boom hunter2-secret', { hint: 'h', details: { logTail: ['key=hunter2-secret'], failure: 'exited-on-boot' } });
    });
    assert.unreachable();
  } catch (error) {
    const e = error as BimError;
    assert.is(e.message, 'boom ***');
    assert.equal(e.details?.logTail, ['key=***']);
    assert.is(e.details?.stage, 'live');
    assert.is(e.details?.url, 'http://shop.localhost:7080');
    assert.equal((e.details?.stages as Array<{ name: string; status: string }>).map((s) => `${s.name}:${s.status}`), ['config:ok', 'tests:skipped', 'live:failed']);
  }
});

test.run();
