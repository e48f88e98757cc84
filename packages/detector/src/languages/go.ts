/**
 * Go: go.mod (module, go and toolchain directives), the web framework from its
 * requirements and imports, which main package to build, and how it picks its port.
 */
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { binaryName, GO_FRAMEWORKS, parseGoMod, parseGoWorkUses, type GoMod } from './go-mod.js';
import { chooseMain, readGoSource, type GoSource } from './go-source.js';
import { BUILDERS, cite, found, warning } from './module-kit.js';

function chooseFramework(mod: GoMod, source: GoSource): { value: string | null; evidence: Evidence[] } {
  for (const { name, module } of GO_FRAMEWORKS) {
    for (const [path, line] of mod.require) {
      if (module.test(path) && !mod.indirect.has(path)) return { value: name, evidence: [cite(`requires ${path}`, 'go.mod', line)] };
    }
  }
  const http = source.imports.get('net/http');
  if (http) return { value: 'net/http', evidence: [cite('the standard library net/http serves the app', http.file, http.line)] };
  return { value: null, evidence: [cite('no gin, echo, fiber, chi or net/http found')] };
}

/** Port handling: PORT read from the environment (gin's Run() does it itself) or a literal. */
function decidePort(source: GoSource): NonNullable<LanguageFindings['port']> {
  const evidence: Evidence[] = [];
  let honours: boolean | null = null;
  if (source.readsPort) {
    honours = true;
    evidence.push(cite('reads PORT with os.Getenv', source.readsPort.file, source.readsPort.line));
  } else if (source.ginRunDefault) {
    honours = true;
    evidence.push(cite('gin\'s Run() without an address listens on $PORT', source.ginRunDefault.file, source.ginRunDefault.line));
  }
  const hard = source.hardcoded;
  if (hard) {
    evidence.push(cite(`listens on the literal port ${hard.port}`, hard.file, hard.line));
    if (honours === null) honours = false;
  }
  if (honours === null) evidence.push(cite('no PORT lookup or listen address found'));
  return { honoursPortEnv: honours, hardcoded: hard?.port ?? null, evidence };
}

/**
 * A go.work member that requires a sibling module only builds inside the workspace: the build
 * context is the member's folder, so the sibling (and any replace pointing at it) is missing.
 */
async function warnWorkspaceSiblings(files: AppFiles, mod: GoMod): Promise<void> {
  const root = files.workspaceRoot;
  const work = root ? await root.text('go.work') : null;
  if (!root || work === null) return;
  for (const dir of parseGoWorkUses(work)) {
    if (dir === files.fromRoot) continue;
    const sibling = parseGoMod((await root.text(`${dir === '.' ? '' : `${dir}/`}go.mod`)) ?? '').module?.value;
    const line = sibling ? mod.require.get(sibling) : undefined;
    if (sibling && line) {
      files.warn(warning('GO_WORKSPACE_DEPENDENCY', `requires ${sibling}, which only the go.work workspace provides (${dir}); built on its own this folder cannot resolve it`, {
        file: 'go.mod', line, hint: `require a published version of ${sibling}, or build from a folder that contains both modules`,
      }));
    }
  }
}

