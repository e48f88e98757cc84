/** Real temporary file trees for the walk and bad-input tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Creates a temp folder with the given files (path -> content) and returns it with a remover. */
export function makeTree(files: Record<string, string | Buffer> = {}): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bim-detect-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
