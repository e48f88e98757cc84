import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { parseProjectToml } from '@bim-pack/shared';
import { BIN, copyFixture, REPO_ROOT, runCli } from './support/run-cli.js';

const validator = join(REPO_ROOT, 'node_modules/.bin/action-validator');
const made: string[] = [];
const fixture = async (name: string) => {
  const dir = await copyFixture(name);
  made.push(dir);
  return dir;
};
const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');
async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, entry.name);
    out.push(rel, ...(entry.isDirectory() ? await listTree(dir, rel) : []));
  }
  return out.sort();
}
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const rel of await listTree(dir)) if ((await stat(join(dir, rel))).isFile()) files[rel] = await read(dir, rel);
  return files;
}
const initJson = async (dir: string, ...flags: string[]) => {
  const r = await runCli(['init', dir, '--json', ...flags]);
  assert.is(r.exitCode, 0, r.stderr);
  return JSON.parse(r.stdout) as { ok: boolean; files: Array<{ path: string; action: string }>; app: string; root: string };
};
const actions = (doc: { files: Array<{ path: string; action: string }> }) => Object.fromEntries(doc.files.map((f) => [f.path, f.action]));

test('init on a Node app writes every file, and project.toml parses back with the plan', async () => {
  const dir = await fixture('node-npm-express');
  const doc = await initJson(dir);
  assert.equal(actions(doc), {
    'project.toml': 'create',
    '.env.example': 'skip', // the app already has one: its names are in the plan
    '.github/workflows/deploy.yml': 'create',
    '.claude/commands/deploy.md': 'create',
    'CLAUDE.md': 'create',
  });
  const toml = parseProjectToml(await read(dir, 'project.toml'));
  assert.is(toml._?.['schema-version'], '0.2');
  assert.is(toml.io?.buildpacks?.builder, 'paketobuildpacks/builder-jammy-base');
  assert.equal(toml.im?.backend, {
    name: 'orders-api', port: 8080, 'health-check-path': '/', 'test-command': 'npm test', env: ['DATABASE_URL', 'LOG_LEVEL'],
  });
  // The detector reads the new project.toml back to the same plan.
  const plan = JSON.parse((await runCli(['detect', dir, '--json'])).stdout).plan;
  assert.is(plan.app.value, 'orders-api');
  assert.is(plan.projectToml, 'project.toml');
});

