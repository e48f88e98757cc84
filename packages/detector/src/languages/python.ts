/**
 * Python: pip, poetry, pipenv, uv or a plain PEP 621 pyproject; django, flask, fastapi;
 * the production server start command found by reading the app module.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { BUILDERS, cite, defaultProcessEnv, found, warning } from './module-kit.js';
import { findPythonEntry, type PythonEntry } from './python-app.js';
import { normalizePythonName, readPipfile, readPyproject, readPythonDependencies, type Pyproject } from './python-deps.js';
import { readPythonVersion } from './python-version.js';

const MANIFESTS = ['requirements.txt', 'pyproject.toml', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'uv.lock', 'setup.py'];

/** Package manager from lock files first, then manifests. */
function choosePackageManager(files: AppFiles, pyproject: Pyproject | null): { value: string | null; evidence: Evidence[] } {
  if (files.has('uv.lock')) return { value: 'uv', evidence: [cite('uv\'s lock file', 'uv.lock')] };
  if (files.has('poetry.lock')) return { value: 'poetry', evidence: [cite('poetry\'s lock file', 'poetry.lock')] };
  if (pyproject?.tool?.poetry) return { value: 'poetry', evidence: [cite('[tool.poetry] table', 'pyproject.toml')] };
  if (files.has('Pipfile.lock') || files.has('Pipfile')) {
    const file = files.has('Pipfile.lock') ? 'Pipfile.lock' : 'Pipfile';
    return { value: 'pipenv', evidence: [cite('pipenv\'s manifest', file)] };
  }
  if (files.has('requirements.txt')) return { value: 'pip', evidence: [cite('installed with pip', 'requirements.txt')] };
  if (pyproject?.project) {
    return { value: 'pip', evidence: [cite('plain PEP 621 pyproject.toml ([project] table, no lock file): installed as a package', 'pyproject.toml')] };
  }
  return { value: null, evidence: [cite('no requirements.txt, pyproject.toml or Pipfile')] };
}

/** The production server command for an entry point; binds every interface on PORT. */
function serverCommand(entry: PythonEntry, server: 'gunicorn' | 'uvicorn'): string {
  // App factories are calls: quote them, since the command runs through a shell.
  const target = /[()]/.test(entry.target ?? '') ? `'${entry.target}'` : entry.target ?? '';
  if (server === 'uvicorn') {
    const dir = entry.chdir ? ` --app-dir ${entry.chdir}` : '';
    return `uvicorn ${target} --host 0.0.0.0 --port \${PORT:-8080}${dir}`;
  }
  const dir = entry.chdir ? ` --chdir ${entry.chdir}` : '';
  return `gunicorn ${target} --bind 0.0.0.0:\${PORT:-8080}${dir}`;
}

function addCommand(files: AppFiles, manager: string | null, name: string): string {
  if (manager === 'poetry') return `poetry add ${name}`;
  if (manager === 'pipenv') return `pipenv install ${name}`;
  if (manager === 'uv') return `uv add ${name}`;
  if (!files.has('requirements.txt') && files.has('pyproject.toml')) return `add "${name}" to [project] dependencies in pyproject.toml`;
  return `add ${name} to requirements.txt`;
}

function testCommand(manager: string | null, usesPytest: boolean, entry: PythonEntry | null): string | null {
  if (usesPytest) {
    const prefix = manager === 'poetry' ? 'poetry run ' : manager === 'pipenv' ? 'pipenv run ' : manager === 'uv' ? 'uv run ' : 'python -m ';
    return `${prefix}pytest`;
  }
  if (entry?.framework === 'django') return `python ${entry.chdir ? `${entry.chdir}/` : ''}manage.py test`;
  return null;
}

