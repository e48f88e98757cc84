/** The OpenAPI 3.1 document, generated from the zod schemas (the schemas are the source of truth). */
import { z } from 'zod';
import { API_ERROR_CODES } from './errors.js';
import { apiRegistry } from './names.js';
import { IDEMPOTENCY_KEY_HEADER, ROUTES, type RouteSpec } from './routes.js';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The component id a schema was registered under (every route schema must be registered). */
function idOf(schema: z.ZodType): string {
  const meta = apiRegistry.get(schema);
  if (!meta) throw new Error('an API schema is not registered in apiRegistry');
  return meta.id;
}

function operation(name: string, route: RouteSpec): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const key of Object.keys(route.params?.shape ?? {})) {
    parameters.push({ name: key, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (route.query) parameters.push({ name: 'query', in: 'query', style: 'form', explode: true, schema: ref(idOf(route.query)) });
  if (route.idempotent) {
    parameters.push({
      name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
      description: 'Same key and body within 24 h: the same deployment (200, Idempotent-Replayed: true). Same key, other body: 422 IDEMPOTENCY_KEY_REUSED.',
    });
  }
  const media = route.kind === 'sse' ? 'text/event-stream' : route.kind === 'ndjson' ? 'application/x-ndjson' : 'application/json';
  const responses: Record<string, unknown> = {
    [String(route.status)]: { description: route.kind === 'json' ? 'OK' : `Stream of ${idOf(route.response)}`, content: { [media]: { schema: ref(idOf(route.response)) } } },
    default: { description: 'Error', content: { 'application/json': { schema: ref('Error') } } },
  };
  if (route.idempotent) responses['200'] = { description: 'Replayed by Idempotency-Key', content: { [media]: { schema: ref(idOf(route.response)) } } };
  return {
    operationId: name,
    summary: route.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(idOf(route.body)) } } } } : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document for the v1 API. Deterministic: same schemas, same JSON. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(apiRegistry, { target: 'draft-2020-12', io: 'input', uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(ROUTES) as Array<[string, RouteSpec]>) {
    const path = route.path.replace(/:([a-z]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(name, route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Backend.im deploy API',
      version,
      description: `Bearer-token auth on every route. Errors: { error: { code, message, hint? } } with codes ${Object.keys(API_ERROR_CODES).join(', ')}. Header: ${IDEMPOTENCY_KEY_HEADER} on create.`,
    },
    servers: [{ url: 'http://127.0.0.1:7070' }],
    security: [{ bearer: [] }],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