test('the workflow: push to the default branch, GHCR login, pinned setup-pack, no overlapping deploys, URL output', async () => {
  const dir = await fixture('node-npm-express');
  await initJson(dir, '--branch', 'trunk');
  const text = await read(dir, '.github/workflows/deploy.yml');
  const wf = parse(text);
  assert.equal(wf.on.push.branches, ['trunk']);
  assert.equal(wf.permissions, { contents: 'read', packages: 'write' });
  assert.equal(wf.concurrency, { group: 'bim-pack-deploy-orders-api', 'cancel-in-progress': false });
  const job = wf.jobs.deploy;
  assert.is(job.outputs.url, '${{ steps.deploy.outputs.url }}');
  const uses = job.steps.map((s: { uses?: string }) => s.uses).filter(Boolean);
  assert.ok(uses.some((u: string) => /^buildpacks\/github-actions\/setup-pack@v\d+\.\d+\.\d+$/.test(u)), uses.join());
  const setupPack = job.steps.find((s: { uses?: string }) => s.uses?.startsWith('buildpacks/'));
  assert.match(setupPack.with['pack-version'], /^\d+\.\d+\.\d+$/);
  const login = job.steps.find((s: { uses?: string }) => s.uses?.startsWith('docker/login-action@'));
  assert.equal(login.with, { registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' });
  const deploy = job.steps.find((s: { id?: string }) => s.id === 'deploy');
  assert.is(deploy.env.BACKEND_IM_URL, '${{ secrets.BACKEND_IM_URL }}');
  assert.is(deploy.env.BACKEND_IM_TOKEN, '${{ secrets.BACKEND_IM_TOKEN }}');
  assert.is(deploy.env.DATABASE_URL, '${{ secrets.DATABASE_URL }}');
  assert.match(deploy.run, /bim-pack@\d+\.\d+\.\d+ deploy --json --progress json --image "\$image" --cache-image "\$image:build-cache" >/);
  assert.match(deploy.run, /GITHUB_STEP_SUMMARY/);
  // Secrets never on a command line: only in the step's env; unset secrets are unset, not empty.
  assert.not.match(deploy.run, /--env /);
  assert.match(deploy.run, /for name in DATABASE_URL LOG_LEVEL; do\n  if \[ -z "\$\{!name:-\}" \]; then unset "\$name"; fi\ndone/);
  const lint = await execa(validator, [join(dir, '.github/workflows/deploy.yml')], { reject: false });
  assert.is(lint.exitCode, 0, `${lint.stdout}${lint.stderr}`);
});

test('a second run changes nothing', async () => {
  const dir = await fixture('python-flask-poetry');
  await initJson(dir);
  const before = await snapshot(dir);
  const doc = await initJson(dir);
  assert.ok(doc.files.every((f) => f.action === 'skip'), JSON.stringify(doc.files));
  assert.equal(await snapshot(dir), before);
  const plain = await runCli(['init', dir]);
  assert.is(plain.exitCode, 0);
  assert.match(plain.stdout, /nothing to do/);
});

test('--dry-run writes nothing and shows the text it would write', async () => {
  const dir = await fixture('static-plain');
  const before = await snapshot(dir);
  const r = await runCli(['init', dir, '--dry-run']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, /would create\s+project\.toml/);
  assert.match(r.stdout, /\| \[im\.backend\]/);
  assert.match(r.stdout, /dry run: nothing written/);
  assert.equal(await snapshot(dir), before);
  const doc = JSON.parse((await runCli(['init', dir, '--dry-run', '--json'])).stdout);
  assert.is(doc.dryRun, true);
  assert.ok(doc.files.some((f: { action: string }) => f.action === 'create'));
  assert.equal(await snapshot(dir), before);
});

test('an edited file is kept without --force and overwritten with it', async () => {
  const dir = await fixture('node-yarn-fastify');
  await initJson(dir);
  const edited = '[_]\nschema-version = "0.2"\n\n[im.backend]\nname = "mine"\n';
  await writeFile(join(dir, 'project.toml'), edited);
  assert.is(actions(await initJson(dir))['project.toml'], 'skip');
  assert.is(await read(dir, 'project.toml'), edited);
  const envExample = '# mine\nDATABASE_URL=postgres://localhost/dev\n';
  await writeFile(join(dir, '.env.example'), envExample);
  const forced = actions(await initJson(dir, '--force'));
  assert.is(forced['project.toml'], 'overwrite');
  assert.not.equal(await read(dir, 'project.toml'), edited);
  // .env.example is where the names come from: kept even with --force.
  assert.is(forced['.env.example'], 'skip');
  assert.is(await read(dir, '.env.example'), envExample);
});

test('--force over a hand-written project.toml keeps what init does not own, and a second --force changes nothing', async () => {
  const dir = await fixture('node-project-toml');
  const before = parseProjectToml(await read(dir, 'project.toml'));
  assert.is(actions(await initJson(dir, '--force'))['project.toml'], 'overwrite');
  const after = parseProjectToml(await read(dir, 'project.toml'));
  assert.equal(after, before);
  assert.is(actions(await initJson(dir, '--force'))['project.toml'], 'skip');
});

test('CLAUDE.md: our section is appended to the user\'s text once, and the command matches the committed one', async () => {
  const dir = await fixture('go-gin');
  await writeFile(join(dir, 'CLAUDE.md'), '# Team notes\n\nUse tabs.\n');
  assert.is(actions(await initJson(dir))['CLAUDE.md'], 'append');
  const first = await read(dir, 'CLAUDE.md');
  assert.ok(first.startsWith('# Team notes\n\nUse tabs.\n\n<!-- bim-pack:start -->'), first);
  assert.is(actions(await initJson(dir))['CLAUDE.md'], 'skip');
  assert.is(await read(dir, 'CLAUDE.md'), first);
  assert.is(await read(dir, '.claude/commands/deploy.md'), await read(REPO_ROOT, '.claude/commands/deploy.md'));
});

test('a monorepo app gets its own workflow, project.toml in its folder and --path in the deploy', async () => {
  const dir = await fixture('monorepo-pnpm');
  const doc = await initJson(dir, '--path', 'apps/api');
  const files = actions(doc);
  assert.is(files['apps/api/project.toml'], 'create');
  const workflow = Object.keys(files).find((f) => f.startsWith('.github/workflows/'))!;
  assert.is(workflow, `.github/workflows/deploy-${doc.app}.yml`);
  const wf = parse(await read(dir, workflow));
  const deploy = wf.jobs.deploy.steps.find((s: { id?: string }) => s.id === 'deploy');
  assert.match(deploy.run, /--path apps\/api/);
  assert.match(deploy.run, new RegExp(`image="ghcr.io/\\$\\{GITHUB_REPOSITORY,,\\}/${doc.app}"`));
});

test('an app folder inside a git repository: the workflow and Claude files go to the repository root, deploy gets --path', async () => {
  const repo = await fixture('static-plain');
  await rm(repo, { recursive: true, force: true });
  await mkdir(join(repo, 'sites'), { recursive: true });
  await execa('cp', ['-r', join(REPO_ROOT, 'fixtures/static-plain'), join(repo, 'sites/docs')]);
  await execa('git', ['init', '-q', '-b', 'trunk', repo]);
  const doc = await initJson(join(repo, 'sites/docs'));
  assert.is(doc.root, repo);
  const files = actions(doc);
  assert.is(files['sites/docs/project.toml'], 'create');
  assert.is(files[`.github/workflows/deploy-${doc.app}.yml`], 'create');
  assert.is(files['.claude/commands/deploy.md'], 'create');
  assert.is(files['CLAUDE.md'], 'create');
  const wf = parse(await read(repo, `.github/workflows/deploy-${doc.app}.yml`));
  assert.equal(wf.on.push.branches, ['trunk']);
  const deploy = wf.jobs.deploy.steps.find((s: { id?: string }) => s.id === 'deploy');
  assert.match(deploy.run, /--path sites\/docs/);
  assert.ok(parseProjectToml(await read(repo, 'sites/docs/project.toml')).im?.backend);
});

test('without a terminal, a missing answer fails at once and lists the flag; the flag fixes it', async () => {
  // A Node app with no start script, no main and no conventional entry file.
  const dir = await fixture('static-plain');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'lib'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'api', dependencies: { express: '^4.21.0' } }));
  await writeFile(join(dir, 'lib/app.js'), "require('express')().listen(process.env.PORT);\n");
  const before = await snapshot(dir);
  const r = await runCli(['init', dir, '--json']);
  assert.is(r.exitCode, 2);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.error.code, 'CONFIG_INIT_INPUT_MISSING');
  assert.equal(doc.error.missing, ['--start']);
  assert.equal(await snapshot(dir), before);
  await initJson(dir, '--start', 'node lib/app.js', '--target', 'https://api.example.test');
  const toml = parseProjectToml(await read(dir, 'project.toml'));
  assert.is(toml.im?.backend?.start, 'node lib/app.js');
  assert.is(toml.im?.backend?.target, 'https://api.example.test');
  const deploy = parse(await read(dir, '.github/workflows/deploy.yml')).jobs.deploy.steps.find((s: { id?: string }) => s.id === 'deploy');
  assert.is(deploy.env.BACKEND_IM_URL, 'https://api.example.test');
});

