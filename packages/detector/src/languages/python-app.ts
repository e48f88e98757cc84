/**
 * Finds a Python web app's entry point by reading its modules: Django's WSGI
 * application from manage.py and settings, Flask's and FastAPI's app variable.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles } from '../types.js';
import { cite, matchLine } from './module-kit.js';

/** The web entry point of a Python app. */
export interface PythonEntry {
  framework: 'django' | 'flask' | 'fastapi';
  /** WSGI apps run under gunicorn, ASGI apps under uvicorn. */
  kind: 'wsgi' | 'asgi';
  /** `module:attribute` (a call for app factories), or null when not found. */
  target: string | null;
  /** Folder the server must run in (relative to the app), or null for the app folder. */
  chdir: string | null;
  /** Django settings file that sets STATIC_ROOT (static files need collectstatic), if any. */
  staticRoot?: { file: string; line: number };
  evidence: Evidence[];
}

const SKIP = /(^|\/)(tests?|migrations|docs|scripts|venv|\.venv|env|site-packages|__pycache__)\//;
const PREFERRED = ['app', 'main', 'wsgi', 'asgi', 'server', 'application', 'run', 'api'];

/** Python source files worth reading, best entry-point candidates first. */
function candidateModules(files: AppFiles): string[] {
  const rank = (p: string): number => {
    const base = p.slice(p.lastIndexOf('/') + 1, -3);
    const depth = p.split('/').length - 1;
    const preferred = PREFERRED.indexOf(base === '__init__' ? 'app' : base);
    return depth * 100 + (preferred < 0 ? 50 : preferred);
  };
  return files
    .find((p) => p.endsWith('.py') && !SKIP.test(p) && p.split('/').length <= 4)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .slice(0, 200);
}

