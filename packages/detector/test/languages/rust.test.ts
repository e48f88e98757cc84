import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rust } from '../../src/languages/rust.js';
import { complete, openApp, openFixture, writeApp } from './app-files.js';

test('axum: community Rust buildpack, toolchain pin, PORT read', async () => {
  const app = await openFixture('rust-axum');
  assert.is(rust.score(app), 20);
  const f = complete(await rust.detect(app, null));
  assert.is(f.framework.value, 'axum');
  assert.equal(f.buildpacks.value, ['docker.io/paketocommunity/rust']);
  assert.is(f.runtimeVersion.value, '1.79.0');
  assert.is(f.start.value, 'shortener');
  assert.equal(f.port.evidence[0], { file: 'src/main.rs', line: 18, reason: 'reads PORT from the environment' });
  assert.is(f.port.honoursPortEnv, true);
  assert.equal(app.warnings, []);
});

test('[[bin]], localhost bind, no lock: warnings with file and line', async () => {
  const { dir, cleanup } = writeApp({
    'Cargo.toml': '[package]\nname = "svc"\nversion = "0.1.0"\n\n[[bin]]\nname = "svc-web"\npath = "src/main.rs"\n\n[dependencies]\nactix-web = "4"\n',
    'src/main.rs': 'fn main() {\n    HttpServer::new(app).bind(("127.0.0.1", 8088))\n}\n',
  });
  try {
    const app = await openApp(dir);
    const f = complete(await rust.detect(app, null));
    assert.is(f.framework.value, 'actix-web');
    assert.is(f.start.value, 'svc-web');
    assert.equal(f.start.evidence[0], { file: 'Cargo.toml', line: 5, reason: '[[bin]] svc-web' });
    assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [false, 8088]);
    assert.equal(app.warnings.map((w) => [w.code, w.file, w.line]), [['RUST_LOCK_MISSING', undefined, undefined], ['BIND_LOCALHOST', 'src/main.rs', 2]]);
  } finally { cleanup(); }
});

test('rocket: ROCKET_PORT, not PORT; loopback by default', async () => {
  const { dir, cleanup } = writeApp({ 'Cargo.toml': '[package]\nname = "r"\n[dependencies]\nrocket = "0.5"\n', 'Cargo.lock': '', 'src/main.rs': '#[launch]\nfn rocket() -> _ { rocket::build() }\n' });
  try {
    const app = await openApp(dir);
    const f = complete(await rust.detect(app, null));
    assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [false, 8000]);
    assert.equal(app.warnings.map((w) => w.code), ['BIND_LOCALHOST']);
  } finally { cleanup(); }
});

test('bad Cargo.toml: warning, no crash', async () => {
  const { dir, cleanup } = writeApp({ 'Cargo.toml': '[package\n', 'Cargo.lock': '' });
  try {
    const app = await openApp(dir);
    const f = complete(await rust.detect(app, null));
    assert.is(f.start.value, null);
    assert.equal(app.warnings.map((w) => w.code), ['FILE_INVALID_TOML']);
  } finally { cleanup(); }
});

test.run();
