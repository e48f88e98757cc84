/**
 * project.toml: the CNB project descriptor (schema 0.2) plus bim-pack's own [im.backend] table.
 * Parsed once at the edge; a bad file is a BimError with file, line and column.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { BimError } from './errors.js';
import { SmokeCheckSchema } from './plan.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const BuildpackRefSchema = z
  .strictObject({
    id: z.string().min(1),
    version: z.string().optional(),
    uri: z.string().optional(),
    script: z
      .strictObject({ api: z.string(), inline: z.string(), shell: z.string().optional() })
      .optional(),
  })
  .refine((g) => [g.version, g.uri, g.script].filter((v) => v !== undefined).length <= 1, {
    message: 'give only one of version, uri or script',
  });

/** Our own table, [im.backend]. */
export const ImBackendSchema = z.strictObject({
  'schema-version': z.string().optional(),
  name: z.string().regex(DNS_LABEL, 'must be a DNS label: lower-case letters, digits and -').optional(),
  port: z.number().int().min(1).max(65535).optional(),
  'health-check-path': z.string().startsWith('/').optional(),
  'test-command': z.string().optional(),
  start: z.string().optional(),
  target: z.string().optional(),
  image: z.string().optional(),
  replicas: z.number().int().min(1).max(100).optional(),
  env: z.array(z.string().regex(ENV_NAME, 'must be a POSIX env name')).optional(),
  'secret-env': z.array(z.string().regex(ENV_NAME, 'must be a POSIX env name')).optional(),
  smoke: z.array(SmokeCheckSchema).optional(),
});
export type ImBackend = z.infer<typeof ImBackendSchema>;

export const ProjectTomlSchema = z
  .object({
    _: z
      .object({
        'schema-version': z.string().optional(),
        id: z.string().optional(),
        name: z.string().optional(),
        version: z.string().optional(),
        authors: z.array(z.string()).optional(),
        'documentation-url': z.string().optional(),
        'source-url': z.string().optional(),
        licenses: z.array(z.strictObject({ type: z.string().optional(), uri: z.string().optional() })).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .optional(),
    io: z
      .object({
        buildpacks: z
          .strictObject({
            builder: z.string().optional(),
            include: z.array(z.string()).optional(),
            exclude: z.array(z.string()).optional(),
            group: z.array(BuildpackRefSchema).optional(),
            pre: z.strictObject({ group: z.array(BuildpackRefSchema) }).optional(),
            post: z.strictObject({ group: z.array(BuildpackRefSchema) }).optional(),
            build: z
              .strictObject({
                env: z.array(z.strictObject({ name: z.string().regex(ENV_NAME), value: z.string() })),
              })
              .optional(),
          })
          .refine((b) => !(b.include && b.exclude), {
            message: 'include and exclude are mutually exclusive',
          })
          .optional(),
      })
      .passthrough()
      .optional(),
    im: z.object({ backend: ImBackendSchema.optional() }).passthrough().optional(),
  })
  .passthrough();
export type ProjectToml = z.infer<typeof ProjectTomlSchema>;

/** Finds the 1-based line of a dotted key path in TOML text (best effort, for error messages). */
function lineOfKey(text: string, path: PropertyKey[]): number | undefined {
  const key = [...path].reverse().find((p) => typeof p === 'string');
  if (typeof key !== 'string') return undefined;
  const lines = text.split('\n');
  const re = new RegExp(`^\\s*(${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=|\\[+[^\\]]*\\b${key}\\b)`);
  const index = lines.findIndex((l) => re.test(l));
  return index >= 0 ? index + 1 : undefined;
}

/** Parses project.toml text; throws CONFIG_PROJECT_TOML_INVALID with file:line:column. */
export function parseProjectToml(text: string, file = 'project.toml'): ProjectToml {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    const where = error instanceof TomlError ? `${file}:${error.line}:${error.column}` : file;
    const first = String((error as Error).message).split('\n')[0];
    throw new BimError('CONFIG_PROJECT_TOML_INVALID', `${where}: not valid TOML: ${first}`, {
      hint: `fix the syntax at ${where}; see project.toml.example for every key`,
      details: { file },
    });
  }
  const result = ProjectTomlSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const line = lineOfKey(text, issue.path);
      const where = line ? `${file}:${line}` : file;
      return `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    });
    throw new BimError('CONFIG_PROJECT_TOML_INVALID', lines.join('\n'), {
      hint: 'fix the keys above; see project.toml.example for every key',
      details: { file, issues: lines },
    });
  }
  return result.data;
}

/** Reads and parses a project.toml, or returns null when the file does not exist. */
export async function readProjectToml(path: string): Promise<ProjectToml | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new BimError('CONFIG_PROJECT_TOML_INVALID', `${path}: cannot read: ${(error as Error).message}`, {
      hint: 'check the file permissions',
    });
  }
  return parseProjectToml(text, path);
}