/** `pkg/app.py` -> module `pkg.app` and the folder to run in (src layouts run inside src/). */
function moduleOf(path: string): { module: string; chdir: string | null } {
  const inSrc = path.startsWith('src/');
  const rel = inSrc ? path.slice(4) : path;
  const module = rel.slice(0, -3).replace(/\//g, '.').replace(/\.__init__$/, '');
  return { module, chdir: inSrc ? 'src' : null };
}

/** Finds `app = Flask(...)` / `app = FastAPI(...)` or an app factory in the app's modules. */
async function findAppVariable(files: AppFiles, framework: 'flask' | 'fastapi'): Promise<PythonEntry | null> {
  const ctor = framework === 'flask' ? 'Flask' : 'FastAPI';
  const assign = new RegExp(`^(\\w+)\\s*(?::\\s*[\\w.]+\\s*)?=\\s*(?:\\w+\\.)?${ctor}\\(`, 'm');
  const factory = /^def\s+(create_app|make_app|app_factory)\s*\(/m;
  const kind = framework === 'flask' ? 'wsgi' : 'asgi';
  let factoryHit: PythonEntry | null = null;
  // `app = create_app()` in a wsgi.py-style module is the app object the factory builds.
  const built = /^(\w+)\s*=\s*(?:\w+\.)?(create_app|make_app|app_factory)\(/m;
  for (const path of candidateModules(files)) {
    const text = await files.text(path);
    if (text === null) continue;
    const { module, chdir } = moduleOf(path);
    const call = text.includes(ctor) ? null : matchLine(text, built);
    if (call) {
      return {
        framework, kind, target: `${module}:${call.match[1]}`, chdir,
        evidence: [cite(`${call.match[1]} = ${call.match[2]}() builds the ${ctor} app`, path, call.line)],
      };
    }
    if (!text.includes(ctor)) continue;
    const hit = matchLine(text, assign);
    if (hit) {
      return {
        framework, kind, target: `${module}:${hit.match[1]}`, chdir,
        evidence: [cite(`${hit.match[1]} = ${ctor}(...) is the ${kind.toUpperCase()} app`, path, hit.line)],
      };
    }
    const made = matchLine(text, factory);
    if (made && !factoryHit) {
      factoryHit = {
        framework, kind, target: `${module}:${made.match[1]}()`, chdir,
        evidence: [cite(`app factory ${made.match[1]}() builds the ${ctor} app`, path, made.line)],
      };
    }
  }
  return factoryHit;
}

/** Django: manage.py names the settings module; settings name the WSGI application. */
async function findDjango(files: AppFiles): Promise<PythonEntry | null> {
  const manage = files.find((p) => /(^|\/)manage\.py$/.test(p) && p.split('/').length <= 2)
    .sort((a, b) => a.length - b.length)[0];
  if (!manage) return null;
  const base = manage.includes('/') ? manage.slice(0, manage.lastIndexOf('/') + 1) : '';
  const chdir = base ? base.slice(0, -1) : null;
  const evidence: Evidence[] = [cite('Django\'s manage.py', manage)];
  const manageText = (await files.text(manage)) ?? '';
  const settingsHit = matchLine(manageText, /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/);
  const settingsModule = settingsHit?.match[1] ?? null;
  if (settingsHit) evidence.push(cite(`settings module ${settingsModule}`, manage, settingsHit.line));
  const settingsFiles = settingsModule
    ? [`${base}${settingsModule.replace(/\./g, '/')}.py`, `${base}${settingsModule.replace(/\./g, '/')}/__init__.py`,
      `${base}${settingsModule.replace(/\./g, '/')}/base.py`, `${base}${settingsModule.replace(/\./g, '/')}/production.py`]
    : files.find((p) => p.startsWith(base) && /\/settings(\.py|\/(__init__|base)\.py)$/.test(p));
  for (const path of settingsFiles) {
    const text = await files.text(path);
    const wsgi = text === null ? null : matchLine(text, /^WSGI_APPLICATION\s*=\s*['"]([\w.]+)\.(\w+)['"]/m);
    if (wsgi) {
      evidence.push(cite(`WSGI_APPLICATION names ${wsgi.match[1]}.${wsgi.match[2]}`, path, wsgi.line));
      const staticRoot = matchLine(text ?? '', /^STATIC_ROOT\s*=/m);
      return {
        framework: 'django', kind: 'wsgi', target: `${wsgi.match[1]}:${wsgi.match[2]}`, chdir, evidence,
        ...(staticRoot ? { staticRoot: { file: path, line: staticRoot.line } } : {}),
      };
    }
  }
  // No WSGI_APPLICATION setting: Django's project template puts wsgi.py beside the settings.
  const project = settingsModule?.split('.')[0];
  const wsgiFile = project ? `${base}${project}/wsgi.py` : files.find((p) => p.startsWith(base) && p.endsWith('/wsgi.py'))[0];
  if (wsgiFile && files.has(wsgiFile)) {
    const text = (await files.text(wsgiFile)) ?? '';
    const app = matchLine(text, /^(application|app)\s*=/m);
    const module = wsgiFile.slice(base.length, -3).replace(/\//g, '.');
    evidence.push(cite(`${module} defines the WSGI application`, wsgiFile, app?.line));
    return { framework: 'django', kind: 'wsgi', target: `${module}:${app?.match[1] ?? 'application'}`, chdir, evidence };
  }
  return { framework: 'django', kind: 'wsgi', target: null, chdir, evidence };
}

/** A Django project served by uvicorn (no gunicorn) runs its ASGI module, which startproject writes beside wsgi.py. */
function preferAsgi(files: AppFiles, entry: PythonEntry, has: (name: string) => boolean): PythonEntry {
  if (!entry.target?.includes('.wsgi:') || has('gunicorn') || !has('uvicorn')) return entry;
  const module = entry.target.replace(/\.wsgi:.*$/, '.asgi');
  const file = `${entry.chdir ? `${entry.chdir}/` : ''}${module.replace(/\./g, '/')}.py`;
  if (!files.has(file)) return entry;
  return { ...entry, kind: 'asgi', target: `${module}:application`, evidence: [...entry.evidence, cite('uvicorn but no gunicorn: the ASGI module is served', file)] };
}

/** Decides the framework and entry point from the dependencies and the modules. */
export async function findPythonEntry(files: AppFiles, has: (name: string) => boolean): Promise<PythonEntry | null> {
  if (files.find((p) => /(^|\/)manage\.py$/.test(p) && p.split('/').length <= 2).length > 0 || has('django')) {
    const django = await findDjango(files);
    if (django) return preferAsgi(files, django, has);
    return { framework: 'django', kind: 'wsgi', target: null, chdir: null, evidence: [cite('no manage.py found')] };
  }
  for (const framework of ['fastapi', 'flask'] as const) {
    if (!has(framework)) continue;
    const entry = await findAppVariable(files, framework);
    if (entry) return entry;
    return { framework, kind: framework === 'flask' ? 'wsgi' : 'asgi', target: null, chdir: null, evidence: [cite(`no module creates the ${framework === 'flask' ? 'Flask' : 'FastAPI'} app`)] };
  }
  return null;
}
