/** prepareBuild with a real git repository: image name from the remote, commit and dirty tags, labels. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { prepareBuild } from '@bim-pack/builder';
import { makePlan } from './plan-fixture.js';

let repo: string;
let commit: string;
const git = (...args: string[]) => execa('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args]);
const noEnv = { HOME: tmpdir(), PATH: process.env.PATH };

test.before(async () => {
  repo = await mkdtemp(join(tmpdir(), 'bim-git-'));
  await git('init', '-q');
  await git('remote', 'add', 'origin', 'git@github.com:Acme/Mono-Repo.git');
  await mkdir(join(repo, 'apps/api'), { recursive: true });
  await writeFile(join(repo, 'apps/api/server.js'), 'x');
  await writeFile(join(repo, 'apps/api/project.toml'), '[_]\nschema-version = "0.2"\n\n[io.buildpacks]\nexclude = ["*.md"]\n');
  await git('add', '.');
  await git('commit', '-q', '-m', 'first');
  commit = (await git('rev-parse', 'HEAD')).stdout.trim();
});
test.after(async () => {
  await rm(repo, { recursive: true, force: true });
});

test('a clean monorepo app: ghcr.io/<owner>/<repo>/<app>, commit tag first, fp tag last, OCI labels', async () => {
  const plan = makePlan({ app: { value: 'api', evidence: [] }, path: 'apps/api' });
  const setup = await prepareBuild(plan, { appDir: join(repo, 'apps/api'), tags: ['latest'], processEnv: noEnv, fingerprintCache: false });
  assert.is(setup.image, 'ghcr.io/acme/mono-repo/api');
  assert.equal(setup.tags, [commit, 'latest', setup.fingerprintTag]);
  assert.is(setup.labels.source, 'https://github.com/Acme/Mono-Repo');
  assert.is(setup.labels.revision, commit);
  assert.is(setup.descriptor, join(repo, 'apps/api/project.toml'));
  assert.is(setup.packCredentials, null, 'no token: the user\'s own docker login stays in charge');
});

test('uncommitted changes: <commit>-dirty-<content hash>; an excluded file changes nothing', async () => {
  const plan = makePlan({ app: { value: 'api', evidence: [] }, path: 'apps/api' });
  const appDir = join(repo, 'apps/api');
  const clean = await prepareBuild(plan, { appDir, processEnv: noEnv, fingerprintCache: false });
  await writeFile(join(appDir, 'NOTES.md'), 'excluded');
  const excluded = await prepareBuild(plan, { appDir, processEnv: noEnv, fingerprintCache: false });
  assert.is(excluded.fingerprint, clean.fingerprint);
  await writeFile(join(appDir, 'server.js'), 'changed');
  const dirty = await prepareBuild(plan, { appDir, processEnv: noEnv, fingerprintCache: false });
  assert.is(dirty.tags[0], `${commit}-dirty-${dirty.fingerprint.slice(0, 12)}`);
  assert.is.not(dirty.fingerprint, clean.fingerprint);
});

test('GITHUB_TOKEN becomes pack credentials for ghcr.io only', async () => {
  const plan = makePlan();
  const appDir = join(repo, 'apps/api');
  const gh = await prepareBuild(plan, { appDir, processEnv: { ...noEnv, GITHUB_TOKEN: 'ghs_example_token', GITHUB_ACTOR: 'octo' }, fingerprintCache: false });
  assert.equal({ ...gh.packCredentials }, { registry: 'ghcr.io', username: 'octo', password: 'ghs_example_token', source: 'GITHUB_TOKEN' });
  const other = await prepareBuild(plan, { appDir, image: 'registry.example.com/a/b', processEnv: { ...noEnv, GITHUB_TOKEN: 'ghs_example_token' }, fingerprintCache: false });
  assert.is(other.packCredentials, null);
});

test.run();
