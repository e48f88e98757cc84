/** Procfile parsing: `name: command` lines; `web` is the process that serves HTTP. */

/** One Procfile process with its 1-based line. */
export interface ProcfileEntry {
  name: string;
  command: string;
  line: number;
}

/** Parses Procfile text; comments and blank lines are skipped, later duplicates win. */
export function parseProcfile(text: string): ProcfileEntry[] {
  const entries = new Map<string, ProcfileEntry>();
  text.split('\n').forEach((raw, index) => {
    const match = /^\s*([A-Za-z0-9_-]+)\s*:\s*(.*?)\s*$/.exec(raw.replace(/\r$/, ''));
    if (!match || raw.trimStart().startsWith('#') || !match[2]) return;
    entries.set(match[1]!, { name: match[1]!, command: match[2], line: index + 1 });
  });
  return [...entries.values()];
}
