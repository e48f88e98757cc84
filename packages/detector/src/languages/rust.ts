/**
 * Rust: Cargo.toml (package, binaries, rust-version), rust-toolchain pins, the web
 * framework and port. No suggested builder ships Rust, so the plan adds Paketo's
 * community Rust buildpack.
 */
import { z } from 'zod';
import type { Evidence } from '@bim-pack/shared';
import type { AppFiles, LanguageDetector, LanguageFindings } from '../types.js';
import { BUILDERS, cite, escapeRegExp, firstValue, found, matchLine, readToml, warning } from './module-kit.js';

/** The community Rust meta-buildpack image (paketo-community/rust; not in any builder). */
export const RUST_BUILDPACK = 'docker.io/paketocommunity/rust';

const CargoSchema = z.object({
  package: z.object({
    name: z.string().optional().catch(undefined),
    'rust-version': z.string().optional().catch(undefined),
  }).passthrough().optional().catch(undefined),
  bin: z.array(z.object({ name: z.string().optional().catch(undefined), path: z.string().optional().catch(undefined) }).passthrough()).catch([]).optional(),
  dependencies: z.record(z.string(), z.unknown()).catch({}).optional(),
  workspace: z.object({ members: z.array(z.string()).catch([]).optional() }).passthrough().optional().catch(undefined),
}).passthrough();

const FRAMEWORKS = ['axum', 'actix-web', 'rocket', 'warp', 'poem', 'salvo'];

async function readToolchain(files: AppFiles): Promise<{ value: string; evidence: Evidence } | null> {
  if (files.has('rust-toolchain.toml')) {
    const channel = z.object({ toolchain: z.object({ channel: z.string() }).passthrough() }).passthrough()
      .safeParse(await readToml(files, 'rust-toolchain.toml'));
    if (channel.success) {
      const line = matchLine((await files.text('rust-toolchain.toml')) ?? '', /^\s*channel\s*=/m)?.line;
      return { value: channel.data.toolchain.channel, evidence: cite('pins the toolchain (rustup installs it)', 'rust-toolchain.toml', line) };
    }
  }
  const plain = await files.text('rust-toolchain');
  const pin = plain === null ? null : firstValue(plain);
  return pin ? { value: pin.value, evidence: cite('pins the toolchain (rustup installs it)', 'rust-toolchain', pin.line) } : null;
}

