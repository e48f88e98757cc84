/**
 * AppFiles over one walk: a folder's view of the walked files plus careful reads.
 * Reads are bounded (1 MB), never block on special files and turn every failure
 * into a plan warning and a null, so bad input cannot crash detection.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanWarning } from '@bim-pack/shared';
import type { AppFiles } from './types.js';

/** Files larger than this are never read. */
export const MAX_READ_BYTES = 1024 * 1024;

/** Creates the view of `prefix` (relative to the walk root, '' for the root) over the walked files. */
export function createAppFiles(root: string, allFiles: readonly string[], prefix: string, warnings: PlanWarning[], workspace?: { files: AppFiles; fromRoot: string }): AppFiles {
  const dir = prefix ? join(root, prefix) : root;
  const files = prefix
    ? allFiles.filter((f) => f.startsWith(`${prefix}/`)).map((f) => f.slice(prefix.length + 1))
    : [...allFiles];
  const set = new Set(files);
  const texts = new Map<string, Promise<string | null>>();
  const warnedJson = new Set<string>();
  const warn = (warning: PlanWarning) => {
    if (!warnings.some((w) => w.code === warning.code && w.file === warning.file && w.message === warning.message)) warnings.push(warning);
  };
  const text = (path: string): Promise<string | null> => {
    if (!set.has(path)) return Promise.resolve(null);
    let cached = texts.get(path);
    if (!cached) {
      cached = readBounded(join(dir, path)).then((result) => {
        if (typeof result === 'string') return result;
        warn({ code: `FILE_${result.problem}`, message: `${path}: ${result.message}; not read`, file: path });
        return null;
      });
      texts.set(path, cached);
    }
    return cached;
  };
  return {
    dir,
    ...(workspace ? { workspaceRoot: workspace.files, fromRoot: workspace.fromRoot } : {}),
    files,
    has: (path) => set.has(path),
    text,
    async json(path) {
      const content = await text(path);
      if (content === null) return null;
      try {
        return JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content) as unknown;
      } catch (error) {
        if (!warnedJson.has(path)) {
          warnedJson.add(path);
          const { line, detail } = jsonErrorLine(content, error as Error);
          warn({ code: 'FILE_INVALID_JSON', message: `${path} is not valid JSON (${detail}); ignored`, file: path, ...(line ? { line } : {}), hint: `fix ${path}, e.g. check it with \`node -e "JSON.parse(require('fs').readFileSync('${path}','utf8'))"\`` });
        }
        return null;
      }
    },
    find: (predicate) => files.filter(predicate),
    warn,
  };
}

type ReadProblem = { problem: 'UNREADABLE' | 'TOO_LARGE' | 'BINARY' | 'NOT_REGULAR'; message: string };

/** Reads at most MAX_READ_BYTES of a regular file as UTF-8; reports why not otherwise. */
async function readBounded(path: string): Promise<string | ReadProblem> {
  let handle;
  try {
    // O_NONBLOCK: a FIFO swapped in after the walk must not hang detection.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: 'UNREADABLE', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'NOT_REGULAR', message: 'is not a regular file' };
    if (info.size > MAX_READ_BYTES) {
      return { problem: 'TOO_LARGE', message: `is ${formatSize(info.size)}, above the ${formatSize(MAX_READ_BYTES)} read limit` };
    }
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytes.subarray(0, 8192).includes(0)) return { problem: 'BINARY', message: 'is binary' };
    return bytes.toString('utf8');
  } catch (error) {
    return { problem: 'UNREADABLE', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await handle.close();
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}

/** Best-effort line of a JSON.parse error (V8 reports a position or a line/column). */
function jsonErrorLine(text: string, error: Error): { line?: number; detail: string } {
  // V8 quotes the offending text; keep the detail printable and short.
  const message = (error.message.split('\n')[0] ?? 'parse error').replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), detail: message };
  const position = /position (\d+)/.exec(message);
  if (position) {
    const line = text.slice(0, Number(position[1])).split('\n').length;
    return { line, detail: message.replace(/\s*\(line \d+ column \d+\)/, '') };
  }
  return { detail: message };
}
