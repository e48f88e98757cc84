/** A request the API refuses: a stable code from the contract, a message, and a hint. */
import type { ApiErrorCode } from '@bim-pack/shared';

/** Thrown by services; the HTTP layer turns it into `{ error: { code, message, hint } }`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}
