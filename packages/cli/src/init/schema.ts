/** `bim-pack init --json`: each file with what init did (or, with --dry-run, would do) to it. */
import { z } from 'zod';

export const InitResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('init'),
  dryRun: z.boolean(),
  app: z.string(),
  path: z.string().describe('The app folder, relative to the folder init ran on'),
  files: z.array(z.strictObject({
    path: z.string().describe('Relative to the folder init ran on'),
    action: z.enum(['create', 'skip', 'overwrite', 'append']),
  })),
});
export type InitResult = z.infer<typeof InitResultSchema>;
