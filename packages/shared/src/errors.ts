/**
 * Stable error codes and exit codes. Codes are public API: never rename one,
 * only add. Each code maps to an exit code class (see docs/errors.md).
 */

/** Exit codes, stable and documented in README.md. */
export const EXIT = {
  ok: 0,
  internal: 1,
  config: 2,
  detect: 3,
  tests: 4,
  build: 5,
  publish: 6,
  deploy: 7,
  smoke: 8,
  unreachable: 9,
  checks: 10,
  interrupted: 130,
} as const;
export type ExitClass = keyof typeof EXIT;

/** Every stable error code with its exit class. Add new codes at the end of their group. */
export const ERROR_CODES = {
  INTERNAL: 'internal',
  INTERRUPTED: 'interrupted',
  // config and usage
  USAGE_BAD_FLAG: 'config',
  CONFIG_PROJECT_TOML_INVALID: 'config',
  CONFIG_ENV_FILE_INVALID: 'config',
  CONFIG_ENV_MISSING: 'config',
  CONFIG_NO_TARGET: 'config',
  CONFIG_TOKEN_MISSING: 'config',
  CONFIG_TARGET_INVALID: 'config',
  CONFIG_INIT_INPUT_MISSING: 'config',
  // detection
  DETECT_PATH_NOT_FOUND: 'detect',
  DETECT_NOT_A_DIRECTORY: 'detect',
  DETECT_NO_APP: 'detect',
  DETECT_AMBIGUOUS_ROOT: 'detect',
  DETECT_APP_NOT_FOUND: 'detect',
  DETECT_UNREADABLE: 'detect',
  // tests
  TESTS_FAILED: 'tests',
  // build
  BUILD_PACK_MISSING: 'build',
  BUILD_PACK_TOO_OLD: 'build',
  BUILD_DOCKER_UNAVAILABLE: 'build',
  BUILD_NO_BUILDPACK_DETECTED: 'build',
  BUILD_BUILDER_UNTRUSTED: 'build',
  BUILD_PACK_FAILED: 'build',
  BUILD_NO_IMAGE_NAME: 'build',
  BUILD_SECRET_IN_IMAGE: 'build',
  // publish
  PUBLISH_REGISTRY_DENIED: 'publish',
  PUBLISH_REGISTRY_UNREACHABLE: 'publish',
  PUBLISH_DIGEST_MISSING: 'publish',
  PUBLISH_DIGEST_MISMATCH: 'publish',
  // deploy
  DEPLOY_UNAUTHORIZED: 'deploy',
  DEPLOY_REJECTED: 'deploy',
  DEPLOY_FAILED: 'deploy',
  DEPLOY_CONFLICT: 'deploy',
  DEPLOY_NOT_FOUND: 'deploy',
  DEPLOY_BAD_RESPONSE: 'deploy',
  DEPLOY_LOCAL_PLATFORM_FAILED: 'deploy',
  // smoke
  SMOKE_FAILED: 'smoke',
  // lost contact: the deployment may still finish
  API_UNREACHABLE: 'unreachable',
  // doctor
  DOCTOR_CHECKS_FAILED: 'checks',
  // platform (bim-pack platform start)
  PLATFORM_START_FAILED: 'config',
  PLATFORM_PORT_IN_USE: 'config',
  PLATFORM_NGINX_FAILED: 'config',
} as const satisfies Record<string, ExitClass>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options for a BimError beyond code and message. */
export interface BimErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Machine-readable details an agent can act on (never secrets). */
  details?: Record<string, unknown>;
}

/** The one error type users see: a stable code, what failed, and what to do. */
export class BimError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, options: BimErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BimError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
  /** The process exit code for this error's class. */
  get exitCode(): number {
    return EXIT[ERROR_CODES[this.code]];
  }
}

/** True for a BimError, also across duplicated module copies (checks the brand, not the prototype). */
export function isBimError(value: unknown): value is BimError {
  return (
    value instanceof BimError ||
    (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'BimError' &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/** The exit code for any thrown value: BimErrors by class, anything else is internal. */
export function exitCodeOf(error: unknown): number {
  if (isBimError(error) && error.code in ERROR_CODES) return EXIT[ERROR_CODES[error.code]];
  return EXIT.internal;
}
