// Regenerates the parts of README.md that come from the code: the command reference
// (each command's --help) and the exit-code table. A test fails when README.md drifts.
// Usage: pnpm -r run build && node scripts/gen-readme.mjs [--check]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const bin = `${root}packages/cli/dist/bin.js`;
const commands = ['detect', 'build', 'deploy', 'status', 'logs', 'rollback', 'destroy', 'apps', 'init', 'doctor', 'platform'];

const help = (args) => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  .replace(/bim-pack\/\d+\.\d+\.\d+\S*/g, 'bim-pack')
  .trimEnd();

const reference = commands
  .map((name) => `### \`bim-pack ${name}\`\n\n\`\`\`text\n${help([name, '--help'])}\n\`\`\``)
  .join('\n\n');

const { EXIT, ERROR_CODES } = await import(`${root}packages/shared/dist/index.js`);
const meaning = {
  ok: 'success', internal: 'internal error (a bug: run with --debug and report it)',
  config: 'configuration or usage: bad flag, project.toml, .env, missing env or target, platform start-up',
  detect: 'detection: path missing, no app found, ambiguous monorepo root', tests: "the app's own tests failed",
  build: 'build: pack missing or too old, Docker engine down, no buildpack detected, pack failed, secret found in the image',
  publish: 'publish: registry denied or unreachable, digest missing or mismatched',
  deploy: 'deploy: the deployment failed or was rejected (the API gave a verdict)',
  smoke: 'smoke test failed after live; the app was rolled back',
  unreachable: 'lost contact with the API: the deployment may still finish (check with `bim-pack status`)',
  checks: '`bim-pack doctor`: at least one check failed', interrupted: 'interrupted (Ctrl-C)',
};
const exitTable = ['| exit | class | meaning | error codes |', '|---|---|---|---|',
  ...Object.entries(EXIT).map(([klass, code]) => {
    const codes = Object.entries(ERROR_CODES).filter(([, k]) => k === klass).map(([c]) => `\`${c}\``).join(', ');
    return `| ${code} | ${klass} | ${meaning[klass] ?? ''} | ${codes || '—'} |`;
  })].join('\n');

const path = `${root}README.md`;
const before = readFileSync(path, 'utf8');
const fill = (text, name, body) => text.replace(
  new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`),
  (_, a, b) => `${a}\n${body}\n${b}`,
);
const after = fill(fill(before, 'commands', reference), 'exit-codes', exitTable);
if (process.argv.includes('--check')) {
  if (after !== before) { console.error('README.md is out of date: run node scripts/gen-readme.mjs'); process.exit(1); }
} else {
  writeFileSync(path, after);
}
