import { BimError } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';

/** `bim-pack destroy`: not written yet. */
export async function run(_context: CommandContext, _args: string[], _options: Record<string, unknown>): Promise<CommandResult> {
  throw new BimError('INTERNAL', '`destroy` is not available in this version', { hint: 'see README.md for the commands that work' });
}
