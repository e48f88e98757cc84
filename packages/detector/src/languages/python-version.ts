/**
 * The Python version an app pins: .python-version, runtime.txt, .tool-versions,
 * then requires-python / the poetry or Pipfile python entry.
 */
import type { AppFiles, Found } from '../types.js';
import { cite, firstValue, found, matchLine, readToolVersions, toVersionConstraint } from './module-kit.js';
import type { Pipfile, Pyproject } from './python-deps.js';

/** The pinned version and, when it is an exact pin, the BP_CPYTHON_VERSION value. */
export interface PythonVersion {
  version: Found<string | null>;
  /** Constraint for BP_CPYTHON_VERSION, null when unpinned or only a lower bound. */
  constraint: string | null;
}

/** `==3.12.*`, `~=3.11`, `3.12` are pins; `>=3.10` is only a floor the default Python meets. */
function pinOf(spec: string): string | null {
  const s = spec.trim();
  const eq = /^==\s*(\d+(?:\.\d+){0,2})(?:\.\*)?$/.exec(s);
  if (eq?.[1]) return toVersionConstraint(eq[1]);
  const compatible = /^~=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(s);
  if (compatible) return compatible[3] !== undefined ? `${compatible[1]}.${compatible[2]}.*` : `${compatible[1]}.*`;
  return toVersionConstraint(s);
}

/** Reads the app's Python version pin. */
export async function readPythonVersion(files: AppFiles, pyproject: Pyproject | null, pipfile: Pipfile | null): Promise<PythonVersion> {
  const dotVersion = await files.text('.python-version');
  const pinned = dotVersion === null ? null : firstValue(dotVersion);
  if (pinned) {
    return {
      version: found(pinned.value, cite('pins the interpreter', '.python-version', pinned.line)),
      constraint: toVersionConstraint(pinned.value),
    };
  }
  const runtime = await files.text('runtime.txt');
  const runtimeHit = runtime === null ? null : matchLine(runtime, /python-(\d+(?:\.\d+){0,2})/);
  if (runtimeHit?.match[1]) {
    return {
      version: found(runtimeHit.match[1], cite('pins the interpreter (Heroku rejects runtime.txt; .python-version is the current convention)', 'runtime.txt', runtimeHit.line)),
      constraint: toVersionConstraint(runtimeHit.match[1]),
    };
  }
  const tool = await readToolVersions(files, ['python']);
  if (tool) {
    return {
      version: found(tool.version, cite('pins python', '.tool-versions', tool.line)),
      constraint: toVersionConstraint(tool.version),
    };
  }
  const requires = pyproject?.project?.['requires-python']
    ?? (typeof pyproject?.tool?.poetry?.dependencies?.python === 'string' ? pyproject.tool.poetry.dependencies.python : undefined);
  if (requires) {
    const text = (await files.text('pyproject.toml')) ?? '';
    const line = matchLine(text, /^\s*(requires-python|python)\s*=/m)?.line;
    const constraint = pinOf(requires);
    return {
      version: found(requires, cite(constraint
        ? 'pins the Python version'
        : 'a lower bound only: the buildpack default Python satisfies it', 'pyproject.toml', line)),
      constraint,
    };
  }
  const pipVersion = pipfile?.requires?.python_full_version ?? pipfile?.requires?.python_version;
  if (pipVersion) {
    const text = (await files.text('Pipfile')) ?? '';
    const line = matchLine(text, /^\s*python_(full_)?version\s*=/m)?.line;
    return { version: found(pipVersion, cite('[requires] pins python', 'Pipfile', line)), constraint: toVersionConstraint(pipVersion) };
  }
  return { version: found(null, cite('no Python version pinned: the buildpack default is used')), constraint: null };
}
