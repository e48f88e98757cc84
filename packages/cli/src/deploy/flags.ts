/** The deploy command's flags, parsed once with zod. */
import { z } from 'zod';
import { BimError } from '@bim-pack/shared';

const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.coerce.string()));

export const DeployFlagsSchema = z.object({
  path: z.coerce.string().optional(),
  target: z.coerce.string().optional(),
  app: z.coerce.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label: lower-case letters, digits and -').optional(),
  image: z.coerce.string().optional(),
  tag: list,
  env: list,
  envFile: z.coerce.string().optional(),
  skipTests: z.boolean().optional(),
  force: z.boolean().optional(),
  cacheImage: z.coerce.string().optional(),
  smokeTimeout: z.coerce.number().min(1).max(3600).default(30),
  startTimeout: z.coerce.number().int().min(1).max(3600).optional(),
});
export type DeployFlags = z.infer<typeof DeployFlagsSchema>;

/** Parses flags or throws USAGE_BAD_FLAG naming the flag. */
export function parseDeployFlags(options: Record<string, unknown>, command = 'deploy'): DeployFlags {
  const parsed = DeployFlagsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new BimError('USAGE_BAD_FLAG', `${flag}: ${issue.message}`, { hint: `run \`bim-pack ${command} --help\` for the flags` });
}
