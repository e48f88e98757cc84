/** The doctor's checks and its --json result document (zod; docs/schema is generated from it). */
import { z } from 'zod';

/** The checks, in the order they are shown. */
export const CHECK_IDS = ['pack', 'docker', 'registry', 'target', 'builder', 'git', 'project-toml'] as const;
export const CheckIdSchema = z.enum(CHECK_IDS);
export type CheckId = z.infer<typeof CheckIdSchema>;

/** One check's outcome: pass, warn (works, but worth knowing), fail (deploy will not work), skip (does not apply). */
export const CheckSchema = z.strictObject({
  id: CheckIdSchema,
  status: z.enum(['pass', 'warn', 'fail', 'skip']),
  message: z.string().describe('What was found, one line'),
  hint: z.string().optional().describe('The command or setting that fixes it'),
  code: z.string().optional().describe('The error code the same problem gives in deploy'),
  durationMs: z.number().int().min(0),
});
export type Check = z.infer<typeof CheckSchema>;

/** `bim-pack doctor --json`. ok is true when no check failed (and, with --strict, none warned). */
export const DoctorResultSchema = z.strictObject({
  ok: z.boolean(),
  command: z.literal('doctor'),
  checks: z.array(CheckSchema),
  counts: z.strictObject({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int(), skip: z.number().int() }),
  error: z
    .strictObject({ code: z.literal('DOCTOR_CHECKS_FAILED'), message: z.string(), hint: z.string() })
    .optional()
    .describe('Present when ok is false'),
});
export type DoctorResult = z.infer<typeof DoctorResultSchema>;