/** PORT lookups and listen addresses in the crate's sources. */
async function readPort(files: AppFiles): Promise<NonNullable<LanguageFindings['port']>> {
  const evidence: Evidence[] = [];
  let honours: boolean | null = null;
  let hardcoded: number | null = null;
  for (const file of files.find((p) => p.endsWith('.rs') && /^(src|crates\/[^/]+\/src)\//.test(p)).slice(0, 200)) {
    const text = (await files.text(file)) ?? '';
    const env = matchLine(text, /env::var\(\s*"PORT"\s*\)/);
    if (env && honours !== true) { honours = true; evidence.push(cite('reads PORT from the environment', file, env.line)); }
    const bind = matchLine(text, /"(?:0\.0\.0\.0|127\.0\.0\.1|localhost|\[::\]):(\d{2,5})"|\(\s*"(?:0\.0\.0\.0|127\.0\.0\.1)"\s*,\s*(\d{2,5})\s*\)|\[\s*(?:0|127)\s*,\s*0\s*,\s*0\s*,\s*[01]\s*\]\s*,\s*(\d{2,5})\s*\)/);
    if (bind && hardcoded === null) {
      hardcoded = Number(bind.match[1] ?? bind.match[2] ?? bind.match[3]);
      evidence.push(cite(`listens on the literal port ${hardcoded}`, file, bind.line));
      if (/127\.0\.0\.1|localhost|\[\s*127/.test(bind.match[0])) {
        files.warn(warning('BIND_LOCALHOST', 'the app listens on 127.0.0.1 only: nothing outside the container can reach it', {
          file, line: bind.line, hint: 'bind 0.0.0.0 instead of 127.0.0.1',
        }));
      }
    }
  }
  if (honours === null && hardcoded !== null) honours = false;
  if (evidence.length === 0) evidence.push(cite('no PORT lookup or listen address found'));
  return { honoursPortEnv: honours, hardcoded, evidence };
}

/** Rocket reads ROCKET_PORT / ROCKET_ADDRESS, not PORT, and binds 127.0.0.1:8000 unless told otherwise. */
async function rocketAware(files: AppFiles, framework: string | null, port: NonNullable<LanguageFindings['port']>): Promise<NonNullable<LanguageFindings['port']>> {
  if (framework !== 'rocket' || port.honoursPortEnv === true || port.hardcoded !== null) return port;
  const config = (await files.text('Rocket.toml')) ?? '';
  const configured = matchLine(config, /^\s*port\s*=\s*(\d+)/m);
  const address = matchLine(config, /^\s*address\s*=\s*"0\.0\.0\.0"/m);
  if (!address) {
    files.warn(warning('BIND_LOCALHOST', 'Rocket listens on 127.0.0.1 unless ROCKET_ADDRESS or Rocket.toml says otherwise', {
      hint: 'set address = "0.0.0.0" in Rocket.toml, or ROCKET_ADDRESS=0.0.0.0 at deploy time',
    }));
  }
  const value = configured ? Number(configured.match[1]) : 8000;
  return {
    honoursPortEnv: false, hardcoded: value,
    evidence: [configured ? cite(`Rocket.toml sets port ${value}`, 'Rocket.toml', configured.line) : cite('Rocket listens on 8000 (ROCKET_PORT, not PORT)')],
  };
}

/** The Rust language module. */
export const rust: LanguageDetector = {
  language: 'rust',
  score(files) {
    if (!files.has('Cargo.toml')) return 0;
    return files.has('src/main.rs') || files.files.some((p) => p.startsWith('src/bin/')) ? 20 : 5;
  },
  async detect(files): Promise<LanguageFindings> {
    const parsed = CargoSchema.safeParse((await readToml(files, 'Cargo.toml')) ?? {});
    const cargo = parsed.success ? parsed.data : {};
    const text = (await files.text('Cargo.toml')) ?? '';
    const deps = cargo.dependencies ?? {};
    const framework = FRAMEWORKS.find((f) => f in deps) ?? null;
    const bins = (cargo.bin ?? []).map((b) => b.name).filter((n): n is string => !!n);
    const binary = bins[0] ?? (files.has('src/main.rs') ? cargo.package?.name ?? null : null);
    const toolchain = await readToolchain(files);
    const msrv = cargo.package?.['rust-version'];
    if (!files.has('Cargo.lock')) {
      files.warn(warning('RUST_LOCK_MISSING', 'no Cargo.lock: the Cargo buildpack only builds crates with a lock file', { hint: 'run `cargo generate-lockfile` and commit Cargo.lock' }));
    }
    const line = (key: string) => matchLine(text, new RegExp(`^\\s*${escapeRegExp(key)}\\s*=`, 'm'))?.line;
    return {
      ...(cargo.package?.name ? { name: found(cargo.package.name, cite('the package name', 'Cargo.toml', line('name'))) } : {}),
      language: found('rust', cite('a Rust crate', 'Cargo.toml')),
      packageManager: found('cargo', cite('Cargo manifest', 'Cargo.toml'), ...(files.has('Cargo.lock') ? [cite('pins the crates', 'Cargo.lock')] : [])),
      framework: found(framework, framework ? cite(`depends on ${framework}`, 'Cargo.toml', line(framework)) : cite(`no ${FRAMEWORKS.join(', ')} dependency`)),
      runtimeVersion: found(toolchain?.value ?? msrv ?? null, toolchain?.evidence
        ?? (msrv ? cite('rust-version is the minimum Rust: the stable toolchain rustup installs meets it', 'Cargo.toml', line('rust-version')) : cite('no toolchain pinned: rustup installs stable'))),
      buildCommand: found('cargo install --path .', cite('the Cargo buildpack installs the crate\'s binaries')),
      start: found(binary, binary
        ? cite(bins.length ? `[[bin]] ${binary}` : `src/main.rs builds the ${binary} binary`, bins.length ? 'Cargo.toml' : 'src/main.rs',
          bins.length ? matchLine(text, /^\s*\[\[bin\]\]/m)?.line : undefined)
        : cite('no binary target (a library or a workspace root): add a Procfile with "web: <binary>"')),
      test: found('cargo test', cite('Cargo runs the tests')),
      port: await rocketAware(files, framework, await readPort(files)),
      builder: found(BUILDERS.paketoBase, cite('no suggested builder ships Rust; Paketo\'s base builder runs the community Rust buildpack')),
      buildpacks: found([RUST_BUILDPACK], cite('paketo-community/rust (image docker.io/paketocommunity/rust): rustup, Cargo and a process per binary')),
      buildEnv: found({}, cite('rustup reads rust-toolchain files itself; no build settings needed')),
    };
  },
};
