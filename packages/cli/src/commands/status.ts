/** `bim-pack status [app]`: the app's live revision and its recent deployments, from the API. */
import type { CommandContext, CommandResult } from '../context.js';
import { connect } from '../deploy/connect.js';

/** Shows the app's state. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const { client, target, app } = await connect(context, options, args[0]);
  const found = await client.getApp(app);
  const { deployments } = await client.listDeployments(app);
  const recent = deployments.slice(0, 10).map((d) => ({
    id: d.id, revision: d.revision, status: d.status, image: d.image, createdAt: d.createdAt, finishedAt: d.finishedAt,
    failure: d.failure ? `${d.failure.reason}: ${d.failure.message}` : null,
  }));
  const lines = [
    `${app}: ${found.liveRevision ? `${found.liveRevision} is live at ${found.url}` : 'no live revision'}`,
    ...recent.map((d) => `  ${d.revision.padEnd(5)} ${d.status.padEnd(15)} ${d.id}  ${d.createdAt}${d.failure ? `  (${d.failure})` : ''}`),
  ];
  const inProgress = recent.find((d) => !['live', 'failed', 'rolled-back', 'superseded'].includes(d.status));
  if (inProgress) lines.push(`deployment ${inProgress.id} (${inProgress.revision}) is still ${inProgress.status}: \`bim-pack logs --app ${app} --follow\``);
  return {
    data: { app, target, url: found.url, liveRevision: found.liveRevision, liveDeploymentId: found.liveDeploymentId, deployments: recent },
    lines,
  };
}
