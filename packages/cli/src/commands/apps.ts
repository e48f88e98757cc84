/** `bim-pack apps`: every app on the target with its live revision and latest deployment. */
import type { CommandContext, CommandResult } from '../context.js';
import { connect } from '../deploy/connect.js';

/** Lists the target's apps. */
export async function run(context: CommandContext, _args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const { client, target } = await connect(context, options, undefined, false);
  const { apps } = await client.listApps();
  const rows = apps.map((a) => ({
    name: a.name, url: a.url, liveRevision: a.liveRevision,
    latest: a.latestDeployment ? { id: a.latestDeployment.id, revision: a.latestDeployment.revision, status: a.latestDeployment.status } : null,
  }));
  const lines = rows.length
    ? rows.map((a) => `${a.name.padEnd(24)} ${(a.liveRevision ?? '-').padEnd(5)} ${a.url}${a.latest && a.latest.revision !== a.liveRevision ? `  (latest ${a.latest.revision} ${a.latest.status})` : ''}`)
    : [`no apps on ${target.url}`];
  return { data: { target, apps: rows }, lines };
}
