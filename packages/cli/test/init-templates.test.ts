import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ERROR_CODES } from '@bim-pack/shared';
import { CLAUDE_COMMAND, CLAUDE_COMMAND_PATH } from '../src/init/templates/claude-command.js';
import { CLAUDE_MD_END, CLAUDE_MD_SECTION, CLAUDE_MD_START, mergeClaudeMd } from '../src/init/templates/claude-md.js';
import { REPO_ROOT } from './support/run-cli.js';

test('the /deploy command: Claude Code frontmatter, $ARGUMENTS, and the committed copy is the template', async () => {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(CLAUDE_COMMAND);
  assert.ok(match, 'YAML frontmatter between --- lines');
  const front = parse(match[1]!);
  assert.equal(Object.keys(front).sort(), ['allowed-tools', 'argument-hint', 'description']);
  assert.type(front.description, 'string');
  for (const tool of String(front['allowed-tools']).split(/,\s*/)) assert.match(tool, /^(Bash\([^)]+:\*\)|Read|Grep|Glob)$/, tool);
  assert.match(CLAUDE_COMMAND, /bim-pack deploy --json \$ARGUMENTS/);
  assert.is(await readFile(join(REPO_ROOT, CLAUDE_COMMAND_PATH), 'utf8'), CLAUDE_COMMAND);
});

test('the /deploy command names only real error codes, and says what to do for the ones agents meet', () => {
  const named = new Set([...CLAUDE_COMMAND.matchAll(/\b[A-Z]+(?:_[A-Z]+)+\b/g)].map((m) => m[0]).filter((w) => !/^(BACKEND_IM|GITHUB)_/.test(w)));
  for (const code of named) assert.ok(code in ERROR_CODES, `${code} is not an error code`);
  for (const code of ['CONFIG_ENV_MISSING', 'CONFIG_NO_TARGET', 'TESTS_FAILED', 'BUILD_PACK_MISSING', 'DEPLOY_FAILED', 'SMOKE_FAILED', 'API_UNREACHABLE', 'DEPLOY_UNAUTHORIZED']) {
    assert.ok(named.has(code), `${code} has a row`);
  }
  assert.match(CLAUDE_COMMAND, /\| SMOKE_FAILED \|[^\n]*bim-pack logs/);
  assert.match(CLAUDE_COMMAND, /\| API_UNREACHABLE \|[^\n]*bim-pack status/);
});

test('CLAUDE.md merge: create, append once, keep an edited section unless --force', () => {
  assert.equal(mergeClaudeMd(null, false), { text: CLAUDE_MD_SECTION, action: 'create' });
  const appended = mergeClaudeMd('# Notes', false);
  assert.equal(appended, { text: `# Notes\n\n${CLAUDE_MD_SECTION}`, action: 'append' });
  assert.equal(mergeClaudeMd(appended.text, false), { text: null, action: 'skip' });
  const edited = `# Notes\n\n${CLAUDE_MD_START}\nmine\n${CLAUDE_MD_END}\n\n## After\n`;
  assert.equal(mergeClaudeMd(edited, false), { text: null, action: 'skip' });
  assert.equal(mergeClaudeMd(edited, true), { text: `# Notes\n\n${CLAUDE_MD_SECTION}\n## After\n`, action: 'overwrite' });
});

test.run();
