/** Doctor checks of the local tools: pack, the Docker engine and the builder image. */
import { isBimError } from '@bim-pack/shared';
import type { Check } from './schema.js';
import { runTool } from './run-tool.js';

/** A check's outcome without its id and time (run-doctor adds them). */
export type Outcome = Omit<Check, 'id' | 'durationMs'>;

const firstLine = (text: string) => text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';

/** pack on PATH, at least the version with --report-output-dir. */
export async function checkPack(env: Record<string, string | undefined>, signal?: AbortSignal): Promise<Outcome> {
  const { checkPackVersion, MIN_PACK_VERSION } = await import('@bim-pack/builder');
  const run = await runTool('pack', ['--version'], { env, signal });
  try {
    const version = checkPackVersion(run);
    return { status: 'pass', message: `pack ${version} (bim-pack needs ${MIN_PACK_VERSION} or later)` };
  } catch (error) {
    if (!isBimError(error)) throw error;
    return { status: 'fail', message: error.message, code: error.code, ...(error.hint ? { hint: error.hint } : {}) };
  }
}

/** The Docker engine answers (pack needs it even with --publish). */
export async function checkDocker(env: Record<string, string | undefined>, signal?: AbortSignal): Promise<Outcome> {
  const run = await runTool('docker', ['version', '--format', '{{.Server.Version}}'], { env, signal });
  const hint = 'start Docker (`sudo systemctl start docker`, or Docker Desktop) or set DOCKER_HOST; check with `docker info`';
  if (run.notFound) return { status: 'fail', message: 'the docker CLI is not on PATH', code: 'BUILD_DOCKER_UNAVAILABLE', hint: 'install Docker: https://docs.docker.com/engine/install/' };
  if (run.exitCode !== 0 || !run.stdout.trim()) {
    return { status: 'fail', message: `the Docker engine does not answer: ${firstLine(run.stderr) || `exit ${run.exitCode}`}`, code: 'BUILD_DOCKER_UNAVAILABLE', hint };
  }
  return { status: 'pass', message: `Docker engine ${run.stdout.trim()}` };
}

/**
 * The builder: trusted (pack's own list) and pullable, i.e. in the local engine already or
 * answering a manifest HEAD at its registry.
 */
export async function checkBuilder(builder: string | null, env: Record<string, string | undefined>, signal?: AbortSignal): Promise<Outcome> {
  if (!builder) return { status: 'skip', message: 'no plan, so no builder to check (see the project.toml check)' };
  const { isKnownTrustedBuilder, RegistryClient, registryOf, repositoryOf } = await import('@bim-pack/builder');
  const trusted = isKnownTrustedBuilder(builder);
  const trust = trusted ? 'trusted' : 'not on pack\'s trusted list (pack runs its phases in separate containers)';
  const local = await runTool('docker', ['image', 'inspect', '--format', '{{.Id}}', builder], { env, signal });
  if (local.exitCode === 0) return { status: trusted ? 'pass' : 'warn', message: `builder ${builder}: ${trust}, present in the local engine` };
  const ref = builder.includes('@') ? builder.slice(builder.indexOf('@') + 1) : /:[^/]+$/.test(builder) ? builder.slice(builder.lastIndexOf(':') + 1) : 'latest';
  try {
    const client = new RegistryClient({ registry: registryOf(builder), signal, timeoutMs: 10_000 });
    const found = await client.headManifest(repositoryOf(builder), ref);
    if (found) return { status: trusted ? 'pass' : 'warn', message: `builder ${builder}: ${trust}, pullable (${found.digest.slice(0, 19)}...)` };
    return { status: 'fail', message: `builder ${builder} does not exist at its registry`, code: 'BUILD_PACK_FAILED', hint: 'set a builder from `pack builder suggest` under [io.buildpacks] builder in project.toml' };
  } catch (error) {
    if (!isBimError(error)) throw error;
    return { status: 'fail', message: `builder ${builder} is not in the local engine and cannot be pulled: ${error.message}`, code: error.code, hint: `check the network, or pull it once: \`docker pull ${builder}\`` };
  }
}
