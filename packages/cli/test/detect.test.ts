/** `bim-pack detect` through the built CLI: output for people, --json, exit codes and error lines. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { PlanSchema } from '@bim-pack/shared';

const bin = new URL('../dist/bin.js', import.meta.url).pathname;
const fixtures = new URL('../../../fixtures/', import.meta.url).pathname;
const detect = (...args: string[]) => execa('node', [bin, 'detect', ...args], { reject: false, env: { NO_COLOR: '1' } });
const noStack = (text: string) => assert.not.match(text, /\n\s+at .+:\d+:\d+/);

test('people get one line per decision with its evidence', async () => {
  const r = await detect(join(fixtures, 'node-npm-express'));
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, /^app {13}orders-api {2}<- package\.json:2 package\.json name "@acme\/orders-api"$/m);
  assert.match(r.stdout, /^framework {7}express {2}<- package\.json:16 depends on express \^4\.21\.2$/m);
  assert.match(r.stdout, /^start {11}npm start {2}<- package\.json:8 package\.json start script: "node src\/server\.js"$/m);
  assert.match(r.stdout, /^port {12}PORT=8080 \(app reads PORT\) {2}<- src\/server\.js:3 reads process\.env\.PORT/m);
  assert.is(r.stderr, '');
});

test('warnings carry file:line and a hint', async () => {
  const r = await detect(join(fixtures, 'node-yarn-berry-koa'));
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, /^ {2}PORT_HARDCODED server\.mjs:20: the app listens on port 4000, not on \$PORT \(8080\)$/m);
  assert.match(r.stdout, /^ {4}hint: read the port from the PORT environment variable/m);
});

test('--json prints the plan document, valid against the schema', async () => {
  const r = await detect(join(fixtures, 'monorepo-pnpm'), '--path', 'apps/api', '--json');
  assert.is(r.exitCode, 0);
  const doc = JSON.parse(r.stdout) as { ok: boolean; command: string; plan: unknown };
  assert.is(doc.ok, true);
  assert.is(doc.command, 'detect');
  const plan = PlanSchema.parse(doc.plan);
  assert.is(plan.path, 'apps/api');
  assert.is(plan.app.value, 'api');
  assert.equal(plan.apps.map((a) => a.path), ['apps/api', 'apps/web']);
});

test('dir defaults to --cwd', async () => {
  const r = await execa('node', [bin, 'detect', '--json', '--cwd', join(fixtures, 'static-plain')], { reject: false });
  assert.is(r.exitCode, 0);
  assert.is(JSON.parse(r.stdout).plan.language.value, 'static');
});

test('a missing path is DETECT_PATH_NOT_FOUND, exit 3, no stack trace', async () => {
  const r = await detect('/no/such/app');
  assert.is(r.exitCode, 3);
  assert.match(r.stderr, /^error DETECT_PATH_NOT_FOUND: \/no\/such\/app does not exist$/m);
  assert.match(r.stderr, /^hint: /m);
  noStack(r.stderr);
  assert.is(r.stdout, '');
});

test('a file is DETECT_NOT_A_DIRECTORY, exit 3', async () => {
  const r = await detect(join(fixtures, 'node-npm-express', 'package.json'));
  assert.is(r.exitCode, 3);
  assert.match(r.stderr, /^error DETECT_NOT_A_DIRECTORY: /m);
});

test('an ambiguous monorepo root lists the candidates, in --json too', async () => {
  const r = await detect(join(fixtures, 'monorepo-pnpm'), '--json');
  assert.is(r.exitCode, 3);
  const doc = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; hint: string; candidates: Array<{ path: string }> } };
  assert.is(doc.ok, false);
  assert.is(doc.error.code, 'DETECT_AMBIGUOUS_ROOT');
  assert.equal(doc.error.candidates.map((c) => c.path), ['apps/api', 'apps/web']);
  assert.is(doc.error.hint, 'pick one with --path apps/api');
  assert.match(r.stderr, /^error DETECT_AMBIGUOUS_ROOT: the folder holds 2 apps/m);
});

test('an unknown --path is DETECT_APP_NOT_FOUND naming the candidates', async () => {
  const r = await detect(join(fixtures, 'monorepo-pnpm'), '--path', 'apps/mobile');
  assert.is(r.exitCode, 3);
  assert.match(r.stderr, /^hint: use one of: --path apps\/api, --path apps\/web$/m);
});

test('an empty folder is DETECT_NO_APP, a bad project.toml is exit 2 with line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bim-detect-cli-'));
  try {
    const empty = await detect(dir);
    assert.is(empty.exitCode, 3);
    assert.match(empty.stderr, /^error DETECT_NO_APP: .* is empty/m);
    writeFileSync(join(dir, 'package.json'), '{"scripts":{"start":"node server.js"}}');
    writeFileSync(join(dir, 'project.toml'), '[im.backend]\nport = 8080\nname = "Not A Label"\n');
    const bad = await detect(dir);
    assert.is(bad.exitCode, 2);
    assert.match(bad.stderr, /^error CONFIG_PROJECT_TOML_INVALID: project\.toml:3: im\.backend\.name: must be a DNS label/m);
    writeFileSync(join(dir, 'project.toml'), '[im.backend]\nport = = 1\n');
    const syntax = await detect(dir);
    assert.is(syntax.exitCode, 2);
    assert.match(syntax.stderr, /^error CONFIG_PROJECT_TOML_INVALID: project\.toml:2:\d+: not valid TOML/m);
    noStack(syntax.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