/** Runs init on a real pseudo-terminal (script(1)), typing each answer when its question shows. */
async function initOnTerminal(args: string[], home: string, answers: Array<[RegExp, string]>) {
  const child = execa('script', ['-qec', `node ${BIN} init ${args.join(' ')}`, '/dev/null'], {
    reject: false, stdin: 'pipe', env: { HOME: home, CI: undefined, TERM: 'xterm' },
  });
  const pending = [...answers];
  let seen = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    seen += chunk.toString();
    const next = pending[0];
    if (next && next[0].test(seen)) {
      pending.shift();
      seen = '';
      child.stdin!.write(`${next[1]}\n`);
    }
  });
  const r = await child;
  assert.is(pending.length, 0, `unanswered: ${pending.map((p) => p[0]).join(', ')}\n${r.stdout}`);
  return r;
}

test('on a terminal, init asks for the app name, target and branch, then writes them', async () => {
  const dir = await fixture('static-plain');
  const r = await initOnTerminal([dir], dir, [[/App name \[[^\]]+\]: /, 'my-site'], [/Deploy target: /, 'local'], [/Branch whose pushes deploy \[main\]: /, 'trunk']]);
  assert.is(r.exitCode, 0, r.stdout);
  const toml = parseProjectToml(await read(dir, 'project.toml'));
  assert.is(toml.im?.backend?.name, 'my-site');
  assert.is(toml.im?.backend?.target, 'local');
  assert.equal(parse(await read(dir, '.github/workflows/deploy.yml')).on.push.branches, ['trunk']);
});

test('on a terminal, a monorepo root asks which app; without one it fails listing the apps', async () => {
  const dir = await fixture('monorepo-pnpm');
  const r = await initOnTerminal([dir], dir, [[/Which one \[1-2\]: /, '2'], [/App name/, ''], [/Deploy target/, ''], [/Branch/, '']]);
  assert.is(r.exitCode, 0, r.stdout);
  assert.match(r.stdout, /1\) apps\/api \(node\)/);
  assert.ok(parseProjectToml(await read(dir, 'apps/web/project.toml')).im?.backend);
  const plain = await runCli(['init', dir, '--json']);
  assert.is(plain.exitCode, 3);
  assert.is(JSON.parse(plain.stdout).error.code, 'DETECT_AMBIGUOUS_ROOT');
});

test('a bad --app is a usage error', async () => {
  const dir = await fixture('static-plain');
  const r = await runCli(['init', dir, '--app', 'Not_A_Label']);
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /^error USAGE_BAD_FLAG: --app "Not_A_Label"/m);
});

test.after(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

test.run();
