/**
 * Deployments: the create request, the deployment resource, its events and
 * failure classes. A deployment is one revision of an app.
 */
import { z } from 'zod';
import {
  apiRegistry, AppNameSchema, DeploymentIdSchema, EnvNameSchema, ImageRefSchema, RevisionSchema, TimestampSchema,
} from './names.js';

/** Event names, in the order a successful deployment emits them (failed and rolled-back end it otherwise). */
export const DEPLOYMENT_EVENT_NAMES = [
  'queued', 'pulling', 'starting', 'health-checking', 'switching', 'live', 'failed', 'rolled-back',
] as const;
export const DeploymentEventNameSchema = z.enum(DEPLOYMENT_EVENT_NAMES);
export type DeploymentEventName = z.infer<typeof DeploymentEventNameSchema>;

/** Deployment states. `superseded`: was live, replaced by a newer deployment; `rolled-back`: was live, replaced by a rollback. */
export const DEPLOYMENT_STATUSES = [
  'queued', 'pulling', 'starting', 'health-checking', 'switching', 'live', 'failed', 'rolled-back', 'superseded',
] as const;
export const DeploymentStatusSchema = z.enum(DEPLOYMENT_STATUSES);
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

/** States after which a deployment's event stream ends. `live` ends the stream too: the deployment reached its goal. */
export const TERMINAL_EVENT_NAMES: readonly DeploymentEventName[] = ['live', 'failed', 'rolled-back'];

/** Why a deployment failed. Stable values; clients map them to their own messages and exit codes. */
export const FAILURE_REASONS = [
  'exited-on-boot', // the container stopped before answering its health check
  'never-listened', // nothing listened on any port before the deadline
  'wrong-port', // the app listened, but on another port than PORT
  'health-timeout', // something listened on PORT but the health check never answered 2xx/3xx in time
  'image-not-found', // the digest or local image id does not exist
  'pull-denied', // the registry refused the platform's credentials
  'pull-failed', // any other pull failure (registry unreachable, bad manifest)
  'start-failed', // the runtime refused to create or start the container
  'proxy-failed', // nginx rejected the new config or did not reload; the old revision keeps serving
  'runtime-unavailable', // the container runtime (Docker) did not answer
  'interrupted', // the platform stopped during the deployment
] as const;
export const FailureReasonSchema = z.enum(FAILURE_REASONS);
export type FailureReason = z.infer<typeof FailureReasonSchema>;

/** A failed deployment's diagnosis. */
export const DeploymentFailureSchema = z
  .strictObject({
    reason: FailureReasonSchema,
    message: z.string(),
    exitCode: z.number().int().optional().describe('The container exit code, when it exited'),
    listeningPorts: z.array(z.number().int()).optional().describe('Ports the container listened on, for wrong-port'),
    logTail: z.array(z.string()).describe('The new container\'s last log lines'),
  })
  .register(apiRegistry, { id: 'DeploymentFailure' });
export type DeploymentFailure = z.infer<typeof DeploymentFailureSchema>;

/** Timeouts of one deployment, in seconds. */
export const DeploymentTimeoutsSchema = z
  .strictObject({
    pullSeconds: z.number().int().min(1).max(3600).default(300),
    startSeconds: z.number().int().min(1).max(3600).default(60).describe('From container start to a passing health check'),
    healthCheckSeconds: z.number().int().min(1).max(60).default(2).describe('Per health-check request'),
    drainSeconds: z.number().min(0).max(600).default(5).describe('How long the old revision keeps running after the switch'),
  })
  .register(apiRegistry, { id: 'DeploymentTimeouts' });
export type DeploymentTimeouts = z.infer<typeof DeploymentTimeoutsSchema>;

/** POST /v1/apps/{app}/deployments. Creates the app on its first deployment. Unknown fields are rejected. */
export const DeploymentCreateSchema = z
  .strictObject({
    image: ImageRefSchema.describe('registry/repo@sha256:<64hex> or a local image id sha256:<64hex>; tags are rejected'),
    env: z.record(EnvNameSchema, z.string().max(65536)).default({}).describe('Runtime env. Values are never echoed back'),
    secretEnv: z.array(EnvNameSchema).default([]).describe('Names in env whose values are secrets (Swarm secrets on that runtime)'),
    port: z.number().int().min(1).max(65535).default(8080).describe('The port the app listens on; also given to it as PORT'),
    healthCheckPath: z.string().startsWith('/').max(1024).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').default('/'),
    timeouts: DeploymentTimeoutsSchema.default(DeploymentTimeoutsSchema.parse({})),
    replicas: z.number().int().min(1).max(100).optional().describe('Default 1; the single-host runtime supports 1 only'),
  })
  .superRefine((body, ctx) => {
    for (const [index, name] of body.secretEnv.entries()) {
      if (!(name in body.env)) ctx.addIssue({ code: 'custom', path: ['secretEnv', index], message: `${name} is not in env` });
    }
    if ('PORT' in body.env) ctx.addIssue({ code: 'custom', path: ['env', 'PORT'], message: 'PORT is set by the platform from port' });
  })
  .register(apiRegistry, { id: 'DeploymentCreate' });
export type DeploymentCreate = z.input<typeof DeploymentCreateSchema>;
export type DeploymentCreateParsed = z.output<typeof DeploymentCreateSchema>;

/** A deployment (one revision of an app). Env values never appear here: names only. */
export const DeploymentSchema = z
  .strictObject({
    id: DeploymentIdSchema,
    app: AppNameSchema,
    revision: RevisionSchema,
    image: z.string(),
    imageId: z.string().nullable().describe('The local image id the revision runs, once known'),
    status: DeploymentStatusSchema,
    envNames: z.array(EnvNameSchema),
    secretEnvNames: z.array(EnvNameSchema),
    port: z.number().int(),
    healthCheckPath: z.string(),
    replicas: z.number().int(),
    failure: DeploymentFailureSchema.nullable(),
    createdAt: TimestampSchema,
    finishedAt: TimestampSchema.nullable().describe('When it became live or failed'),
    url: z.string().describe('Where the app answers once this revision is live'),
  })
  .register(apiRegistry, { id: 'Deployment' });
export type Deployment = z.infer<typeof DeploymentSchema>;

/** GET /v1/apps/{app}/deployments: newest first. */
export const DeploymentListSchema = z
  .strictObject({ deployments: z.array(DeploymentSchema) })
  .register(apiRegistry, { id: 'DeploymentList' });
export type DeploymentList = z.infer<typeof DeploymentListSchema>;

/** One Server-Sent Event of GET .../events (`event:` is the name, `id:` the seq, `data:` this JSON). */
export const DeploymentEventSchema = z
  .strictObject({
    seq: z.number().int().min(1).describe('1, 2, ... per deployment; send it back as Last-Event-ID to resume'),
    deploymentId: DeploymentIdSchema,
    name: DeploymentEventNameSchema,
    timestamp: TimestampSchema,
    message: z.string(),
    failure: DeploymentFailureSchema.optional().describe('On failed events'),
  })
  .register(apiRegistry, { id: 'DeploymentEvent' });
export type DeploymentEvent = z.infer<typeof DeploymentEventSchema>;
