/**
 * The CLAUDE.md section `bim-pack init` adds to an app's CLAUDE.md, between markers so a second
 * run finds it and changes nothing.
 */

/** The markers around our section. */
export const CLAUDE_MD_START = '<!-- bim-pack:start -->';
export const CLAUDE_MD_END = '<!-- bim-pack:end -->';

/** The section, markers included. */
export const CLAUDE_MD_SECTION = `${CLAUDE_MD_START}
## Deploying (bim-pack)

- Deploy with \`/deploy\` or \`bim-pack deploy --json\`: it runs the tests, builds with Cloud Native Buildpacks,
  deploys to Backend.im, waits until live and smoke-tests. Act on \`error.code\` as \`.claude/commands/deploy.md\` says.
- How the app is built and run lives in \`project.toml\` (\`[io.buildpacks]\` and \`[im.backend]\`); check the plan
  with \`bim-pack detect --json\` and the setup with \`bim-pack doctor --json\`.
- Runtime env names are listed in \`.env.example\`; values go in \`.env\`, which is never committed. Never print secrets.
- After a deploy: \`bim-pack status\`, \`bim-pack logs\`, \`bim-pack rollback\`.
${CLAUDE_MD_END}
`;

/**
 * The new CLAUDE.md text: the section appended (or, with replace, swapped in place of the old
 * one); null when the file already holds this exact section.
 */
export function mergeClaudeMd(existing: string | null, replace: boolean): { text: string; action: 'create' | 'append' | 'overwrite' } | { text: null; action: 'skip' } {
  if (existing === null) return { text: CLAUDE_MD_SECTION, action: 'create' };
  const start = existing.indexOf(CLAUDE_MD_START);
  const end = existing.indexOf(CLAUDE_MD_END, start);
  if (start < 0 || end < 0) {
    const gap = existing === '' ? '' : existing.endsWith('\n\n') ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
    return { text: `${existing}${gap}${CLAUDE_MD_SECTION}`, action: 'append' };
  }
  const after = end + CLAUDE_MD_END.length + (existing[end + CLAUDE_MD_END.length] === '\n' ? 1 : 0);
  const current = existing.slice(start, after);
  // An edited section is the user's: kept unless --force.
  if (current === CLAUDE_MD_SECTION || !replace) return { text: null, action: 'skip' };
  return { text: `${existing.slice(0, start)}${CLAUDE_MD_SECTION}${existing.slice(after)}`, action: 'overwrite' };
}
