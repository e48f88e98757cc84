/**
 * Python dependency reading: requirements.txt (with -r includes), pyproject.toml
 * (PEP 621, poetry, dependency groups) and Pipfile. Names are normalised (PEP 503).
 */
import { z } from 'zod';
import type { AppFiles } from '../types.js';
import { escapeRegExp, matchLine, readToml } from './module-kit.js';

/** Where a dependency was declared. */
export interface DeclaredDependency {
  file: string;
  line?: number;
}

/** Normalised dependency name -> where it was first declared. */
export type PythonDependencies = Map<string, DeclaredDependency>;

/** PEP 503 name normalisation. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

const StringList = z.array(z.string()).catch([]);
const StringRecord = z.record(z.string(), z.unknown()).catch({});
const PyprojectSchema = z.object({
  project: z.object({
    name: z.string().optional().catch(undefined),
    'requires-python': z.string().optional().catch(undefined),
    dependencies: StringList.optional(),
    'optional-dependencies': z.record(z.string(), StringList).catch({}).optional(),
  }).passthrough().optional().catch(undefined),
  'dependency-groups': z.record(z.string(), z.array(z.unknown()).catch([])).catch({}).optional(),
  tool: z.object({
    poetry: z.object({
      name: z.string().optional().catch(undefined),
      dependencies: StringRecord.optional(),
      'dev-dependencies': StringRecord.optional(),
      group: z.record(z.string(), z.object({ dependencies: StringRecord.optional() }).catch({})).catch({}).optional(),
    }).passthrough().optional().catch(undefined),
    pytest: z.unknown().optional(),
  }).passthrough().optional().catch(undefined),
}).passthrough();
/** The parts of pyproject.toml we read. */
export type Pyproject = z.infer<typeof PyprojectSchema>;

const PipfileSchema = z.object({
  packages: StringRecord.optional(),
  'dev-packages': StringRecord.optional(),
  requires: z.object({
    python_version: z.string().optional().catch(undefined),
    python_full_version: z.string().optional().catch(undefined),
  }).passthrough().optional().catch(undefined),
}).passthrough();
/** The parts of a Pipfile we read. */
export type Pipfile = z.infer<typeof PipfileSchema>;

/** Reads pyproject.toml (null when missing or invalid; invalid records a warning). */
export async function readPyproject(files: AppFiles): Promise<Pyproject | null> {
  const data = await readToml(files, 'pyproject.toml');
  if (data === null) return null;
  const parsed = PyprojectSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** Reads the Pipfile (null when missing or invalid). */
export async function readPipfile(files: AppFiles): Promise<Pipfile | null> {
  const data = await readToml(files, 'Pipfile');
  if (data === null) return null;
  const parsed = PipfileSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

async function addRequirements(files: AppFiles, path: string, deps: PythonDependencies, seen: Set<string>): Promise<void> {
  if (seen.has(path) || seen.size > 10) return;
  seen.add(path);
  const text = await files.text(path);
  if (text === null) return;
  const lines = text.split('\n');
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/\s#.*$/, '').trim();
    if (!raw || raw.startsWith('#')) continue;
    const include = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(raw);
    if (include?.[1]) {
      await addRequirements(files, `${dir}${include[1]}`.replace(/^\.\//, ''), deps, seen);
      continue;
    }
    if (raw.startsWith('-')) continue;
    const egg = /#egg=([A-Za-z0-9._-]+)/.exec(lines[i] ?? '');
    const name = egg?.[1] ?? (raw.includes('://') ? undefined : NAME.exec(raw)?.[1]);
    if (name) {
      const key = normalizePythonName(name);
      if (!deps.has(key)) deps.set(key, { file: path, line: i + 1 });
    }
  }
}

function addNamed(deps: PythonDependencies, names: Iterable<string>, file: string, text: string | null): void {
  for (const entry of names) {
    const name = NAME.exec(entry)?.[1];
    if (!name || name.toLowerCase() === 'python') continue;
    const key = normalizePythonName(name);
    if (deps.has(key)) continue;
    const at = text ? matchLine(text, new RegExp(`(^|["'\\s])${escapeRegExp(name)}\\b`, 'im')) : null;
    deps.set(key, at ? { file, line: at.line } : { file });
  }
}

/** Collects the declared dependencies of every manifest the app has. */
export async function readPythonDependencies(
  files: AppFiles, pyproject: Pyproject | null, pipfile: Pipfile | null,
): Promise<PythonDependencies> {
  const deps: PythonDependencies = new Map();
  const requirementFiles = files.find((p) => /^requirements(\.txt|[/-][^/]*\.txt)$/.test(p) || p === 'requirements-dev.txt');
  const seen = new Set<string>();
  if (files.has('requirements.txt')) await addRequirements(files, 'requirements.txt', deps, seen);
  for (const path of requirementFiles) await addRequirements(files, path, deps, seen);
  if (pyproject) {
    const text = await files.text('pyproject.toml');
    const project = pyproject.project;
    addNamed(deps, project?.dependencies ?? [], 'pyproject.toml', text);
    for (const list of Object.values(project?.['optional-dependencies'] ?? {})) addNamed(deps, list, 'pyproject.toml', text);
    for (const list of Object.values(pyproject['dependency-groups'] ?? {})) {
      addNamed(deps, list.filter((x): x is string => typeof x === 'string'), 'pyproject.toml', text);
    }
    const poetry = pyproject.tool?.poetry;
    addNamed(deps, Object.keys(poetry?.dependencies ?? {}), 'pyproject.toml', text);
    addNamed(deps, Object.keys(poetry?.['dev-dependencies'] ?? {}), 'pyproject.toml', text);
    for (const group of Object.values(poetry?.group ?? {})) addNamed(deps, Object.keys(group.dependencies ?? {}), 'pyproject.toml', text);
  }
  if (pipfile) {
    const text = await files.text('Pipfile');
    addNamed(deps, Object.keys(pipfile.packages ?? {}), 'Pipfile', text);
    addNamed(deps, Object.keys(pipfile['dev-packages'] ?? {}), 'Pipfile', text);
  }
  return deps;
}
