/** Turns a final deployment into a verdict: ok, or DEPLOY_FAILED with the failure class and a fix. */
import { BimError, type Deployment, type DeploymentFailure } from '@bim-pack/shared';

/** One line per failure class: what happened and the setting or command that fixes it. */
export function explainFailure(d: Pick<Deployment, 'app' | 'revision' | 'port' | 'healthCheckPath' | 'image'>, failure: DeploymentFailure): { message: string; hint: string } {
  const r = `${d.app} ${d.revision}`;
  switch (failure.reason) {
    case 'exited-on-boot':
      return {
        message: `${r}: the app exited on boot${failure.exitCode === undefined ? '' : ` (exit code ${failure.exitCode})`} before answering its health check`,
        hint: 'check the start command (`bim-pack detect` shows it; set [im.backend] start in project.toml) and the log lines above',
      };
    case 'never-listened':
      return {
        message: `${r}: the app never answered on its port ${d.port}`,
        hint: `make the app listen on the PORT env variable (${d.port}), or set [im.backend] port in project.toml to the port it uses`,
      };
    case 'wrong-port': {
      const ports = failure.listeningPorts?.join(', ') ?? 'another port';
      return {
        message: `${r}: the app answered on port ${ports}, not on PORT=${d.port}`,
        hint: `make the app listen on process.env.PORT, or set [im.backend] port = ${failure.listeningPorts?.[0] ?? '<port>'} in project.toml`,
      };
    }
    case 'health-timeout':
      return {
        message: `${r}: the health check GET ${d.healthCheckPath} timed out (the app listened on ${d.port} but never answered 2xx/3xx)`,
        hint: `make GET ${d.healthCheckPath} answer 200 quickly, or set [im.backend] health-check-path in project.toml`,
      };
    case 'image-not-found':
      return { message: `${r}: the platform cannot find the image ${d.image}`, hint: 'publish the image first (bim-pack deploy builds and publishes it), or check the image reference' };
    case 'pull-denied':
      return { message: `${r}: the registry refused the platform's credentials for ${d.image}`, hint: 'give the platform read access to the registry (for bim-pack platform: <data-dir>/registry-auth.json)' };
    case 'pull-failed':
      return { message: `${r}: the platform could not pull ${d.image}: ${failure.message}`, hint: 'check that the platform can reach the registry, then deploy again' };
    case 'start-failed':
      return { message: `${r}: the container runtime refused to start the revision: ${failure.message}`, hint: 'check the platform host (docker info), then deploy again' };
    case 'proxy-failed':
      return { message: `${r}: the proxy rejected the switch; the previous revision keeps serving: ${failure.message}`, hint: 'check the platform log, then deploy again' };
    case 'runtime-unavailable':
      return { message: `${r}: the platform's container runtime did not answer`, hint: 'start Docker on the platform host, then deploy again' };
    case 'interrupted':
      return { message: `${r}: the platform stopped during the deployment`, hint: 'deploy again once the platform is back (`bim-pack status` shows what is live)' };
  }
}

/** Throws DEPLOY_FAILED unless the deployment is live. The log tail travels in details. */
export function assertLive(deployment: Deployment): void {
  if (deployment.status === 'live') return;
  const failure = deployment.failure;
  const { message, hint } = failure
    ? explainFailure(deployment, failure)
    : { message: `${deployment.app} ${deployment.revision}: the deployment ended ${deployment.status}`, hint: `see \`bim-pack status --app ${deployment.app}\`` };
  throw new BimError('DEPLOY_FAILED', message, {
    hint,
    details: {
      deploymentId: deployment.id, revision: deployment.revision, failure: failure?.reason ?? deployment.status,
      logTail: failure?.logTail ?? [],
    },
  });
}
