import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { detect } from '@bim-pack/detector';
import { isBimError, parseProjectToml, readProjectToml } from '@bim-pack/shared';
import { describeInitFiles } from '../src/init/describe-files.js';
import { REPO_ROOT } from './support/run-cli.js';

const fixtures = (await readdir(join(REPO_ROOT, 'fixtures'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const out = await mkdtemp(join(tmpdir(), 'bim-init-all-'));

test('init describes valid files for every fixture app: project.toml parses, the workflow passes action-validator', async () => {
  let described = 0;
  const shapes = new Set<string>();
  for (const name of fixtures) {
    let plan;
    try {
      plan = await detect(join(REPO_ROOT, 'fixtures', name));
    } catch (error) {
      // Monorepo roots ask for --path; init fails the same way (tested in init.test.ts).
      assert.ok(isBimError(error) && error.code === 'DETECT_AMBIGUOUS_ROOT', `${name}: ${String(error)}`);
      continue;
    }
    const files = describeInitFiles(plan, { app: plan.app.value, branch: 'main', start: plan.start.value ?? 'start-me' });
    const toml = files.find((f) => f.path.endsWith('project.toml'))!;
    const parsed = parseProjectToml(toml.content, `${name}/project.toml`);
    assert.is(parsed.im?.backend?.name, plan.app.value, name);
    assert.is(parsed.io?.buildpacks?.builder, plan.builder.value, name);
    const workflow = files.find((f) => f.path.startsWith('.github/workflows/'))!;
    const wf = parse(workflow.content);
    assert.is(wf.concurrency['cancel-in-progress'], false, name);
    // The validator takes ~0.5 s a run: check each distinct shape of workflow once.
    const shape = workflow.content.split(plan.app.value).join('APP');
    if (!shapes.has(shape)) {
      shapes.add(shape);
      const file = join(out, `${name}.yml`);
      await writeFile(file, workflow.content);
      const lint = await execa(join(REPO_ROOT, 'node_modules/.bin/action-validator'), [file], { reject: false });
      assert.is(lint.exitCode, 0, `${name}: ${lint.stdout}${lint.stderr}`);
    }
    // The env names of the plan are the workflow's secrets, and nothing else is.
    const deploy = wf.jobs.deploy.steps.find((s: { id?: string }) => s.id === 'deploy');
    for (const envName of plan.envNames) assert.is(deploy.env[envName], `\${{ secrets.${envName} }}`, `${name}: ${envName}`);
    const envExample = files.find((f) => f.path.endsWith('.env.example'));
    assert.is(Boolean(envExample), plan.envNames.length > 0, name);
    if (envExample) assert.equal(envExample.content.split('\n').filter((l) => /^[A-Z_]/.test(l)).map((l) => l.slice(0, -1)), plan.envNames);
    described++;
  }
  assert.ok(described >= 30, `${described} fixtures described`);
});

test('project.toml round trip: init, detect again, init again gives the same file for every fixture app', async () => {
  let checked = 0;
  for (const name of fixtures) {
    const dir = join(out, `rt-${name}`);
    await cp(join(REPO_ROOT, 'fixtures', name), dir, { recursive: true });
    let plan;
    try {
      plan = await detect(dir);
    } catch {
      continue; // monorepo roots: see the first test
    }
    const answers = { app: plan.app.value, branch: 'main', start: plan.start.value ? undefined : 'start-me' };
    const file = join(dir, plan.path, 'project.toml');
    const first = describeInitFiles(plan, answers, await readProjectToml(file)).find((f) => f.path.endsWith('project.toml'))!;
    await writeFile(file, first.content);
    const again = await detect(dir);
    const second = describeInitFiles(again, { ...answers, start: undefined }, await readProjectToml(file)).find((f) => f.path.endsWith('project.toml'))!;
    assert.is(second.content, first.content, name);
    assert.is(again.app.value, plan.app.value, name);
    assert.is(again.port.value, plan.port.value, name);
    assert.equal(again.envNames, plan.envNames, name);
    checked++;
  }
  assert.ok(checked >= 30, `${checked} fixtures`);
});

test.after(() => rm(out, { recursive: true, force: true }));

test.run();