/** The Python language module. */
export const python: LanguageDetector = {
  language: 'python',
  score(files) {
    if (files.has('manage.py')) return 12;
    if (MANIFESTS.some((m) => files.has(m))) return 10;
    if (files.files.some((p) => !p.includes('/') && p.endsWith('.py'))) return 3;
    return 0;
  },
  async detect(files): Promise<LanguageFindings> {
    const pyproject = await readPyproject(files);
    const pipfile = files.has('Pipfile') ? await readPipfile(files) : null;
    const deps = await readPythonDependencies(files, pyproject, pipfile);
    const has = (name: string) => deps.has(normalizePythonName(name));
    const manager = choosePackageManager(files, pyproject);
    const version = await readPythonVersion(files, pyproject, pipfile);
    if (manager.value === 'pip' && !files.has('requirements.txt')) {
      files.warn(warning('PYTHON_NO_REQUIREMENTS', 'pyproject.toml without requirements.txt or a lock file: Heroku refuses the build and Paketo\'s pip buildpack looks for requirements.txt', {
        file: 'pyproject.toml', hint: 'add a requirements.txt whose only line is "." (pip then installs this project and its dependencies)',
      }));
    }
    const entry = await findPythonEntry(files, has);

    const startEvidence: Evidence[] = [cite('Paketo\'s default Python process is `python` (a REPL) and Heroku needs a Procfile: a web server command is required')];
    let start: string | null = null;
    if (entry?.target) {
      const server = entry.kind === 'asgi' || (!has('gunicorn') && has('uvicorn') && entry.framework !== 'flask') ? 'uvicorn' : 'gunicorn';
      start = serverCommand(entry, server);
      startEvidence.push(...entry.evidence, cite(`${entry.kind.toUpperCase()} app served by ${server} on 0.0.0.0:$PORT`));
      const declared = deps.get(server);
      if (declared) startEvidence.push(cite(`${server} is a dependency`, declared.file, declared.line));
      else {
        files.warn(warning('PYTHON_SERVER_MISSING', `${server} is not in the dependencies; the start command "${start}" needs it`, {
          hint: addCommand(files, manager.value, server),
        }));
      }
    } else {
      const example = entry?.kind === 'asgi' ? 'uvicorn module:app --host 0.0.0.0 --port $PORT' : 'gunicorn module:app --bind 0.0.0.0:$PORT';
      if (entry) startEvidence.push(...entry.evidence);
      startEvidence.push(cite(`${entry ? `${entry.framework} app found but not its app object` : 'no django, flask or fastapi entry point found'}: add a Procfile with "web: ${example}"`));
    }

    if (entry?.staticRoot) {
      files.warn(warning('DJANGO_COLLECTSTATIC', 'STATIC_ROOT is set but Paketo\'s Python buildpacks do not run collectstatic: static files would be missing', {
        ...entry.staticRoot,
        hint: `use a Procfile "web: python ${entry.chdir ? `${entry.chdir}/` : ''}manage.py collectstatic --noinput && ${start ?? 'gunicorn ...'}"`,
      }));
    }
    const process = await defaultProcessEnv(files, start);
    const env: Record<string, string> = { ...process.env };
    const envEvidence: Evidence[] = [...process.evidence];
    if (version.constraint) {
      env.BP_CPYTHON_VERSION = version.constraint;
      envEvidence.push(cite(`BP_CPYTHON_VERSION=${version.constraint} honours the pinned Python`));
    }
    if (manager.value === 'uv') {
      env.BP_ENABLE_PACKAGE_MANAGERS = 'true';
      envEvidence.push(cite('Paketo installs uv.lock projects only with BP_ENABLE_PACKAGE_MANAGERS=true', 'uv.lock'));
    }
    const usesPytest = has('pytest') || files.has('pytest.ini') || files.has('conftest.py') || pyproject?.tool?.pytest !== undefined;
    const test = testCommand(manager.value, usesPytest, entry);
    const pytestAt = deps.get('pytest');
    const declaredAt = (name: string): Evidence[] => {
      const at = deps.get(name);
      return at ? [cite(`${name} is a dependency`, at.file, at.line)] : [];
    };

    const projectName = pyproject?.project?.name ?? pyproject?.tool?.poetry?.name;
    return {
      ...(projectName ? { name: found(projectName, cite('the project name', 'pyproject.toml')) } : {}),
      language: found('python', ...(MANIFESTS.filter((m) => files.has(m)).map((m) => cite('marks a Python app', m))),
        ...(MANIFESTS.some((m) => files.has(m)) ? [] : [cite('Python modules at the app root')])),
      packageManager: found(manager.value, ...manager.evidence),
      framework: found(entry?.framework ?? null, ...(entry ? [...entry.evidence.slice(0, 1), ...declaredAt(entry.framework)] : [cite('no django, flask or fastapi dependency')])),
      runtimeVersion: version.version,
      buildCommand: found(null, cite('Python apps install their dependencies; no build step')),
      start: found(start, ...startEvidence),
      test: found(test, ...(test === null ? [cite('no pytest dependency or configuration')]
        : pytestAt ? [cite('pytest is a dependency', pytestAt.file, pytestAt.line)]
          : usesPytest ? [cite('pytest configuration found')] : [cite('Django\'s test runner')])),
      port: start
        ? { honoursPortEnv: true, hardcoded: null, evidence: [cite('the start command binds 0.0.0.0:$PORT')] }
        : { honoursPortEnv: null, hardcoded: null, evidence: [cite('no start command: the port cannot be told')] },
      builder: found(BUILDERS.paketoBase, cite('Paketo runs the start command through BP_PROCFILE_DEFAULT_PROCESS without a Procfile; Heroku needs a Procfile for Python')),
      buildpacks: found([], cite('the builder\'s own order detects Python')),
      buildEnv: found(env, ...envEvidence),
    };
  },
};
