/** The two streaming responses: Server-Sent Events for deployment events, NDJSON for logs. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TERMINAL_EVENT_NAMES, type DeploymentEvent, type LogLine } from '@bim-pack/shared';
import type { DeploymentRecord } from '../state/store.js';
import type { EventHub } from '../services/context.js';

/** Formats one SSE message (pure). */
export function formatSseEvent(event: DeploymentEvent): string {
  return `id: ${event.seq}\nevent: ${event.name}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** True when nothing more will happen to the deployment (the stream ends). */
function isTerminal(record: DeploymentRecord): boolean {
  return ['live', 'failed', 'rolled-back', 'superseded'].includes(record.deployment.status);
}

/** Replays events after Last-Event-ID, then sends live ones until a terminal event. */
export function streamEvents(req: IncomingMessage, res: ServerResponse, record: DeploymentRecord, hub: EventHub): void {
  const after = Number.parseInt(String(req.headers['last-event-id'] ?? '0'), 10) || 0;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': bim-pack platform events\n\n');
  let lastSent = after;
  const send = (event: DeploymentEvent) => {
    if (event.seq <= lastSent) return;
    lastSent = event.seq;
    res.write(formatSseEvent(event));
  };
  // Subscribe before replaying so nothing published in between is lost (seq dedupes).
  const unsubscribe = hub.subscribe(record.deployment.id, (event) => {
    send(event);
    if (TERMINAL_EVENT_NAMES.includes(event.name)) finish();
  });
  const heartbeat = setInterval(() => res.write(': keepalive\n\n'), 15_000);
  const finish = () => {
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };
  res.on('close', finish);
  for (const event of record.events) send(event);
  if (isTerminal(record)) finish();
}

/** Writes each log line as one JSON object per line until the lines end or the client leaves. */
export async function streamLogs(res: ServerResponse, lines: AsyncIterable<LogLine>, abort: AbortController): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
  // Send the headers now: a follow with tail=0 may not have a line for a long time.
  res.flushHeaders();
  res.on('close', () => abort.abort());
  try {
    for await (const line of lines) {
      if (!res.write(`${JSON.stringify(line)}\n`)) await new Promise((r) => res.once('drain', r));
    }
  } catch {
    /* the engine or the client went away: end the stream */
  }
  res.end();
}
