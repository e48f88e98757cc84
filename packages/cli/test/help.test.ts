import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rm } from 'node:fs/promises';
import { execa } from 'execa';
import { BIN, copyFixture, runCli } from './support/run-cli.js';

const top = await runCli(['--help']);
const commandsBlock = top.stdout.split('Commands:')[1]?.split('\n\n')[0] ?? '';
const commands = commandsBlock.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((c): c is string => Boolean(c));

test('--help lists the commands', () => {
  assert.is(top.exitCode, 0);
  for (const name of ['detect', 'build', 'deploy', 'status', 'logs', 'rollback', 'destroy', 'apps', 'init', 'doctor', 'platform']) {
    assert.ok(commands.includes(name), `${name} in ${commands.join(', ')}`);
  }
});

test('every command has --help with usage, options and at least one example of itself', async () => {
  for (const name of commands) {
    const r = await runCli([name, '--help']);
    assert.is(r.exitCode, 0, `${name} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`\\$ bim-pack ${name}`), `${name}: usage line`);
    const examples = r.stdout.split('Examples:')[1] ?? '';
    assert.match(examples, new RegExp(`^\\s*(\\S+=\\S+ )?bim-pack ${name}\\b`, 'm'), `${name}: an example`);
    assert.not.match(r.stdout, /\x1b\[/);
  }
});

test('without a terminal: no colour codes, no cursor movement, one line per stage with its time', async () => {
  const dir = await copyFixture('static-plain');
  const r = await runCli(['doctor', dir], { env: { HOME: dir, BACKEND_IM_URL: undefined } });
  assert.not.match(`${r.stdout}${r.stderr}`, /\x1b\[|\r/);
  assert.match(r.stderr, /^==> doctor .* \(at \d+\.\ds\)$/m);
  const init = await runCli(['init', dir, '--dry-run']);
  assert.is(init.exitCode, 0);
  assert.not.match(`${init.stdout}${init.stderr}`, /\x1b\[|\r/);
  await rm(dir, { recursive: true, force: true });
});

test('on a terminal: a live line shows the current stage and its elapsed time, and each finished stage gets a timed line', async () => {
  const dir = await copyFixture('static-plain');
  // script(1) gives the CLI a real pseudo-terminal; its output is what the terminal received.
  const r = await execa('script', ['-qec', `node ${BIN} doctor ${dir}`, '/dev/null'], {
    reject: false, env: { HOME: dir, BACKEND_IM_URL: undefined, CI: undefined, NO_COLOR: undefined, TERM: 'xterm' },
  });
  assert.match(r.stdout, /\r\x1b\[2K\S+ doctor \d+\.\ds \(total \d+\.\ds\)/);
  assert.match(r.stdout, /✗\x1b\[0m doctor \x1b\[2m\d+\.\ds/);
  await rm(dir, { recursive: true, force: true });
});

test.run();
