// The pack stand-in: test support only, never shipped. It follows ../../../../shared/pack-contract.md
// (flags, Docker engine need, report.toml, final output lines, exit codes) but builds a small
// runnable image with the Docker engine instead of running buildpacks.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BOOL_FLAGS, VALUE_FLAGS, parseArgs } from './flags.mjs';
import { makeFileFilter, readDescriptor, stageApp } from './project-descriptor.mjs';

const BUSYBOX_IMAGE = 'bim-pack-test/busybox:1';
const NODE_IMAGE = 'bim-pack-test/node:1';
const children = new Set();
let quiet = false;
/** The filtered copy of the app folder (what pack would send), removed on every exit. */
let stageDir = null;
process.on('exit', () => { if (stageDir) rmSync(stageDir, { recursive: true, force: true }); });

const out = (line) => { if (!quiet) process.stdout.write(`${line}\n`); };
const fail = (message, code = 1) => { process.stderr.write(`ERROR: ${message}\n`); process.exit(code); };

// Like pack: Ctrl-C stops what is running (our docker children) and exits.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(130);
  });
}

/** Runs a command with an argument array; resolves { code, stdout, stderr }. */
function run(cmd, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (error) => { stderr += String(error); });
    child.on('close', (code) => { children.delete(child); resolvePromise({ code: code ?? 1, stdout: stdout.trim(), stderr: stderr.trim() }); });
    if (options.timeoutMs) setTimeout(() => child.kill('SIGKILL'), options.timeoutMs).unref();
  });
}

const SUGGESTED = [
  ['Google', 'gcr.io/buildpacks/builder:google-22', 'Ubuntu 22.04 base image with buildpacks for .NET, Dart, Go, Java, Node.js, PHP, Python, and Ruby'],
  ['Heroku', 'heroku/builder:24', 'Ubuntu 24.04 AMD64+ARM64 base image with buildpacks for Go, Java, Node.js, PHP, Python, Ruby & Scala.'],
  ['Paketo Buildpacks', 'paketobuildpacks/builder-jammy-base', 'Small base image with buildpacks for Java, Node.js, Golang, .NET Core, Python & Ruby'],
  ['Paketo Buildpacks', 'paketobuildpacks/builder-jammy-full', 'Larger base image with buildpacks for Java, Node.js, Golang, .NET Core, Python, Ruby, & PHP'],
  ['Paketo Buildpacks', 'paketobuildpacks/builder-jammy-tiny', 'Tiny base image (jammy build image, distroless run image) with buildpacks for Golang & Java'],
];

function printSuggestions() {
  out('Suggested builders:');
  for (const [vendor, image, text] of SUGGESTED) out(`\t${`${vendor}:`.padEnd(20)}${image.padEnd(45)}${text}`);
  out('');
  out('Tip: Learn more about a specific builder with:');
  out('\tpack builder inspect <builder-image>');
}

/** Which fake buildpack "passes detection" for the app folder, with what it needs. */
function detectApp(appDir, env) {
  const has = (f) => existsSync(join(appDir, f));
  if (has('package.json') || ['server.js', 'index.js', 'app.js', 'main.js'].some(has)) {
    let entry = ['server.js', 'index.js', 'app.js', 'main.js'].find(has) ?? 'index.js';
    if (has('package.json')) {
      const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
      const start = /^node\s+(\S+)/.exec(pkg.scripts?.start ?? '')?.[1];
      entry = start ?? pkg.main ?? entry;
    }
    return { kind: 'node', base: NODE_IMAGE, source: appDir, target: '/app', cmd: ['node', entry], buildpack: 'paketo-buildpacks/nodejs' };
  }
  const root = env.BP_WEB_SERVER_ROOT ?? (existsSync(join(appDir, 'public', 'index.html')) ? 'public' : '.');
  if (env.BP_WEB_SERVER || existsSync(join(appDir, root, 'index.html'))) {
    return { kind: 'static', base: BUSYBOX_IMAGE, source: join(appDir, root), target: '/www', cmd: null, buildpack: 'paketo-buildpacks/web-servers' };
  }
  return null;
}

