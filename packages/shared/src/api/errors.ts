/**
 * The one error shape of the API, `{ error: { code, message, hint? } }`, and its
 * stable codes with their HTTP status. Codes are public API: add, never rename.
 */
import { z } from 'zod';
import { apiRegistry } from './names.js';

/** Every API error code and the HTTP status it is sent with. */
export const API_ERROR_CODES = {
  UNAUTHORIZED: 401,
  BAD_JSON: 400,
  VALIDATION_FAILED: 400,
  IMAGE_NOT_PINNED: 400,
  BODY_TOO_LARGE: 413,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  APP_NOT_FOUND: 404,
  DEPLOYMENT_NOT_FOUND: 404,
  REVISION_NOT_FOUND: 404,
  IMAGE_NOT_FOUND: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_INVALID: 400,
  REPLICAS_NOT_SUPPORTED: 422,
  DEPLOYMENT_IN_PROGRESS: 409,
  NOTHING_TO_ROLL_BACK: 409,
  REVISION_NOT_AVAILABLE: 409,
  ROLLBACK_FAILED: 502,
  RUNTIME_UNAVAILABLE: 503,
  PROXY_FAILED: 500,
  INTERNAL: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_CODES;

const codes = Object.keys(API_ERROR_CODES) as [ApiErrorCode, ...ApiErrorCode[]];

/** The code enum; clients should treat unknown codes as INTERNAL-like failures. */
export const ApiErrorCodeSchema = z.enum(codes);

/** The body of every non-2xx response. */
export const ApiErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string().describe('Stable error code, one of API_ERROR_CODES (new codes may be added)'),
      message: z.string().describe('What failed, and which thing'),
      hint: z.string().optional().describe('The command or setting that fixes it'),
      details: z.record(z.string(), z.unknown()).optional().describe('Machine-readable details, never secrets'),
    }),
  })
  .register(apiRegistry, { id: 'Error' });
export type ApiError = z.infer<typeof ApiErrorSchema>;
