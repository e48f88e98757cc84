/** The human summary of a deploy: URL, image, revision, smoke checks and each stage's time. */
import type { DeployResult } from '../result-schema.js';

/** 1234 -> "1.2 s", 80 -> "80 ms". */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/** Lines for stdout (pure). */
export function describeSummary(result: DeployResult): string[] {
  const passed = result.smoke.filter((s) => s.ok).length;
  return [
    `deployed ${result.app} ${result.deployment.revision}: ${result.url}`,
    `  image       ${result.image.ref}${result.image.reused ? ' (reused: same source)' : ''}`,
    `  deployment  ${result.deployment.id} on ${result.target.kind === 'local' ? 'the local platform' : result.target.url}`,
    `  env         ${result.envNames.length ? result.envNames.join(', ') : '(none)'}`,
    `  smoke       ${passed}/${result.smoke.length} checks passed`,
    `  stages      ${result.stages.map((s) => `${s.name} ${s.status === 'skipped' ? 'skipped' : formatDuration(s.durationMs)}`).join(', ')}`,
    `  total       ${formatDuration(result.totalMs)}`,
  ];
}
