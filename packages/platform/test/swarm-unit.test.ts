// Pure parts of the swarm runtime, exact values: the service spec, names, how Swarm's update status and
// tasks read as a revision's state, log details, task endpoints, nginx upstreams with several replicas.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  describeService, healthStartPeriodSeconds, parseHandle, readRevision, renderNginxConfig, secretName, serviceName, servingTasks, splitDetails,
  taskEndpoint, type RevisionSpec, type SwarmService, type SwarmTask,
} from '@bim-pack/platform';

const IMAGE_ID = `sha256:${'a'.repeat(64)}`;
const spec: RevisionSpec = {
  app: 'shop', revision: 'r4', deploymentId: 'dep_x', image: IMAGE_ID, imageId: IMAGE_ID, env: { API_KEY: 'k3y-value', MODE: 'prod' },
  secretEnv: ['API_KEY'], port: 3000, replicas: 2, memoryBytes: 256 * 1024 * 1024,
  healthCheck: { path: '/healthz', startSeconds: 60, requestSeconds: 2 }, drainSeconds: 5,
};

test('describeService: start-first rollout with rollback, health check through the mounted probe, secrets as files', () => {
  const body = describeService(spec, { platformId: 'p1a2b3c4', probeBinary: '/bin/busybox', secrets: { API_KEY: { id: 'sec1', name: 'bim-sec' } } });
  const container = body.TaskTemplate.ContainerSpec;
  assert.is(body.Name, 'bim-p1a2b3c4-shop');
  assert.equal(container.Env, ['MODE=prod', 'API_KEY_FILE=/run/secrets/API_KEY', 'PORT=3000']);
  assert.equal(container.Secrets, [{ SecretID: 'sec1', SecretName: 'bim-sec', File: { Name: 'API_KEY', UID: '0', GID: '0', Mode: 0o444 } }]);
  assert.equal(container.Healthcheck, {
    Test: ['CMD', '/.bim-pack/busybox', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:3000/healthz'],
    Interval: 1e9, Timeout: 2e9, Retries: 2, StartPeriod: 23e9,
  });
  assert.equal(container.Mounts, [{ Type: 'bind', Source: '/bin/busybox', Target: '/.bim-pack/busybox', ReadOnly: true }]);
  assert.is(container.StopGracePeriod, 5e9);
  assert.is(container.Image, IMAGE_ID);
  assert.equal(body.Mode, { Replicated: { Replicas: 2 } });
  assert.equal(body.UpdateConfig, { Parallelism: 0, Delay: 0, Order: 'start-first', FailureAction: 'rollback', Monitor: 2e9, MaxFailureRatio: 0 });
  assert.equal(body.EndpointSpec, { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: 3000, PublishMode: 'host' }] });
  assert.equal(body.Labels, container.Labels);
  assert.is(body.Labels!['im.backend.revision'], 'r4');
  assert.is(body.Labels!['im.backend.replicas'], '2');
  assert.not.ok(JSON.stringify(body).includes('k3y-value'));
  const pinned = describeService({ ...spec, image: `127.0.0.1:5000/shop@sha256:${'b'.repeat(64)}` }, { platformId: 'p1a2b3c4', probeBinary: '/bin/busybox', secrets: { API_KEY: { id: 's', name: 'n' } } });
  assert.is(pinned.TaskTemplate.ContainerSpec.Image, `127.0.0.1:5000/shop@sha256:${'b'.repeat(64)}`);
});

test('health start period leaves Swarm half of startSeconds; names fit Swarm limits; handles parse', () => {
  assert.equal([healthStartPeriodSeconds(60, 5), healthStartPeriodSeconds(20, 2), healthStartPeriodSeconds(4, 5)], [23, 6, 0]);
  const long = 'a'.repeat(63);
  assert.ok(serviceName('p1a2b3c4', long).length <= 63);
  assert.is.not(serviceName('p1a2b3c4', long), serviceName('p1a2b3c4', `${'a'.repeat(62)}b`));
  const secret = secretName('p1a2b3c4', long, 'r100', 'A_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_THAT_GOES_ON_');
  assert.ok(secret.length <= 64 && /^[a-zA-Z0-9][a-zA-Z0-9-_.]*[a-zA-Z0-9]$/.test(secret), secret);
  assert.equal(parseHandle('okbxuglqaawyfe93ibhjpxpu2/r12'), { serviceId: 'okbxuglqaawyfe93ibhjpxpu2', revision: 'r12' });
  assert.is(parseHandle('f'.repeat(64)), undefined);
});

const labels = (revision: string) => ({ 'im.backend.app': 'shop', 'im.backend.revision': revision, 'im.backend.port': '3000', 'im.backend.deployment': `dep_${revision}` });
function task(id: string, revision: string, desired: string, state: string, extra: Partial<SwarmTask['Status']> = {}): SwarmTask {
  return { ID: id, ServiceID: 'svc', NodeID: 'n1', DesiredState: desired, Spec: { ContainerSpec: { Labels: labels(revision) } }, Status: { State: state, Timestamp: '2026-01-01T00:00:00Z', ...extra } };
}
function service(current: string, previous: string | undefined, update?: SwarmService['UpdateStatus'], replicas = 2): SwarmService {
  const s = (r: string) => ({ Name: 'bim-p-shop', Labels: labels(r), TaskTemplate: { ContainerSpec: { Image: IMAGE_ID } }, Mode: { Replicated: { Replicas: replicas } } });
  return { ID: 'svcid000001', Version: { Index: 9 }, Spec: s(current), ...(previous ? { PreviousSpec: s(previous) } : {}), ...(update ? { UpdateStatus: update } : {}) };
}
const at = (port: number) => () => ({ host: '127.0.0.1', port });

