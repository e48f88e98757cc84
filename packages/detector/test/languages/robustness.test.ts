import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dotnet } from '../../src/languages/dotnet.js';
import { go } from '../../src/languages/go.js';
import { java, kotlin } from '../../src/languages/java.js';
import { php } from '../../src/languages/php.js';
import { python } from '../../src/languages/python.js';
import { ruby } from '../../src/languages/ruby.js';
import { rust } from '../../src/languages/rust.js';
import { openApp, writeApp } from './app-files.js';

// Manifests full of junk, wrong shapes and odd encodings: every module must answer, never throw.
const junk = '\u00ff\u00fe{[(<"\'\\\n'.repeat(50) + ']]]]}}}}' + '\n=\n'.repeat(20);
const wrongShapes: Record<string, string> = {
  'requirements.txt': junk, 'pyproject.toml': '[project]\ndependencies = "not a list"\nrequires-python = 3\n[tool.poetry]\ndependencies = 1\n',
  Pipfile: 'packages = "x"\n', 'manage.py': junk, 'app.py': 'app = Flask(', 'go.mod': junk, 'main.go': 'package main\nimport (\n',
  'pom.xml': junk, 'build.gradle.kts': junk, 'src/main/resources/application.yml': '- a\n- b\n', 'src/main/resources/application.properties': 'server.port=\n',
  Gemfile: junk, 'Gemfile.lock': junk, 'config.ru': '', '.ruby-version': '\n\n', 'composer.json': '{"require": ["php"], "name": 5}',
  'App.csproj': junk, 'global.json': '{"sdk": "8"}', 'Cargo.toml': '[package]\nname = 5\n[[bin]]\nname = []\n', 'rust-toolchain.toml': '[toolchain]\nchannel = 1\n',
  '.tool-versions': 'python\nruby\n', '.python-version': junk, 'runtime.txt': junk,
};

for (const module of [python, go, java, kotlin, ruby, php, dotnet, rust]) {
  test(`${module.language}: junk manifests give findings, not exceptions`, async () => {
    const { dir, cleanup } = writeApp(wrongShapes);
    try {
      const app = await openApp(dir);
      await module.score(app);
      const f = await module.detect(app, null);
      assert.type(f.language.value, 'string');
    } finally { cleanup(); }
  });
}

test('an empty folder: every module scores 0', async () => {
  const { dir, cleanup } = writeApp({});
  try {
    for (const module of [python, go, java, kotlin, ruby, php, dotnet, rust]) assert.is(await module.score(await openApp(dir)), 0, module.language);
  } finally { cleanup(); }
});

test.run();
