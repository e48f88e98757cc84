/**
 * The JSON Schemas of bim-pack's machine-readable output, generated from the zod schemas and
 * committed under docs/schema/ (schema.test.ts checks they match). validateJsonOutput lets any
 * end-to-end test check a `--json` document or a `--progress json` line against the committed file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { z } from 'zod';
import { PlanSchema } from '@bim-pack/shared';
import { DoctorResultSchema } from '../../src/doctor/schema.js';
import { InitResultSchema } from '../../src/init/schema.js';
import { ProgressEventSchema } from '../../src/progress-schema.js';
import { DeployResultSchema, ErrorDocumentSchema, ResultDocumentSchema } from '../../src/result-schema.js';
import { REPO_ROOT } from './run-cli.js';

/** Where the committed schemas live. */
export const SCHEMA_DIR = join(REPO_ROOT, 'docs/schema');

/** Every committed schema: file stem -> zod schema and a title. */
export const JSON_SCHEMAS = {
  'deploy-result': { schema: DeployResultSchema, title: 'bim-pack deploy --json (success)' },
  'result-document': { schema: ResultDocumentSchema, title: 'Any --json document of deploy, status, logs, rollback, destroy or apps, or an error' },
  error: { schema: ErrorDocumentSchema, title: 'The --json document of any failed command' },
  plan: { schema: PlanSchema, title: 'The plan: what the detector decided, with evidence' },
  'detect-result': { schema: z.strictObject({ ok: z.literal(true), command: z.literal('detect'), plan: PlanSchema }), title: 'bim-pack detect --json' },
  'init-result': { schema: InitResultSchema, title: 'bim-pack init --json' },
  'doctor-result': { schema: DoctorResultSchema, title: 'bim-pack doctor --json' },
  'progress-event': { schema: ProgressEventSchema, title: 'One line of --progress json (stderr)' },
} as const;
export type SchemaName = keyof typeof JSON_SCHEMAS;

/** The JSON Schema text for one name, as committed (stable key order, trailing newline). */
export function renderJsonSchema(name: SchemaName): string {
  const { schema, title } = JSON_SCHEMAS[name];
  const generated = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return `${JSON.stringify({ $schema, $id: `https://bim-pack.dev/schema/${name}.schema.json`, title, ...rest }, null, 2)}\n`;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
// zod writes format "starts_with" next to the pattern that does the checking.
ajv.addFormat('starts_with', true);
const compiled = new Map<SchemaName, ValidateFunction>();

/**
 * Parses `text` (a whole --json stdout, or one --progress json line) and validates it against
 * docs/schema/<name>.schema.json. Throws with every violation listed.
 */
export async function validateJsonOutput(name: SchemaName, text: string): Promise<unknown> {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(JSON.parse(await readFile(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')));
    compiled.set(name, validate);
  }
  const value: unknown = JSON.parse(text);
  if (!validate(value)) {
    const issues = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');
    throw new Error(`output does not match docs/schema/${name}.schema.json:\n${issues}\n${text.slice(0, 500)}`);
  }
  return value;
}
