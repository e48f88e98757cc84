import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dotnet } from '../../src/languages/dotnet.js';
import { complete, openApp, openFixture, writeApp } from './app-files.js';

test('asp.net core in src/: project path, SDK pin, test project', async () => {
  const app = await openFixture('dotnet-aspnet');
  assert.is(dotnet.score(app), 10);
  const f = complete(await dotnet.detect(app, null));
  assert.is(f.framework.value, 'aspnet-core');
  assert.is(f.runtimeVersion.value, '8.0');
  assert.equal(f.buildEnv.value, { BP_DOTNET_PROJECT_PATH: 'src/Weather.Api' });
  assert.is(f.start.value, 'dotnet Weather.Api.dll');
  assert.is(f.test.value, 'dotnet test');
  assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [true, null]);
  assert.is(f.name?.value, 'Weather.Api');
});

test('root fsproj with a hard-coded URL', async () => {
  const { dir, cleanup } = writeApp({
    'Hello.fsproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net6.0</TargetFramework><AssemblyName>hello-web</AssemblyName></PropertyGroup></Project>',
    'Program.fs': 'let app = builder.Build()\napp.Run("http://0.0.0.0:5000")\n',
  });
  try {
    const f = complete(await dotnet.detect(await openApp(dir), null));
    assert.is(f.runtimeVersion.value, '6.0');
    assert.equal(f.buildEnv.value, {});
    assert.is(f.start.value, 'dotnet hello-web.dll');
    assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [false, 5000]);
    assert.equal(f.port.evidence[0], { file: 'Program.fs', line: 2, reason: 'listens on the literal port 5000, which beats ASPNETCORE_URLS' });
    assert.is(f.test.value, null);
  } finally { cleanup(); }
});

test.run();
