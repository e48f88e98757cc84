/** Request and response plumbing: bounded JSON bodies, zod validation, the one error shape. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { API_ERROR_CODES, MAX_BODY_BYTES, type ApiError } from '@bim-pack/shared';
import { ApiFailure } from '../services/api-failure.js';

/** Reads the body (at most MAX_BODY_BYTES) and parses it as JSON; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => new ApiFailure('BODY_TOO_LARGE', `request body is larger than ${MAX_BODY_BYTES} bytes`, 'send less: env values and names only, no files');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiFailure('BAD_JSON', `request body is not valid JSON: ${(error as Error).message}`, 'send a JSON object with content-type: application/json');
  }
}

/** Parses with a zod schema; issues become VALIDATION_FAILED (or IMAGE_NOT_PINNED when only the image is wrong). */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const path = i.path.join('.');
    const message = i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`
      : i.code === 'invalid_key' ? (i.issues[0]?.message ?? i.message) : i.message;
    return { path, message };
  });
  const lines = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  if (issues.every((i) => i.path === 'image')) {
    throw new ApiFailure('IMAGE_NOT_PINNED', `${what}: ${lines.join('; ')}`, 'deploy the digest `bim-pack build` printed: registry/repo@sha256:<64 hex>, or a local image id sha256:<64 hex>', { issues });
  }
  throw new ApiFailure('VALIDATION_FAILED', `${what}: ${lines.join('; ')}`, 'fix the fields named above (see docs/api/openapi.json)', { issues });
}

/** Sends a JSON document. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends `{ error: { code, message, hint? } }` with the code's status. */
export function sendError(res: ServerResponse, failure: ApiFailure, headers: Record<string, string> = {}): void {
  const body: ApiError = {
    error: { code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}), ...(failure.details ? { details: failure.details } : {}) },
  };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, API_ERROR_CODES[failure.code], body, { ...headers, ...(failure.code === 'BODY_TOO_LARGE' ? { connection: 'close' } : {}) });
}
