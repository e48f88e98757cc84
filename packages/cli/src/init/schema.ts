/** `bim-pack init --json`: each file with what init did (or, with --dry-run, would do) to it. */
import { z } from 'zod';

export const InitResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('init'),
  dryRun: z.boolean(),
  app: z.string(),
  root: z.string().describe('Where the files go: the git repository root holding the folder, else the folder itself'),
  path: z.string().describe('The app folder, relative to root'),
  files: z.array(z.strictObject({
    path: z.string().describe('Relative to root'),
    action: z.enum(['create', 'skip', 'overwrite', 'append']),
  })),
});
export type InitResult = z.infer<typeof InitResultSchema>;
