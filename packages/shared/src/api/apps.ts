/** Apps, rollback, logs and identity: the resources around deployments. */
import { z } from 'zod';
import { DeploymentSchema, DeploymentStatusSchema } from './deployments.js';
import { apiRegistry, AppNameSchema, DeploymentIdSchema, RevisionSchema, TimestampSchema } from './names.js';

/** An app: created by its first deployment, served at `url` once a revision is live. */
export const AppSchema = z
  .strictObject({
    name: AppNameSchema,
    url: z.string(),
    liveRevision: RevisionSchema.nullable(),
    liveDeploymentId: DeploymentIdSchema.nullable(),
    latestDeployment: z
      .strictObject({ id: DeploymentIdSchema, revision: RevisionSchema, status: DeploymentStatusSchema })
      .nullable(),
    createdAt: TimestampSchema,
  })
  .register(apiRegistry, { id: 'App' });
export type App = z.infer<typeof AppSchema>;

/** GET /v1/apps */
export const AppListSchema = z.strictObject({ apps: z.array(AppSchema) }).register(apiRegistry, { id: 'AppList' });
export type AppList = z.infer<typeof AppListSchema>;

/** DELETE /v1/apps/{app}: every revision's container is removed and the app leaves nginx. */
export const AppDestroyedSchema = z
  .strictObject({ name: AppNameSchema, destroyed: z.literal(true), removedRevisions: z.array(RevisionSchema) })
  .register(apiRegistry, { id: 'AppDestroyed' });
export type AppDestroyed = z.infer<typeof AppDestroyedSchema>;

/** POST /v1/apps/{app}/rollback: no revision = the revision live before the current one. */
export const RollbackRequestSchema = z
  .strictObject({ revision: RevisionSchema.optional() })
  .register(apiRegistry, { id: 'RollbackRequest' });
export type RollbackRequest = z.infer<typeof RollbackRequestSchema>;

/** The rollback outcome: `from` is now rolled-back, `deployment` is live again. Synchronous: answers once switched. */
export const RollbackResultSchema = z
  .strictObject({ app: AppNameSchema, from: RevisionSchema, deployment: DeploymentSchema })
  .register(apiRegistry, { id: 'RollbackResult' });
export type RollbackResult = z.infer<typeof RollbackResultSchema>;

/** Query of GET /v1/apps/{app}/logs. */
export const LogsQuerySchema = z
  .strictObject({
    tail: z.coerce.number().int().min(0).max(10000).default(100),
    follow: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
    revision: RevisionSchema.optional().describe('Default: the live revision, else the latest'),
  })
  .register(apiRegistry, { id: 'LogsQuery' });
export type LogsQuery = z.output<typeof LogsQuerySchema>;

/** One line of GET /v1/apps/{app}/logs (application/x-ndjson, one object per line). */
export const LogLineSchema = z
  .strictObject({
    stream: z.enum(['stdout', 'stderr']),
    revision: RevisionSchema,
    timestamp: TimestampSchema.nullable(),
    line: z.string(),
  })
  .register(apiRegistry, { id: 'LogLine' });
export type LogLine = z.infer<typeof LogLineSchema>;

/** GET /v1/whoami: a cheap check that the URL is a platform and the token is right. */
export const WhoamiSchema = z
  .strictObject({
    subject: z.string().describe('Who the token belongs to'),
    apiVersion: z.literal('v1'),
    platform: z.string().describe('Server name and version'),
    runtime: z.string().describe('docker, swarm, ...'),
    proxyUrl: z.string().describe('Apps answer at http://<app>.<host>:<port> under this'),
  })
  .register(apiRegistry, { id: 'Whoami' });
export type Whoami = z.infer<typeof WhoamiSchema>;
