export { main } from './main.js';
export type { CommandContext, CommandResult, GlobalOptions } from './context.js';
