import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { javaMajor } from '../../src/languages/java-build.js';
import { java, kotlin } from '../../src/languages/java.js';
import { complete, openApp, openFixture, writeApp } from './app-files.js';

test('javaMajor normalises the usual spellings', () => {
  assert.equal(['1.8', '17', '21.0.2', 'VERSION_11', 'VERSION_1_8'].map(javaMajor), ['8', '17', '21', '11', '8']);
});

test('spring boot + maven wrapper: java.version, PORT-aware server.port', async () => {
  const app = await openFixture('java-spring-maven');
  assert.is(await java.score(app), 12);
  assert.is(await kotlin.score(app), 0);
  const f = complete(await java.detect(app, null));
  assert.is(f.language.value, 'java');
  assert.is(f.packageManager.value, 'maven');
  assert.is(f.framework.value, 'spring-boot');
  assert.is(f.runtimeVersion.value, '17');
  assert.equal(f.runtimeVersion.evidence[0], { file: 'pom.xml', line: 21, reason: '<java.version> sets the Java version' });
  assert.equal(f.buildEnv.value, { BP_JVM_VERSION: '17' });
  assert.is(f.start.value, 'java org.springframework.boot.loader.launch.JarLauncher');
  assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [true, null]);
  assert.is(f.test.value, './mvnw test');
  assert.equal(app.warnings, []);
});

test('kotlin + gradle kts without wrapper: kotlin, toolchain 21, hard-coded 9090', async () => {
  const app = await openFixture('kotlin-spring-gradle-kts');
  assert.is(await java.score(app), 0);
  assert.is(await kotlin.score(app), 10);
  const f = complete(await kotlin.detect(app, null));
  assert.is(f.language.value, 'kotlin');
  assert.is(f.packageManager.value, 'gradle');
  assert.is(f.runtimeVersion.value, '21');
  assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [false, 9090]);
  assert.equal(f.port.evidence[0], { file: 'src/main/resources/application.yml', line: 5, reason: 'server.port = 9090 (set server.port=${PORT:8080} to follow PORT)' });
  assert.is(f.test.value, 'gradle test');
});

test('gradle wrapper, boot 2.7: old launcher, VERSION_11, default port 8080 ignores PORT', async () => {
  const f = complete(await java.detect(await openFixture('java-gradle-wrapper'), null));
  assert.is(f.start.value, 'java org.springframework.boot.loader.JarLauncher');
  assert.is(f.runtimeVersion.value, '11');
  assert.equal([f.port.honoursPortEnv, f.port.hardcoded], [false, null]);
  assert.is(f.test.value, './gradlew test');
});

test('system.properties beats the build; plain main class app', async () => {
  const { dir, cleanup } = writeApp({
    'system.properties': 'java.runtime.version=21\n',
    'build.gradle': "plugins { id 'application' }\napplication { mainClass = 'demo.Main' }\njava { sourceCompatibility = '17' }\n",
    'src/main/java/demo/Main.java': 'package demo; class Main {}',
  });
  try {
    const f = complete(await java.detect(await openApp(dir), null));
    assert.is(f.runtimeVersion.value, '21');
    assert.is(f.start.value, 'java demo.Main');
    assert.is(f.framework.value, null);
  } finally { cleanup(); }
});

test('multi-module maven: the Spring Boot module is the built module', async () => {
  const { dir, cleanup } = writeApp({
    'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId><version>3.1.5</version></parent>\n<artifactId>shop</artifactId>\n<properties><java.version>21</java.version></properties>\n<modules>\n<module>core</module>\n<module>web</module>\n</modules></project>',
    'core/pom.xml': '<project><artifactId>core</artifactId></project>',
    'web/pom.xml': '<project><artifactId>web</artifactId><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>',
  });
  try {
    const f = complete(await java.detect(await openApp(dir), null));
    assert.equal(f.buildEnv.value, { BP_MAVEN_BUILT_MODULE: 'web', BP_JVM_VERSION: '21' });
    assert.is(f.start.value, 'java org.springframework.boot.loader.JarLauncher');
    assert.equal(f.framework.evidence[0]?.file, 'web/pom.xml');
  } finally { cleanup(); }
});

test('multi-project gradle: the subproject with the boot plugin', async () => {
  const { dir, cleanup } = writeApp({
    'settings.gradle.kts': 'rootProject.name = "fleet"\ninclude("api", "model")\n',
    'build.gradle.kts': 'subprojects { apply(plugin = "java") }\n',
    'api/build.gradle.kts': 'plugins { id("org.springframework.boot") version "3.3.0" }\njava { toolchain { languageVersion = JavaLanguageVersion.of(17) } }\n',
    'model/build.gradle.kts': 'plugins { `java-library` }\n',
  });
  try {
    const f = complete(await java.detect(await openApp(dir), null));
    assert.equal(f.buildEnv.value, { BP_GRADLE_BUILT_MODULE: 'api', BP_JVM_VERSION: '17' });
    assert.is(f.name?.value, 'fleet');
  } finally { cleanup(); }
});

test('bad application.yml and no start: warnings, no crash', async () => {
  const { dir, cleanup } = writeApp({
    'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent>',
    'src/main/resources/application.yml': 'server: [unclosed\n',
  });
  try {
    const app = await openApp(dir);
    const f = complete(await java.detect(app, null));
    assert.is(f.framework.value, 'spring-boot');
    assert.equal(app.warnings.map((w) => w.code), ['FILE_INVALID_YAML']);
    assert.is(f.port.honoursPortEnv, false);
  } finally { cleanup(); }
});

test.run();
