import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { python } from '../../src/languages/python.js';
import { complete, openApp, openFixture, writeApp } from './app-files.js';

test('django + pip: gunicorn on the WSGI module named in settings', async () => {
  const app = await openFixture('python-django-pip');
  assert.is(python.score(app), 12);
  const f = complete(await python.detect(app, null));
  assert.is(f.packageManager.value, 'pip');
  assert.is(f.framework.value, 'django');
  assert.is(f.start.value, 'gunicorn mysite.wsgi:application --bind 0.0.0.0:${PORT:-8080}');
  assert.ok(f.start.evidence.some((e) => e.file === 'mysite/settings.py' && e.line === 22));
  assert.is(f.runtimeVersion.value, '3.11.9');
  assert.equal(f.buildEnv.value, {
    BP_PROCFILE_DEFAULT_PROCESS: 'gunicorn mysite.wsgi:application --bind 0.0.0.0:${PORT:-8080}',
    BP_CPYTHON_VERSION: '3.11.9',
  });
  assert.is(f.test.value, 'python manage.py test');
  assert.equal(app.warnings.map((w) => [w.code, w.file, w.line]), [['DJANGO_COLLECTSTATIC', 'mysite/settings.py', 26]]);
});

test('flask + poetry: app factory, floor-only version sets no BP_CPYTHON_VERSION', async () => {
  const app = await openFixture('python-flask-poetry');
  const f = complete(await python.detect(app, null));
  assert.is(f.packageManager.value, 'poetry');
  assert.is(f.framework.value, 'flask');
  assert.is(f.start.value, "gunicorn 'hello:create_app()' --bind 0.0.0.0:${PORT:-8080}");
  assert.is(f.runtimeVersion.value, '^3.11');
  assert.is(f.buildEnv.value.BP_CPYTHON_VERSION, undefined);
  assert.is(f.test.value, 'poetry run pytest');
});

test('a wsgi.py that calls the factory is the app object; a Procfile web line leaves BP_PROCFILE_DEFAULT_PROCESS out', async () => {
  const f = complete(await python.detect(await openFixture('python-flask-procfile'), null));
  assert.is(f.start.value, 'gunicorn wsgi:app --bind 0.0.0.0:${PORT:-8080}');
  assert.equal(f.start.evidence[1], { file: 'wsgi.py', line: 3, reason: 'app = create_app() builds the Flask app' });
  assert.equal(f.buildEnv.value, { BP_CPYTHON_VERSION: '3.12.4' });
});

test('fastapi + uv: uvicorn, opt-in package manager env, .python-version pin', async () => {
  const f = complete(await python.detect(await openFixture('python-fastapi-uv'), null));
  assert.is(f.packageManager.value, 'uv');
  assert.is(f.framework.value, 'fastapi');
  assert.is(f.start.value, 'uvicorn app.main:app --host 0.0.0.0 --port ${PORT:-8080}');
  assert.is(f.buildEnv.value.BP_ENABLE_PACKAGE_MANAGERS, 'true');
  assert.is(f.buildEnv.value.BP_CPYTHON_VERSION, '3.12.*');
  assert.is(f.test.value, 'uv run pytest');
});

test('pipenv + flask: app variable, Pipfile python_version', async () => {
  const f = complete(await python.detect(await openFixture('python-pipenv-flask'), null));
  assert.is(f.packageManager.value, 'pipenv');
  assert.is(f.start.value, 'gunicorn app:app --bind 0.0.0.0:${PORT:-8080}');
  assert.ok(f.start.evidence.some((e) => e.file === 'app.py' && e.line === 6));
  assert.is(f.runtimeVersion.value, '3.11');
  assert.is(f.test.value, null);
});

test('plain pyproject, src layout: chdir into src and warn that gunicorn is missing', async () => {
  const app = await openFixture('python-plain-pyproject');
  const f = complete(await python.detect(app, null));
  assert.is(f.packageManager.value, 'pip');
  assert.is(f.start.value, 'gunicorn shop.web:application --bind 0.0.0.0:${PORT:-8080} --chdir src');
  assert.is(f.runtimeVersion.value, '3.13.1');
  assert.is(f.buildEnv.value.BP_CPYTHON_VERSION, '3.13.1');
  assert.equal(app.warnings.map((w) => w.code), ['PYTHON_NO_REQUIREMENTS', 'PYTHON_SERVER_MISSING']);
  assert.is(f.test.value, 'python -m pytest');
});

test('a Procfile wins: no default process env', async () => {
  const { dir, cleanup } = writeApp({
    'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    Procfile: 'web: gunicorn app:app -b 0.0.0.0:$PORT -w 4\n',
  });
  try {
    const f = complete(await python.detect(await openApp(dir), null));
    assert.is(f.buildEnv.value.BP_PROCFILE_DEFAULT_PROCESS, undefined);
    assert.ok(f.buildEnv.evidence.some((e) => e.file === 'Procfile'));
  } finally { cleanup(); }
});

test('a Procfile without web: the start still becomes the web process', async () => {
  const { dir, cleanup } = writeApp({
    'requirements.txt': 'flask\ngunicorn\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n', Procfile: 'worker: python jobs.py\n',
  });
  try {
    const f = complete(await python.detect(await openApp(dir), null));
    assert.is(f.buildEnv.value.BP_PROCFILE_DEFAULT_PROCESS, 'gunicorn app:app --bind 0.0.0.0:${PORT:-8080}');
  } finally { cleanup(); }
});

test('bad pyproject.toml and no entry point: warnings, no crash', async () => {
  const { dir, cleanup } = writeApp({ 'pyproject.toml': '[project\nname = "x"', 'tool.py': 'print(1)\n' });
  try {
    const app = await openApp(dir);
    assert.is(python.score(app), 10);
    const f = complete(await python.detect(app, null));
    assert.is(f.start.value, null);
    assert.equal(app.warnings.map((w) => w.code), ['FILE_INVALID_TOML']);
    assert.is(app.warnings[0]?.line, 1);
  } finally { cleanup(); }
});

test('django with uvicorn and no gunicorn: the ASGI module', async () => {
  const { dir, cleanup } = writeApp({
    'requirements.txt': 'django\nuvicorn[standard]\n',
    'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site1.settings")\n',
    'site1/settings.py': 'WSGI_APPLICATION = "site1.wsgi.application"\n', 'site1/wsgi.py': 'application = 1\n', 'site1/asgi.py': 'application = 2\n',
  });
  try {
    const app = await openApp(dir);
    const f = complete(await python.detect(app, null));
    assert.is(f.start.value, 'uvicorn site1.asgi:application --host 0.0.0.0 --port ${PORT:-8080}');
    assert.equal(app.warnings, []);
  } finally { cleanup(); }
});

test('requirements includes (-r) and django in a subfolder', async () => {
  const { dir, cleanup } = writeApp({
    'requirements.txt': '-r requirements/base.txt\n',
    'requirements/base.txt': 'Django>=5\ngunicorn\npytest-django\npytest\n',
    'src/manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.prod")\n',
    'src/core/settings/prod.py': 'WSGI_APPLICATION = "core.wsgi.application"\n',
    'src/core/wsgi.py': 'application = get_wsgi_application()\n',
  });
  try {
    const f = complete(await python.detect(await openApp(dir), null));
    assert.is(f.framework.value, 'django');
    assert.is(f.start.value, 'gunicorn core.wsgi:application --bind 0.0.0.0:${PORT:-8080} --chdir src');
    assert.is(f.test.value, 'python -m pytest');
  } finally { cleanup(); }
});

test.run();
