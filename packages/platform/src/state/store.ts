/**
 * The platform's state: apps, deployments and their events, in one JSON file in
 * the data dir. Written atomically (temp file, fsync, rename) after every change,
 * so a kill -9 leaves either the old or the new file, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DeploymentEventSchema, DeploymentSchema, DeploymentTimeoutsSchema } from '@bim-pack/shared';

const EndpointSchema = z.object({ host: z.literal('127.0.0.1'), port: z.number().int() });

const DeploymentRecordSchema = z.object({
  deployment: DeploymentSchema,
  containerId: z.string().nullable(),
  endpoint: EndpointSchema.nullable(),
  events: z.array(DeploymentEventSchema),
  idempotency: z.object({ key: z.string(), hash: z.string(), at: z.string() }).nullable(),
  timeouts: DeploymentTimeoutsSchema,
});
/** A deployment with what only the platform needs (container, endpoint, events, idempotency). Never env values. */
export type DeploymentRecord = z.infer<typeof DeploymentRecordSchema>;

const AppRecordSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  nextRevision: z.number().int().min(1),
  liveDeploymentId: z.string().nullable(),
  /** Deployment ids that went live, oldest first: rollback walks it backwards. */
  liveHistory: z.array(z.string()),
});
/** An app as stored. */
export type AppRecord = z.infer<typeof AppRecordSchema>;

const StateSchema = z.object({
  version: z.literal(1),
  platformId: z.string().regex(/^[a-z0-9]{6,12}$/),
  /** Keys the idempotency body hashes so the file holds no plain hash of env values. */
  hashKey: z.string(),
  apps: z.record(z.string(), AppRecordSchema),
  deployments: z.record(z.string(), DeploymentRecordSchema),
});
/** The whole state file. */
export type PlatformState = z.infer<typeof StateSchema>;

/** Loads, holds and saves the state file. */
export class StateStore {
  private writing: Promise<void> = Promise.resolve();
  private constructor(readonly path: string, readonly state: PlatformState) {}

  /** Reads `<dataDir>/state.json`, or starts a fresh state. A corrupt file is an error (never silently reset). */
  static async load(dataDir: string): Promise<StateStore> {
    const path = join(dataDir, 'state.json');
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) {
      const fresh: PlatformState = {
        version: 1,
        platformId: randomBytes(6).toString('hex').slice(0, 8),
        hashKey: randomBytes(32).toString('base64url'),
        apps: {},
        deployments: {},
      };
      const store = new StateStore(path, fresh);
      await store.save();
      return store;
    }
    const parsed = StateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(`${path} is not a valid platform state file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).slice(0, 3).join('; ')}`);
    }
    return new StateStore(path, parsed.data);
  }

  /** Writes the current state atomically. Calls are serialized; the last one wins. */
  save(): Promise<void> {
    const text = `${JSON.stringify(this.state, null, 2)}\n`;
    const next = this.writing.then(async () => {
      const temp = `${this.path}.${process.pid}.tmp`;
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}