test('readRevision: created, updating, completed, Swarm rollback on an unhealthy replica, manual rollback, crash on first deploy', () => {
  const running = [task('t1', 'r1', 'running', 'running'), task('t2', 'r1', 'running', 'running')];
  assert.equal(readRevision(service('r1', undefined), running, 'r1', at(32001)), {
    kind: 'instance', instance: { id: 'svcid000001/r1', app: 'shop', revision: 'r1', deploymentId: 'dep_r1', image: '', exitCode: null, endpoint: { host: '127.0.0.1', port: 32001 }, state: 'running' },
  });
  assert.is((readRevision(service('r1', undefined), running.slice(0, 1), 'r1', at(1)) as any).instance.state, 'starting');
  const updating = [...running, task('t3', 'r2', 'running', 'starting')];
  assert.is((readRevision(service('r2', 'r1', { State: 'updating' }), updating, 'r2', at(1)) as any).instance.state, 'starting');
  assert.is((readRevision(service('r1', 'r2', { State: 'rollback_started' }), updating, 'r1', at(1)) as any).instance.state, 'running');
  assert.is((readRevision(service('r2', 'r1', { State: 'rollback_started' }), running, 'r2', at(1)) as any).instance.state, 'starting');
  const done = [task('t3', 'r2', 'running', 'running'), task('t4', 'r2', 'running', 'running'), task('t1', 'r1', 'shutdown', 'shutdown')];
  assert.is((readRevision(service('r2', 'r1', { State: 'completed' }), done, 'r2', at(2)) as any).instance.state, 'running');
  assert.is((readRevision(service('r2', 'r1', { State: 'completed' }), done, 'r1', at(2)) as any).instance.state, 'exited');
  const sick = [...running, task('t5', 'r2', 'shutdown', 'failed', { Err: 'task: non-zero exit (137): dockerexec: unhealthy container', ContainerStatus: { ExitCode: 137 } })];
  assert.equal(readRevision(service('r1', undefined, { State: 'rollback_completed', Message: 'rollback completed' }), sick, 'r2', at(1)), {
    kind: 'failed', reason: 'health-timeout',
    message: 'a replica failed its health check (task: non-zero exit (137): dockerexec: unhealthy container); Swarm rolled bim-p-shop back to r1',
  });
  const manual = [task('t3', 'r2', 'shutdown', 'shutdown'), ...running];
  assert.is((readRevision(service('r1', 'r2', { State: 'rollback_completed', Message: 'rollback completed' }), manual, 'r2', at(1)) as any).instance.state, 'exited');
  const crash = [task('t6', 'r1', 'shutdown', 'failed', { Err: 'task: non-zero exit (3)', ContainerStatus: { ExitCode: 3 } })];
  const crashed = readRevision(service('r1', undefined), crash, 'r1', at(1)) as any;
  assert.equal([crashed.instance.state, crashed.instance.exitCode], ['exited', 3]);
  assert.is((readRevision(service('r1', undefined, undefined, 0), running, 'r1', at(1)) as any).instance.state, 'exited');
});

test('service log details, task endpoints, serving tasks', () => {
  assert.equal(splitDetails('com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t4hnwm hello out'), { taskId: 't4hnwm', line: 'hello out' });
  assert.equal(splitDetails('no details here'), { taskId: undefined, line: 'no details here' });
  const t = task('t1', 'r1', 'running', 'running', { PortStatus: { Ports: [{ TargetPort: 3000, PublishedPort: 30001, PublishMode: 'host' }, { TargetPort: 3000, PublishedPort: 30000, PublishMode: 'host' }] } });
  assert.equal(taskEndpoint(t, 3000, '10.0.0.5', 31000), { host: '127.0.0.1', port: 31000 });
  assert.equal(taskEndpoint(t, 3000, '10.0.0.5', undefined), { host: '10.0.0.5', port: 30001 });
  assert.is(taskEndpoint(t, 8080, '10.0.0.5', undefined), null);
  assert.equal(servingTasks([t, task('t2', 'r1', 'shutdown', 'running'), task('t3', 'r2', 'running', 'starting')]).map((x) => x.ID), ['t1']);
});

test('renderNginxConfig: one server line per replica and retries across them; hosts must be IPv4 literals', () => {
  const layout = { prefix: '/tmp/x', listenHost: '127.0.0.1', listenPort: 7080, domain: 'localhost' };
  const text = renderNginxConfig([{ app: 'shop', upstream: { host: '127.0.0.1', port: 1 }, servers: [{ host: '127.0.0.1', port: 32001 }, { host: '10.0.0.5', port: 32002 }] }], layout);
  assert.match(text, /upstream app_shop \{\n {4}server 127\.0\.0\.1:32001 max_fails=0;\n {4}server 10\.0\.0\.5:32002 max_fails=0;\n/);
  assert.match(text, /proxy_pass http:\/\/app_shop;\n {6}proxy_next_upstream_tries 3;/);
  assert.not.match(text, /server 127\.0\.0\.1:1 /);
  assert.throws(() => renderNginxConfig([{ app: 'shop', upstream: { host: '127.0.0.1', port: 1 }, servers: [{ host: 'evil; x', port: 2 }] }], layout), /bad upstream host/);
});

test.run();
