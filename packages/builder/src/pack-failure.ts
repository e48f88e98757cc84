/** Classifies a failed `pack build` from its exit code and last lines into a BimError with a hint. Pure. */
import { BimError } from '@bim-pack/shared';

/** What is known about a failed pack run. */
export interface PackFailure {
  exitCode: number;
  /** The last lines of pack's output (secrets already masked). */
  tail: string[];
  builder: string;
  image: string;
  registry: string;
}

const DOCKER_DOWN = /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker\.sock: connect|dial unix [^ ]*docker[^ ]*\.sock/i;
const NOT_DETECTED = /failed with status code: 20\b|No buildpack groups passed detection/i;
const UNTRUSTED = /\buntrusted\b|is not trusted|not a trusted builder/i;
const DENIED = /unauthorized|denied|authentication required|failed to ensure registry read\/write access|\b40[13] (Unauthorized|Forbidden)\b|status(?: code)?:? 40[13]\b|no basic auth credentials/i;

/** Where the registry credentials are set, for hints. */
export function credentialsHint(registry: string): string {
  if (registry === 'ghcr.io') {
    return 'export GITHUB_TOKEN=<a token with write:packages> (in GitHub Actions: permissions: packages: write), or run `docker login ghcr.io`';
  }
  return `export BIM_REGISTRY_USERNAME=<user> BIM_REGISTRY_PASSWORD=<token> for ${registry}, or run \`docker login ${registry}\``;
}

/** The BimError for a failed pack run. */
export function classifyPackFailure(failure: PackFailure): BimError {
  const text = failure.tail.join('\n');
  const details = { packExitCode: failure.exitCode, tail: failure.tail };
  const status = /failed with status code: (\d+)/.exec(text)?.[1];
  if (DOCKER_DOWN.test(text)) {
    return new BimError('BUILD_DOCKER_UNAVAILABLE', `pack could not reach a Docker engine (pack exit ${failure.exitCode})`, {
      hint: 'start Docker (`sudo systemctl start docker`, or open Docker Desktop) or set DOCKER_HOST to a running engine; check with `docker info`',
      details,
    });
  }
  if (NOT_DETECTED.test(text)) {
    return new BimError('BUILD_NO_BUILDPACK_DETECTED', `no buildpack of ${failure.builder} recognised the app (lifecycle status 20)`, {
      hint: 'run `bim-pack detect` to see what was found; add the files the buildpack needs (e.g. package.json), or pick another builder with --builder (see `pack builder suggest`) or add one with --buildpack',
      details,
    });
  }
  if (DENIED.test(text)) {
    return new BimError('PUBLISH_REGISTRY_DENIED', `the registry ${failure.registry} refused access to ${failure.image} (pack exit ${failure.exitCode})`, {
      hint: credentialsHint(failure.registry),
      details,
    });
  }
  if (UNTRUSTED.test(text)) {
    return new BimError('BUILD_BUILDER_UNTRUSTED', `pack does not trust the builder ${failure.builder}`, {
      hint: `pack config trusted-builders add ${failure.builder}`,
      details,
    });
  }
  const where = status ? `lifecycle status ${status}, pack exit ${failure.exitCode}` : `pack exit ${failure.exitCode}`;
  return new BimError('BUILD_PACK_FAILED', `pack build of ${failure.image} failed (${where})`, {
    hint: 'read pack\'s last lines above; run again with --verbose for all of its output',
    details,
  });
}
