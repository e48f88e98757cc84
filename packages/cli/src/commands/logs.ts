/**
 * `bim-pack logs [app] [--follow] [--tail n]`: the app's log lines from the API. With --follow,
 * lines are written as they arrive (one JSON object per line with --json) until Ctrl-C.
 */
import { z } from 'zod';
import { BimError, type LogLine } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';
import { connect } from '../deploy/connect.js';

const TailSchema = z.coerce.number().int().min(0).max(10000);

const format = (l: LogLine) => `${l.revision} ${l.stream === 'stderr' ? 'err' : 'out'} | ${l.line}`;

/** Prints (or returns) the app's log lines. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const tail = TailSchema.safeParse(options.tail ?? 100);
  if (!tail.success) throw new BimError('USAGE_BAD_FLAG', '--tail must be a whole number from 0 to 10000', { hint: 'e.g. bim-pack logs --tail 200' });
  const { client, target, app } = await connect(context, options, args[0]);
  const follow = Boolean(options.follow);
  const lines: LogLine[] = [];
  try {
    for await (const line of client.logs(app, { tail: tail.data, follow })) {
      // Following is a live view: each line goes out as it arrives, not at the end.
      if (follow) process.stdout.write(`${context.json ? JSON.stringify(line) : format(line)}\n`);
      else lines.push(line);
    }
  } catch (error) {
    if (!(follow && context.signal.aborted)) throw error;
  }
  if (follow) return { data: { app, target, lines: [] }, lines: [] };
  return { data: { app, target, lines }, lines: lines.map(format) };
}