/** The Go language module. */
export const go: LanguageDetector = {
  language: 'go',
  async score(files) {
    if (files.has('go.mod')) {
      if (files.has('main.go') || files.files.some((p) => /^cmd\/[^/]+\/main\.go$/.test(p))) return 20;
      // A module without a main package is a library (e.g. a go.work member shared by services).
      for (const file of files.files.filter((p) => /^(cmd\/[^/]+\/)?[^/]+\.go$/.test(p) && !p.endsWith('_test.go')).slice(0, 50)) {
        if (/^package\s+main\b/m.test((await files.text(file)) ?? '')) return 20;
      }
      return 5;
    }
    if (files.has('go.work')) return 5;
    return files.files.some((p) => !p.includes('/') && p.endsWith('.go')) ? 3 : 0;
  },
  async detect(files): Promise<LanguageFindings> {
    const text = await files.text('go.mod');
    const mod = parseGoMod(text ?? '');
    const source = await readGoSource(files);
    await warnWorkspaceSiblings(files, mod);
    // An unreadable go.mod is already a warning from the file reader.
    if (text === null && !files.has('go.mod')) {
      files.warn(warning('GO_MOD_MISSING', 'no go.mod: Heroku refuses the build and Paketo falls back to GOPATH mode', {
        hint: 'run `go mod init <module path>` and commit go.mod and go.sum',
      }));
    }
    const moduleName = mod.module?.value ?? files.dir.split(/[\\/]/).pop() ?? 'app';
    const main = chooseMain(source.mains, binaryName(moduleName));
    const env: Record<string, string> = {};
    const envEvidence: Evidence[] = [];
    let start: string | null = null;
    const startEvidence: Evidence[] = [];
    if (main === null) {
      startEvidence.push(cite('no package main in the Go files: add main.go or cmd/<name>/main.go'));
    } else {
      start = main === '.' ? binaryName(moduleName) : binaryName(main);
      const mainFile = main === '.' ? 'main.go' : `${main}/main.go`;
      startEvidence.push(cite(`the built binary of ${main === '.' ? 'the root package' : `./${main}`} is the web process (Paketo go-build puts it on PATH)`,
        files.has(mainFile) ? mainFile : undefined));
      if (main !== '.') {
        env.BP_GO_TARGETS = `./${main}`;
        envEvidence.push(cite(`BP_GO_TARGETS=./${main}: the main package is not at the root`));
        if (source.mains.length > 1) {
          envEvidence.push(cite(`other main packages not built: ${source.mains.filter((m) => m !== main).join(', ')}`));
        }
      }
    }
    let version: string | null = null;
    const versionEvidence: Evidence[] = [];
    if (mod.toolchain) {
      version = mod.toolchain.value;
      versionEvidence.push(cite('toolchain directive pins the Go toolchain', 'go.mod', mod.toolchain.line));
      const [major, minor] = version.split('.');
      if (major && minor) {
        env.BP_GO_VERSION = `${major}.${minor}.*`;
        envEvidence.push(cite(`BP_GO_VERSION=${major}.${minor}.* honours the toolchain directive`, 'go.mod', mod.toolchain.line));
      }
    } else if (mod.go) {
      version = mod.go.value;
      versionEvidence.push(cite('go directive; Paketo\'s go-dist reads it from go.mod itself, so BP_GO_VERSION is left unset', 'go.mod', mod.go.line));
    } else versionEvidence.push(cite('no go directive'));
    const port = decidePort(source);
    if (source.loopback) {
      files.warn(warning('BIND_LOCALHOST', 'the app listens on 127.0.0.1 only: nothing outside the container can reach it', {
        file: source.loopback.file, line: source.loopback.line, hint: 'listen on ":" + port (all interfaces) instead of "127.0.0.1:" + port',
      }));
    }
    const framework = chooseFramework(mod, source);
    return {
      ...(mod.module ? { name: found(binaryName(mod.module.value), cite(`module ${mod.module.value}`, 'go.mod', mod.module.line)) } : {}),
      language: found('go', text === null ? cite('.go files at the app root') : cite('a Go module', 'go.mod', mod.module?.line)),
      packageManager: found(text === null ? null : 'go-modules', ...(text === null ? [cite('no go.mod')]
        : [cite('Go modules', 'go.mod'), ...(files.files.some((p) => p.startsWith('vendor/')) ? [cite('vendor/ folder: vendored modules')] : [])])),
      framework: found(framework.value, ...framework.evidence),
      runtimeVersion: found(version, ...versionEvidence),
      buildCommand: found(null, cite('the buildpack runs go build; no separate build step')),
      start: found(start, ...startEvidence),
      test: found('go test ./...', cite('the Go toolchain runs every package\'s tests')),
      port,
      builder: found(BUILDERS.paketoBase, cite('Paketo builds Go modules and runs the binary as the web process')),
      buildpacks: found([], cite('the builder\'s own order detects Go')),
      buildEnv: found(env, ...envEvidence),
    };
  },
};
