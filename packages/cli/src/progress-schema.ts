/**
 * The `--progress json` events: one JSON object per line on stderr. render.ts builds every
 * event through `progressEvent`, so this schema and the stream cannot drift apart.
 */
import { z } from 'zod';

const base = {
  time: z.string().describe('ISO 8601 time the event was written'),
  elapsedMs: z.number().int().min(0).describe('Milliseconds since the command started'),
};

/** A stage begins (config, tests, detect, build, deploy, live, smoke, summary...). */
export const StageEventSchema = z.strictObject({
  type: z.literal('stage'),
  ...base,
  stage: z.string(),
  message: z.string().optional(),
});

/** A stage ends: how long it took and whether it worked. */
export const StageEndEventSchema = z.strictObject({
  type: z.literal('stage-end'),
  ...base,
  stage: z.string(),
  durationMs: z.number().int().min(0),
  status: z.enum(['ok', 'skipped', 'failed']),
});

/** A step inside the current stage, or a plain message. */
export const MessageEventSchema = z.strictObject({
  type: z.enum(['step', 'info', 'warn', 'debug']),
  ...base,
  message: z.string(),
});

/** One line of a child process (pack, the app's tests); only with --verbose. */
export const OutputEventSchema = z.strictObject({
  type: z.literal('output'),
  ...base,
  source: z.string(),
  line: z.string(),
});

/** The command failed: the last event, the same code, message and hint as the --json error document. */
export const ErrorEventSchema = z.strictObject({
  type: z.literal('error'),
  ...base,
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
});

/** Any `--progress json` event. */
export const ProgressEventSchema = z.discriminatedUnion('type', [StageEventSchema, StageEndEventSchema, MessageEventSchema, OutputEventSchema, ErrorEventSchema]);
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

/** Event fields other than the common time fields. */
export type ProgressEventBody = ProgressEvent extends infer E ? (E extends ProgressEvent ? Omit<E, 'time' | 'elapsedMs'> : never) : never;

/** Builds one event, stamped with the time and the elapsed milliseconds. */
export function progressEvent(body: ProgressEventBody, started: number, now = Date.now()): ProgressEvent {
  return { ...body, time: new Date(now).toISOString(), elapsedMs: Math.max(0, now - started) } as ProgressEvent;
}