/** BP_IMAGE_LABELS (space separated key=value, quotes allowed) and BP_OCI_* -> labels, like Paketo image-labels. */
function labelsFromEnv(env) {
  const labels = {};
  const oci = { AUTHORS: 'authors', CREATED: 'created', DESCRIPTION: 'description', DOCUMENTATION: 'documentation', LICENSES: 'licenses',
    REF_NAME: 'ref.name', REVISION: 'revision', SOURCE: 'source', TITLE: 'title', URL: 'url', VENDOR: 'vendor', VERSION: 'version' };
  for (const [suffix, name] of Object.entries(oci)) if (env[`BP_OCI_${suffix}`]) labels[`org.opencontainers.image.${name}`] = env[`BP_OCI_${suffix}`];
  for (const m of (env.BP_IMAGE_LABELS ?? '').matchAll(/([^\s=]+)=(?:"([^"]*)"|'([^']*)'|(\S*))/g)) labels[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  return labels;
}

async function build(argv) {
  const parsed = parseArgs(argv, VALUE_FLAGS, BOOL_FLAGS);
  if (parsed.error) fail(parsed.error);
  const { positionals, values, bools } = parsed;
  quiet = bools.has('quiet');
  const one = (name) => values.get(name)?.at(-1);
  if (positionals.length !== 1) fail(`accepts 1 arg(s), received ${positionals.length}`);
  const name = positionals[0];
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/.test(name)) {
    fail(`invalid image name '${name}'`);
  }
  const appDir = resolve(one('path') ?? process.cwd());
  // Like pack: a given --descriptor is used as is (relative to the working folder, not to --path).
  const descriptor = readDescriptor(appDir, one('descriptor'));
  if (descriptor.error) fail(descriptor.error);
  for (const warning of descriptor.warnings) out(`Warning: ${warning}`);
  const builder = one('builder') ?? descriptor.builder;
  if (!builder) {
    process.stdout.write('Please select a default builder with:\n\n\tpack config default-builder <builder-image>\n\n');
    printSuggestions();
    process.exit(2);
  }
  const pull = one('pull-policy');
  if (pull && !['always', 'never', 'if-not-present'].includes(pull)) fail(`invalid pull policy ${pull}`);
  const publish = bools.has('publish');
  if (one('cache-image') && !publish) fail('cache-image flag requires the publish flag');
  const creation = one('creation-time');
  if (creation && creation !== 'now' && !/^\d+$/.test(creation)) fail(`parsing creation time ${creation}: strconv.ParseInt: parsing "${creation}": invalid syntax`);

  // Like pack: a Docker engine is needed even with --publish (the lifecycle runs in containers).
  const engine = await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
  if (engine.code !== 0) {
    const reason = /Cannot connect[^\n]*|error during connect[^\n]*/.exec(engine.stderr)?.[0] ?? 'Cannot connect to the Docker daemon. Is the docker daemon running?';
    fail(`failed to build: failed to fetch builder image '${builder}': ${reason}`);
  }
  const env = {};
  for (const entry of values.get('env') ?? []) {
    const eq = entry.indexOf('=');
    if (eq < 0) { if (process.env[entry] !== undefined) env[entry] = process.env[entry]; } else env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  out(`===> ANALYZING`);
  out(`Image with name "${name}" not found`);
  out(`===> DETECTING`);
  // Like pack: project.toml include/exclude apply before the build; detection sees only what was sent.
  if (existsSync(appDir) && statSync(appDir).isDirectory()) stageDir = stageApp(appDir, makeFileFilter(descriptor));
  const app = stageDir ? detectApp(stageDir, env) : null;
  if (!app) {
    out('ERROR: No buildpack groups passed detection.');
    out('ERROR: Please check that you are running against the correct path.');
    fail('failed to build: executing lifecycle: failed with status code: 20');
  }
  out(`1 of 1 buildpacks participating`);
  out(`${app.buildpack} 1.0.0`);
  out(`===> BUILDING`);
  const delay = Number(process.env.PACK_STANDIN_DELAY_MS ?? 0);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  await makeImage(name, app, env, values, publish, one('report-output-dir'));
}

/** Builds the image from the base, tags it, pushes it with --publish, writes report.toml. */
async function makeImage(name, app, env, values, publish, reportDir) {
  const baseInfo = await run('docker', ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', app.base]);
  if (baseInfo.code !== 0) fail(`failed to build: executing lifecycle: run image '${app.base}' does not exist on the daemon: not found (create it with ensureBaseImages())`);
  const baseLayers = JSON.parse(baseInfo.stdout);
  const created = await run('docker', ['create', app.base]);
  if (created.code !== 0) fail(`failed to build: ${created.stderr}`);
  const container = created.stdout;
  try {
    const copy = await run('docker', ['cp', `${app.source}/.`, `${container}:${app.target}`]);
    if (copy.code !== 0) fail(`failed to build: ${copy.stderr}`);
    const labels = {
      ...labelsFromEnv(env),
      'io.buildpacks.lifecycle.metadata': JSON.stringify({ runImage: { topLayer: baseLayers.at(-1), reference: app.base }, buildpacks: [{ key: app.buildpack, version: '1.0.0' }] }),
    };
    const changes = Object.entries(labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`);
    if (app.cmd) changes.push(`CMD ${JSON.stringify(app.cmd)}`);
    const commit = await run('docker', ['commit', ...changes.flatMap((c) => ['--change', c]), container]);
    if (commit.code !== 0) fail(`failed to build: ${commit.stderr}`);
    out(`===> EXPORTING`);
    const refs = [name, ...(values.get('tag') ?? [])].map((r) => (/:[^/]+$/.test(r) ? r : `${r}:latest`));
    for (const ref of refs) {
      const tagged = await run('docker', ['tag', commit.stdout, ref]);
      if (tagged.code !== 0) fail(`failed to build: ${tagged.stderr}`);
    }
    out(`Saving ${name}...`);
    let id = commit.stdout.replace(/^sha256:/, '').slice(0, 12);
    let size = null;
    if (publish) {
      for (const ref of refs) {
        const pushed = await run('docker', ['push', ref], { timeoutMs: 300_000 });
        if (pushed.code !== 0) {
          await run('docker', ['rmi', ...refs]);
          out(`ERROR: failed to export: failed to write image to the following tags: [${ref}: ${pushed.stderr.split('\n').at(-1)}]`);
          fail('failed to build: executing lifecycle: failed with status code: 62');
        }
        const m = /digest: (sha256:[0-9a-f]{64}) size: (\d+)/.exec(pushed.stdout);
        if (m) { id = m[1]; size = Number(m[2]); }
      }
      // --publish leaves nothing in the daemon.
      await run('docker', ['rmi', ...refs]);
    }
    out(`*** Images (${id}):`);
    for (const ref of refs) out(`      ${ref}`);
    if (reportDir) writeReport(reportDir, refs, publish ? { digest: id, size } : { imageId: commit.stdout.replace(/^sha256:/, '').slice(0, 12) });
    if (quiet && publish) process.stdout.write(`${name.replace(/:[^/]+$/, ':')}@${id}\n`);
    out(`Successfully built image '${name}'`);
  } finally {
    await run('docker', ['rm', '-f', container]);
  }
}

/** report.toml as the lifecycle writes it; a missing folder becomes a *file* named like it (pack's quirk). */
function writeReport(dir, tags, image) {
  const lines = ['[build]', '', '[image]', `  tags = [${tags.map((t) => JSON.stringify(t)).join(', ')}]`];
  if (image.digest) lines.push(`  digest = "${image.digest}"`);
  if (image.imageId) lines.push(`  image-id = "${image.imageId}"`);
  if (image.size) lines.push(`  manifest-size = ${image.size}`);
  const target = existsSync(dir) && statSync(dir).isDirectory() ? join(dir, 'report.toml') : dir;
  writeFileSync(target, `${lines.join('\n')}\n`);
}

async function main(argv) {
  if (process.env.PACK_STANDIN_ARGV_FILE) {
    const dockerConfig = process.env.DOCKER_CONFIG ?? null;
    let modes = null;
    try {
      if (dockerConfig) modes = { dir: statSync(dockerConfig).mode & 0o777, file: statSync(join(dockerConfig, 'config.json')).mode & 0o777 };
    } catch { modes = null; }
    // What the given --descriptor looked like while pack ran (tests check it was private and what it said).
    const given = argv[argv.findIndex((a) => a === '--descriptor' || a === '-d') + 1];
    let descriptor = null;
    try {
      if (argv.includes('--descriptor') || argv.includes('-d')) {
        descriptor = { path: given, dir: statSync(dirname(resolve(given))).mode & 0o777, file: statSync(given).mode & 0o777, text: readFileSync(given, 'utf8') };
      }
    } catch { descriptor = { path: given, missing: true }; }
    appendFileSync(process.env.PACK_STANDIN_ARGV_FILE, `${JSON.stringify({ argv, dockerConfig, modes, descriptor, pid: process.pid })}\n`);
  }
  const globalOnly = argv.filter((a) => !['--no-color', '--force-color', '--timestamps'].includes(a));
  if (globalOnly[0] === '--version' || globalOnly[0] === 'version') {
    process.stdout.write(`${process.env.PACK_STANDIN_VERSION ?? '0.40.9+git-standin.build-1'}\n`);
    return;
  }
  const [command, ...rest] = globalOnly;
  if (command === 'build') return build(rest);
  if (command === 'builder' && rest[0] === 'suggest') { printSuggestions(); return; }
  fail(`unknown command "${command ?? ''}" for "pack"`);
}

await main(process.argv.slice(2));
