/**
 * JVM build files: Maven pom.xml and Gradle build scripts (Groovy or Kotlin DSL),
 * read as text for the Java version, Spring Boot, Kotlin and the main class.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles } from '../types.js';
import { cite, firstValue, matchLine } from './module-kit.js';

/** What the build files tell us. */
export interface JvmBuild {
  tool: 'maven' | 'gradle';
  file: string;
  wrapper: boolean;
  /** Java major version as pinned, with evidence. */
  javaVersion: { value: string; evidence: Evidence } | null;
  springBoot: { version: string | null; evidence: Evidence } | null;
  kotlin: Evidence | null;
  mainClass: { value: string; evidence: Evidence } | null;
  /** The project's artifactId or rootProject.name. */
  name: { value: string; evidence: Evidence } | null;
  /** The module (subfolder) that builds the runnable artifact in a multi-module build, or null. */
  module: string | null;
}

/** What one build file says. */
type BuildFacts = Omit<JvmBuild, 'tool' | 'file' | 'wrapper' | 'module'>;

/** "1.8" -> "8", "17.0.2" -> "17", "VERSION_21" -> "21". */
export function javaMajor(raw: string): string | null {
  const m = /(?:^|_)(?:1[._])?(\d+)/.exec(raw.replace(/^VERSION_/, ''));
  return m?.[1] ?? null;
}

function hit(text: string, file: string, pattern: RegExp, reason: (m: RegExpExecArray) => string): { m: RegExpExecArray; evidence: Evidence } | null {
  const found = matchLine(text, pattern);
  return found ? { m: found.match, evidence: cite(reason(found.match), file, found.line) } : null;
}

function readMaven(text: string, file: string): BuildFacts {
  // Comments could hide or fake elements; blank them out but keep the line numbers.
  const xml = text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const java = hit(xml, file, /<(java\.version|maven\.compiler\.release|release|maven\.compiler\.source|maven\.compiler\.target)>\s*([\w.]+)\s*</,
    (m) => `<${m[1]}> sets the Java version`);
  const parent = hit(xml, file, /<parent>[\s\S]*?<artifactId>\s*spring-boot-starter-parent\s*<\/artifactId>(?:\s*<version>\s*([\w.-]+)\s*<\/version>)?/,
    () => 'the parent is spring-boot-starter-parent');
  const plugin = hit(xml, file, /<artifactId>\s*spring-boot-maven-plugin\s*</, () => 'spring-boot-maven-plugin builds an executable jar');
  const bootVersion = parent?.m[1] ?? hit(xml, file, /<spring-boot\.version>\s*([\w.-]+)\s*</, () => '')?.m[1] ?? null;
  const kotlin = hit(xml, file, /<artifactId>\s*kotlin-maven-plugin\s*</, () => 'kotlin-maven-plugin compiles Kotlin');
  const main = hit(xml, file, /<(mainClass|start-class|exec\.mainClass)>\s*([\w.$]+)\s*</, (m) => `<${m[1]}> names the main class`);
  const javaValue = java ? javaMajor(java.m[2] ?? '') : null;
  // The project's own artifactId: blank out parent, dependencies, plugins and profiles first.
  const own = xml.replace(/<(parent|dependencies|dependencyManagement|build|profiles|modules)>[\s\S]*?<\/\1>/g, (c) => c.replace(/[^\n]/g, ' '));
  const artifact = hit(own, file, /<artifactId>\s*([\w.-]+)\s*<\/artifactId>/, () => 'the project artifactId');
  return {
    name: artifact ? { value: artifact.m[1]!, evidence: artifact.evidence } : null,
    javaVersion: java && javaValue ? { value: javaValue, evidence: java.evidence } : null,
    springBoot: parent || plugin ? { version: bootVersion, evidence: (parent ?? plugin)!.evidence } : null,
    kotlin: kotlin?.evidence ?? null,
    mainClass: main ? { value: main.m[2]!, evidence: main.evidence } : null,
  };
}

