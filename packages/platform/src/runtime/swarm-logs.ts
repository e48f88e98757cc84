/**
 * A revision's log lines from Swarm's service logs: the stream carries every task of the
 * service, each line tagged with its task id (details=true), so lines of other revisions are dropped.
 */
import { engineMessage } from './docker-api.js';
import { LineSplitter, LogDemuxer, splitTimestamp } from './log-demux.js';
import type { SwarmApi } from './swarm-api.js';
import { revisionOf } from './swarm-spec.js';
import { RuntimeError, type RuntimeLogLine } from './types.js';

/** Splits the details prefix ("com.docker.swarm.node.id=..,..,com.docker.swarm.task.id=ID ") from a line. */
export function splitDetails(line: string): { taskId: string | undefined; line: string } {
  const match = /^(\S*com\.docker\.swarm\.task\.id=([a-z0-9]+)\S*) (.*)$/s.exec(line);
  return match ? { taskId: match[2], line: match[3]! } : { taskId: undefined, line };
}

/** Yields the revision's lines: the last `tail` per task, then new ones while following. */
export async function* readSwarmLogs(api: SwarmApi, serviceId: string, revision: string, options: { tail: number; follow: boolean; signal?: AbortSignal }): AsyncIterable<RuntimeLogLine> {
  const mine = new Set<string>();
  const others = new Set<string>();
  const refresh = async () => {
    for (const task of await api.listTasks(serviceId)) (revisionOf(task.Spec.ContainerSpec?.Labels) === revision ? mine : others).add(task.ID);
  };
  await refresh();
  const response = await api.docker.open('GET', `/services/${serviceId}/logs`, {
    query: { stdout: true, stderr: true, timestamps: true, details: true, tail: options.tail, follow: options.follow }, signal: options.signal,
  });
  if (response.status !== 200) {
    let text = '';
    for await (const chunk of response.body) text += chunk.toString('utf8');
    throw new RuntimeError('runtime-unavailable', `reading logs of ${revision} failed: ${engineMessage(text)}`);
  }
  const demuxer = new LogDemuxer();
  const splitter = new LineSplitter();
  const keep = async (raw: string, stream: 'stdout' | 'stderr'): Promise<RuntimeLogLine | undefined> => {
    const { timestamp, line: rest } = splitTimestamp(raw);
    const { taskId, line } = splitDetails(rest);
    if (taskId && !mine.has(taskId) && !others.has(taskId)) await refresh();
    return taskId && !mine.has(taskId) ? undefined : { stream, timestamp, line };
  };
  try {
    for await (const chunk of response.body) {
      for (const frame of demuxer.push(chunk)) {
        for (const raw of splitter.push(frame)) {
          const line = await keep(raw, frame.stream);
          if (line) yield line;
        }
      }
    }
  } catch (error) {
    if (!options.signal?.aborted) throw error;
  } finally {
    response.body.destroy();
  }
  for (const rest of splitter.flush()) {
    const line = await keep(rest.line, rest.stream);
    if (line) yield line;
  }
}
