/**
 * Java and Kotlin on the JVM: Maven or Gradle (wrappers, Kotlin DSL), the pinned
 * Java version, Spring Boot and its server.port. Two modules share one detection.
 */
import type { Evidence, Language } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { readJavaVersionFile, readJvmBuild, readSystemProperties, type JvmBuild } from './java-build.js';
import { readSpringPort } from './java-spring.js';
import { BUILDERS, cite, found } from './module-kit.js';

const BUILD_FILES = ['pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'];

/** Kotlin when .kt sources outnumber .java ones, or the build applies the Kotlin plugin and there is no Java. */
function kotlinEvidence(files: AppFiles, build: JvmBuild | null): Evidence[] | null {
  const kt = files.files.filter((p) => p.endsWith('.kt')).length;
  const java = files.files.filter((p) => p.endsWith('.java')).length;
  const plugin = build?.kotlin ? [build.kotlin] : [];
  if (kt > java) return [...plugin, cite(`${kt} Kotlin source files, ${java} Java`)];
  if (plugin.length && java === 0) return plugin;
  return null;
}

async function jvmScore(files: AppFiles, want: Language): Promise<number> {
  if (!BUILD_FILES.some((f) => files.has(f))) return 0;
  const isKotlin = kotlinEvidence(files, await readJvmBuild(files)) !== null;
  if ((want === 'kotlin') !== isKotlin) return 0;
  return files.has('mvnw') || files.has('gradlew') ? 12 : 10;
}

function commands(build: JvmBuild): { run: string; build: string; test: string } {
  if (build.tool === 'maven') {
    const run = build.wrapper ? './mvnw' : 'mvn';
    return { run, build: `${run} -Dmaven.test.skip=true --no-transfer-progress package`, test: `${run} test` };
  }
  const run = build.wrapper ? './gradlew' : 'gradle';
  return { run, build: `${run} --no-daemon assemble`, test: `${run} test` };
}

async function detectJvm(files: AppFiles): Promise<LanguageFindings> {
  const build = await readJvmBuild(files);
  const kotlin = kotlinEvidence(files, build);
  const language: Language = kotlin ? 'kotlin' : 'java';
  if (!build) {
    return { language: found(language, cite('JVM sources without a Maven or Gradle build')) };
  }
  const cmd = commands(build);
  const pin = (await readSystemProperties(files)) ?? build.javaVersion ?? (await readJavaVersionFile(files));
  const env: Record<string, string> = {};
  const envEvidence: Evidence[] = [];
  if (build.module) {
    const key = build.tool === 'maven' ? 'BP_MAVEN_BUILT_MODULE' : 'BP_GRADLE_BUILT_MODULE';
    env[key] = build.module;
    const script = ['pom.xml', 'build.gradle.kts', 'build.gradle'].map((f) => `${build.module}/${f}`).find((f) => files.has(f));
    envEvidence.push(cite(`${key}=${build.module}: that module builds the runnable artifact`, script));
  }
  if (pin) {
    env.BP_JVM_VERSION = pin.value;
    envEvidence.push(cite(`BP_JVM_VERSION=${pin.value} gives the pinned JDK (Paketo's default is 21)`));
  }
  const managerEvidence: Evidence[] = [cite(`a ${build.tool === 'maven' ? 'Maven' : 'Gradle'} build`, build.file)];
  if (build.wrapper) managerEvidence.push(cite(`${cmd.run} wrapper pins the build tool`, cmd.run.slice(2)));
  else if (build.tool === 'gradle') managerEvidence.push(cite('no gradlew: Heroku refuses Gradle builds without the wrapper; Paketo brings Gradle itself'));

  let start: string | null = null;
  const startEvidence: Evidence[] = [];
  let port: NonNullable<LanguageFindings['port']>;
  if (build.springBoot) {
    const [major = 0, minor = 0] = (build.springBoot.version ?? '3.2').split('.').map(Number);
    const launcher = major > 3 || (major === 3 && minor >= 2) ? 'org.springframework.boot.loader.launch.JarLauncher' : 'org.springframework.boot.loader.JarLauncher';
    start = `java ${launcher}`;
    startEvidence.push(build.springBoot.evidence, cite('Paketo\'s spring-boot buildpack runs the exploded executable jar with its launcher'));
    port = await readSpringPort(files);
  } else if (build.mainClass) {
    start = `java ${build.mainClass.value}`;
    startEvidence.push(build.mainClass.evidence, cite('Paketo runs the built application\'s main class'));
    port = { honoursPortEnv: null, hardcoded: null, evidence: [cite('not a Spring Boot app: the port cannot be told from the build')] };
  } else {
    startEvidence.push(cite(`no Spring Boot plugin and no main class in the build: add a Procfile with "web: java -jar ${build.tool === 'maven' ? 'target/<artifact>.jar' : 'build/libs/<name>.jar'}"`));
    port = { honoursPortEnv: null, hardcoded: null, evidence: [cite('no start command: the port cannot be told')] };
  }
  return {
    ...(build.name ? { name: found(build.name.value, build.name.evidence) } : {}),
    language: found(language, ...(kotlin ?? [cite('builds Java sources', build.file)])),
    packageManager: found(build.tool, ...managerEvidence),
    framework: found(build.springBoot ? 'spring-boot' : null, ...(build.springBoot ? [build.springBoot.evidence] : [cite('no Spring Boot plugin or parent')])),
    runtimeVersion: found(pin?.value ?? null, pin?.evidence ?? cite('no Java version pinned: Paketo uses Java 21')),
    buildCommand: found(cmd.build, cite(`the ${build.tool === 'maven' ? 'Maven' : 'Gradle'} buildpack's default build, tests skipped`)),
    start: found(start, ...startEvidence),
    test: found(cmd.test, cite(`${build.tool === 'maven' ? 'Maven' : 'Gradle'} runs the tests`, build.wrapper ? cmd.run.slice(2) : build.file)),
    port,
    builder: found(BUILDERS.paketoBase, cite('Paketo honours BP_JVM_VERSION and builds Maven and Gradle with or without wrappers; Heroku ignores BP_JVM_VERSION and needs gradlew')),
    buildpacks: found([], cite('the builder\'s own order detects the JVM build')),
    buildEnv: found(env, ...envEvidence),
  };
}

/** The Java language module (Maven, Gradle). */
export const java: LanguageDetector = {
  language: 'java',
  score: (files) => jvmScore(files, 'java'),
  detect: (files) => detectJvm(files),
};

/** The Kotlin language module: the same JVM detection, for Kotlin sources. */
export const kotlin: LanguageDetector = {
  language: 'kotlin',
  score: (files) => jvmScore(files, 'kotlin'),
  detect: (files) => detectJvm(files),
};