function readGradle(text: string, file: string): BuildFacts {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '');
  const java = hit(code, file, /(?:JavaLanguageVersion\.of\(\s*(\d+)\s*\)|jvmToolchain\(\s*(\d+)\s*\)|(?:source|target)Compatibility\s*=\s*(?:JavaVersion\.)?['"]?(VERSION_[\d_]+|[\d.]+)['"]?)/,
    () => 'the Gradle build sets the Java version');
  const boot = hit(code, file, /(?:id\s*\(?\s*['"]org\.springframework\.boot['"]\s*\)?(?:\s*version\s*['"]([\w.-]+)['"])?|apply\s+plugin:\s*['"]org\.springframework\.boot['"]|org\.springframework\.boot:spring-boot-gradle-plugin:([\w.-]+))/,
    () => 'the org.springframework.boot plugin builds an executable jar');
  const kotlin = hit(code, file, /(?:kotlin\(\s*"jvm"\s*\)|org\.jetbrains\.kotlin\.jvm|kotlin-gradle-plugin|id\s*\(?\s*['"]org\.jetbrains\.kotlin)/,
    () => 'the Kotlin JVM plugin compiles Kotlin');
  const main = hit(code, file, /mainClass(?:Name)?\s*(?:=|\.set\()\s*['"]([\w.$]+)['"]/, () => 'the application plugin names the main class');
  const javaValue = java ? javaMajor(java.m[1] ?? java.m[2] ?? java.m[3] ?? '') : null;
  const project = hit(code, file, /rootProject\.name\s*=\s*['"]([\w.-]+)['"]/, () => 'rootProject.name');
  return {
    name: project ? { value: project.m[1]!, evidence: project.evidence } : null,
    javaVersion: java && javaValue ? { value: javaValue, evidence: java.evidence } : null,
    springBoot: boot ? { version: boot.m[1] ?? boot.m[2] ?? null, evidence: boot.evidence } : null,
    kotlin: kotlin?.evidence ?? null,
    mainClass: main ? { value: main.m[1]!, evidence: main.evidence } : null,
  };
}

/** Fills the gaps of `into` from `from` (the root build's settings apply to its modules). */
function merge(into: BuildFacts, from: BuildFacts): BuildFacts {
  return {
    javaVersion: into.javaVersion ?? from.javaVersion,
    springBoot: into.springBoot ? { ...into.springBoot, version: into.springBoot.version ?? from.springBoot?.version ?? null } : from.springBoot,
    kotlin: into.kotlin ?? from.kotlin, mainClass: into.mainClass ?? from.mainClass, name: into.name ?? from.name,
  };
}

/** In a multi-module build, the module that makes the runnable artifact: Spring Boot first, then a main class. */
function pickModule(modules: { dir: string; facts: BuildFacts }[]): { dir: string; facts: BuildFacts } | null {
  return modules.find((m) => m.facts.springBoot) ?? modules.find((m) => m.facts.mainClass) ?? null;
}

/** Reads the app's Maven or Gradle build (Maven first when both exist), following modules one level down. */
export async function readJvmBuild(files: AppFiles): Promise<JvmBuild | null> {
  if (files.has('pom.xml')) {
    const text = (await files.text('pom.xml')) ?? '';
    const root = readMaven(text, 'pom.xml');
    const declared = [...text.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<module>\s*([\w./-]+?)\/?\s*<\/module>/g)].map((m) => m[1]!);
    const modules = [];
    for (const dir of declared.filter((d) => files.has(`${d}/pom.xml`)).slice(0, 20)) {
      modules.push({ dir, facts: readMaven((await files.text(`${dir}/pom.xml`)) ?? '', `${dir}/pom.xml`) });
    }
    const app = root.springBoot && !root.springBoot.evidence.reason.startsWith('the parent') ? null : pickModule(modules);
    return app
      ? { tool: 'maven', file: 'pom.xml', wrapper: files.has('mvnw'), module: app.dir, ...merge(app.facts, { ...root, name: null }) }
      : { tool: 'maven', file: 'pom.xml', wrapper: files.has('mvnw'), module: null, ...root };
  }
  const file = ['build.gradle.kts', 'build.gradle', 'settings.gradle.kts', 'settings.gradle'].find((f) => files.has(f));
  if (!file) return null;
  let root: BuildFacts = { javaVersion: null, springBoot: null, kotlin: null, mainClass: null, name: null };
  for (const script of [file, 'settings.gradle.kts', 'settings.gradle'].filter((f, i, all) => files.has(f) && all.indexOf(f) === i)) {
    root = merge(root, readGradle((await files.text(script)) ?? '', script));
  }
  if (root.springBoot || root.mainClass) return { tool: 'gradle', file, wrapper: files.has('gradlew'), module: null, ...root };
  const modules = [];
  for (const script of files.find((p) => /^[^/]+\/build\.gradle(\.kts)?$/.test(p)).slice(0, 20)) {
    modules.push({ dir: script.slice(0, script.indexOf('/')), facts: readGradle((await files.text(script)) ?? '', script) });
  }
  const app = pickModule(modules);
  return app
    ? { tool: 'gradle', file, wrapper: files.has('gradlew'), module: app.dir, ...merge(app.facts, root) }
    : { tool: 'gradle', file, wrapper: files.has('gradlew'), module: null, ...root };
}

/** Heroku's system.properties java.runtime.version, when present. */
export async function readSystemProperties(files: AppFiles): Promise<{ value: string; evidence: Evidence } | null> {
  const text = await files.text('system.properties');
  const found = text === null ? null : matchLine(text, /^\s*java\.runtime\.version\s*=\s*([\w.]+)/m);
  const major = found ? javaMajor(found.match[1] ?? '') : null;
  return found && major ? { value: major, evidence: cite('java.runtime.version', 'system.properties', found.line) } : null;
}

/** .java-version / .sdkmanrc pins, as a last resort. */
export async function readJavaVersionFile(files: AppFiles): Promise<{ value: string; evidence: Evidence } | null> {
  const text = await files.text('.java-version');
  const pin = text === null ? null : firstValue(text);
  const major = pin ? javaMajor(pin.value) : null;
  return pin && major ? { value: major, evidence: cite('pins the JDK', '.java-version', pin.line) } : null;
}
