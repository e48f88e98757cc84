/** Maps API error documents and transport failures to BimErrors with stable codes and hints. */
import { ApiErrorSchema, BimError, type ErrorCode } from '@bim-pack/shared';
import type { NetworkError } from './http.js';

const NOT_FOUND = new Set(['APP_NOT_FOUND', 'DEPLOYMENT_NOT_FOUND', 'REVISION_NOT_FOUND']);
const CONFLICT = new Set(['DEPLOYMENT_IN_PROGRESS', 'NOTHING_TO_ROLL_BACK', 'REVISION_NOT_AVAILABLE']);

/** The bim-pack code for an API error code and HTTP status. */
export function codeForApiError(apiCode: string, status: number): ErrorCode {
  if (status === 401 || apiCode === 'UNAUTHORIZED') return 'DEPLOY_UNAUTHORIZED';
  if (NOT_FOUND.has(apiCode)) return 'DEPLOY_NOT_FOUND';
  if (CONFLICT.has(apiCode) || status === 409) return 'DEPLOY_CONFLICT';
  if (apiCode === 'ROUTE_NOT_FOUND' || apiCode === 'METHOD_NOT_ALLOWED') return 'DEPLOY_BAD_RESPONSE';
  if (status >= 500) return 'API_UNREACHABLE';
  return 'DEPLOY_REJECTED';
}

/** Context for messages: which API and which call. */
export interface CallContext {
  baseUrl: string;
  /** e.g. "POST /v1/apps/shop/deployments" */
  what: string;
}

/** A BimError for a non-2xx response (parsed with the contract's error schema). */
export function errorFromResponse(status: number, text: string, ctx: CallContext): BimError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ApiErrorSchema.safeParse(json);
  if (!parsed.success) {
    if (status >= 500) {
      return new BimError('API_UNREACHABLE', `${ctx.what} answered ${status} from ${ctx.baseUrl}`, {
        hint: 'the API is failing; try again shortly, and check the deployment with `bim-pack status`',
        details: { status },
      });
    }
    return new BimError('DEPLOY_BAD_RESPONSE', `${ctx.what} answered ${status} without a Backend.im error document: is ${ctx.baseUrl} a Backend.im API?`, {
      hint: 'check --target, BACKEND_IM_URL or [im.backend] target in project.toml',
      details: { status },
    });
  }
  const { code: apiCode, message, hint } = parsed.data.error;
  const code = codeForApiError(apiCode, status);
  const fallbackHint = code === 'DEPLOY_UNAUTHORIZED'
    ? 'set BACKEND_IM_TOKEN to a valid token (for --target local: the token in the platform data dir)'
    : 'check the request above and try again';
  return new BimError(code, `${ctx.what}: ${message} (${apiCode})`, { hint: hint ?? fallbackHint, details: { status, apiCode } });
}

/** The API could not be reached (after retries). */
export function unreachable(error: NetworkError | BimError, ctx: CallContext, attempts: number): BimError {
  const why = error.message;
  return new BimError('API_UNREACHABLE', `lost contact with the API at ${ctx.baseUrl} (${ctx.what}, ${attempts} attempts): ${why}`, {
    hint: 'check the network and the API, then `bim-pack status` shows whether anything changed',
    cause: error,
  });
}

/** A 2xx body that does not match the contract. */
export function badResponse(ctx: CallContext, issues: string): BimError {
  return new BimError('DEPLOY_BAD_RESPONSE', `${ctx.what}: the response does not match the v1 API contract: ${issues}`, {
    hint: 'make sure the target runs a compatible Backend.im API (bim-pack doctor checks it)',
  });
}
