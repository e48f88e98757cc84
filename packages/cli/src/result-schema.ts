/**
 * The --json result documents of deploy, status, logs, rollback, destroy and apps, and the
 * error document every command prints on failure. One document per run, on stdout.
 * Env values never appear here: names only.
 */
import { z } from 'zod';

/** The stages of `bim-pack deploy`, in order (detect before tests: the plan names the test command). */
export const DEPLOY_STAGES = ['config', 'detect', 'tests', 'build', 'deploy', 'live', 'smoke', 'summary'] as const;
export const DeployStageSchema = z.enum(DEPLOY_STAGES);
export type DeployStage = z.infer<typeof DeployStageSchema>;

/** One timed stage. `skipped`: did not need to run (tests with --skip-tests, a reused image). */
export const StageTimingSchema = z.strictObject({
  name: DeployStageSchema,
  status: z.enum(['ok', 'skipped', 'failed']),
  durationMs: z.number().int().min(0),
  note: z.string().optional(),
});
export type StageTiming = z.infer<typeof StageTimingSchema>;

/** Where a command talked to: the local platform or a Backend.im URL. */
export const TargetSchema = z.strictObject({
  kind: z.enum(['local', 'remote']),
  url: z.string().describe('The API base URL'),
});
export type Target = z.infer<typeof TargetSchema>;

/** The outcome of one smoke check (the health-check path is the first). */
export const SmokeResultSchema = z.strictObject({
  path: z.string(),
  expectedStatus: z.number().int(),
  contains: z.string().optional(),
  status: z.number().int().nullable().describe('Last status seen, null when nothing answered'),
  ok: z.boolean(),
  attempts: z.number().int().min(0),
  bodyStart: z.string().optional().describe('First bytes of the last body, on failure'),
});
export type SmokeResult = z.infer<typeof SmokeResultSchema>;

/** The deployment as the result documents show it. */
export const DeploymentSummarySchema = z.strictObject({
  id: z.string(),
  revision: z.string(),
  status: z.string(),
  image: z.string(),
  createdAt: z.string().optional(),
  finishedAt: z.string().nullable().optional(),
});

/** `bim-pack deploy --json` on success. */
export const DeployResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('deploy'),
  app: z.string(),
  target: TargetSchema,
  url: z.string().describe('Where the app answers'),
  image: z.strictObject({
    ref: z.string().describe('What was sent to the API: repo@sha256:... or a local image id'),
    digest: z.string().nullable().describe('Manifest digest (published images)'),
    imageId: z.string().nullable().describe('Local image id (local target)'),
    reused: z.boolean().describe('True when the build was skipped: an image from the same source existed'),
  }),
  deployment: DeploymentSummarySchema,
  envNames: z.array(z.string()).describe('Runtime env names sent (never values)'),
  smoke: z.array(SmokeResultSchema),
  stages: z.array(StageTimingSchema),
  totalMs: z.number().int().min(0),
});
export type DeployResult = z.infer<typeof DeployResultSchema>;

/** `bim-pack status --json`. */
export const StatusResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('status'),
  app: z.string(),
  target: TargetSchema,
  url: z.string(),
  liveRevision: z.string().nullable(),
  liveDeploymentId: z.string().nullable(),
  deployments: z.array(DeploymentSummarySchema.extend({ failure: z.string().nullable().optional() })),
});

/** `bim-pack logs --json` (without --follow). */
export const LogsResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('logs'),
  app: z.string(),
  target: TargetSchema,
  lines: z.array(z.strictObject({ stream: z.enum(['stdout', 'stderr']), revision: z.string(), timestamp: z.string().nullable(), line: z.string() })),
});

/** `bim-pack rollback --json`. */
export const RollbackResultDocumentSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('rollback'),
  app: z.string(),
  target: TargetSchema,
  from: z.string().describe('The revision that was live'),
  revision: z.string().describe('The revision live now'),
  deploymentId: z.string(),
  url: z.string(),
});

/** `bim-pack destroy --json`. */
export const DestroyResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('destroy'),
  app: z.string(),
  target: TargetSchema,
  removedRevisions: z.array(z.string()),
});

/** `bim-pack apps --json`. */
export const AppsResultSchema = z.strictObject({
  ok: z.literal(true),
  command: z.literal('apps'),
  target: TargetSchema,
  apps: z.array(z.strictObject({
    name: z.string(),
    url: z.string(),
    liveRevision: z.string().nullable(),
    latest: z.strictObject({ id: z.string(), revision: z.string(), status: z.string() }).nullable(),
  })),
});

/**
 * The error document of any command. `error` carries the code, message, hint and the
 * details of the BimError (for deploy: stage, and digest, url, deploymentId when known;
 * CONFIG_ENV_MISSING: missing).
 */
export const ErrorDocumentSchema = z.strictObject({
  ok: z.literal(false),
  command: z.string().nullable(),
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    stage: DeployStageSchema.optional(),
    digest: z.string().optional(),
    imageRef: z.string().optional(),
    url: z.string().optional(),
    deploymentId: z.string().optional(),
    revision: z.string().optional(),
    missing: z.array(z.string()).optional(),
    failure: z.string().optional(),
    stages: z.array(StageTimingSchema).optional(),
  }),
});
export type ErrorDocument = z.infer<typeof ErrorDocumentSchema>;

/** Every result document of the deploy family, or an error document. */
export const ResultDocumentSchema = z.union([
  DeployResultSchema, StatusResultSchema, LogsResultSchema, RollbackResultDocumentSchema, DestroyResultSchema, AppsResultSchema,
  ErrorDocumentSchema,
]);
export type ResultDocument = z.infer<typeof ResultDocumentSchema>;
