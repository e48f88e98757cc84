import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binaryName, parseGoMod, parseGoWorkUses } from '../../src/languages/go-mod.js';
import { go } from '../../src/languages/go.js';
import { complete, FIXTURES, openApp, openFixture, writeApp } from './app-files.js';

test('parseGoMod reads directives and both require forms with lines', () => {
  const mod = parseGoMod('module a/b\n\ngo 1.22.0\ntoolchain go1.22.5\nrequire x/y v1\nrequire (\n\tz/w v2 // indirect\n)\n');
  assert.equal(mod.module, { value: 'a/b', line: 1 });
  assert.equal(mod.go, { value: '1.22.0', line: 3 });
  assert.equal(mod.toolchain, { value: '1.22.5', line: 4 });
  assert.equal([...mod.require], [['x/y', 5], ['z/w', 7]]);
  assert.equal([...mod.indirect], ['z/w']);
  assert.is(binaryName('github.com/example/ledger/v2'), 'ledger');
});

test('parseGoWorkUses reads both use forms', () => {
  assert.equal(parseGoWorkUses('go 1.23\n\nuse (\n\t./a // first\n\t"./b/"\n)\nuse .\n'), ['a', 'b', '.']);
});

test('gin at the root: Run() honours PORT, toolchain pins BP_GO_VERSION', async () => {
  const app = await openFixture('go-gin');
  assert.is(await go.score(app), 20);
  const f = complete(await go.detect(app, null));
  assert.is(f.framework.value, 'gin');
  assert.equal(f.framework.evidence[0], { file: 'go.mod', line: 7, reason: 'requires github.com/gin-gonic/gin' });
  assert.is(f.runtimeVersion.value, '1.22.5');
  assert.is(f.start.value, 'quotes');
  assert.equal(f.buildEnv.value, { BP_GO_VERSION: '1.22.*' });
  assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [true, null]);
  assert.is(f.test.value, 'go test ./...');
  assert.equal(app.warnings, []);
});

test('chi under cmd/server: BP_GO_TARGETS, PORT read, /v2 module binary name', async () => {
  const f = complete(await go.detect(await openFixture('go-chi-cmd'), null));
  assert.is(f.framework.value, 'chi');
  assert.equal(f.buildEnv.value, { BP_GO_TARGETS: './cmd/server' });
  assert.is(f.start.value, 'server');
  assert.ok(f.buildEnv.evidence.some((e) => e.reason.includes('cmd/migrate')));
  assert.equal(f.port.evidence[0], { file: 'cmd/server/main.go', line: 14, reason: 'reads PORT with os.Getenv' });
  assert.is(f.runtimeVersion.value, '1.23');
});

test('net/http with a literal port: warning with file and line', async () => {
  const app = await openFixture('go-nethttp-hardcoded-port');
  const f = complete(await go.detect(app, null));
  assert.is(f.framework.value, 'net/http');
  assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [false, 3000]);
  assert.equal(f.port.evidence, [{ file: 'main.go', line: 16, reason: 'listens on the literal port 3000' }]);
  assert.equal(app.warnings, []);
  assert.is(f.start.value, 'hello');
});

test('go.work root is a trace, its modules are apps', async () => {
  assert.is(await go.score(await openFixture('go-workspace')), 5);
  assert.is(await go.score(await openApp(join(FIXTURES, 'go-workspace/pkg/events'))), 5);
  const api = await openApp(join(FIXTURES, 'go-workspace/services/api'));
  assert.is(await go.score(api), 20);
  const f = complete(await go.detect(api, null));
  assert.is(f.framework.value, 'echo');
  assert.is(f.port.honoursPortEnv, true);
  assert.is(f.start.value, 'api');
});

test('a loopback-only listen address is a warning', async () => {
  const { dir, cleanup } = writeApp({ 'go.mod': 'module x\n', 'main.go': 'package main\n\nfunc main() {\n\thttp.ListenAndServe("127.0.0.1:9000", nil)\n}\n' });
  try {
    const app = await openApp(dir);
    const f = complete(await go.detect(app, null));
    assert.is(f.port.hardcoded, 9000);
    assert.equal(app.warnings.map((w) => [w.code, w.file, w.line]), [['BIND_LOCALHOST', 'main.go', 4]]);
  } finally { cleanup(); }
});

test('no go.mod, no main: warnings, no crash', async () => {
  const { dir, cleanup } = writeApp({ 'lib.go': 'package lib\n\nfunc X() {}\n' });
  try {
    const app = await openApp(dir);
    assert.is(await go.score(app), 3);
    const f = complete(await go.detect(app, null));
    assert.is(f.start.value, null);
    assert.equal(app.warnings.map((w) => w.code), ['GO_MOD_MISSING']);
  } finally { cleanup(); }
});

test.run();
