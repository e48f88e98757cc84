/**
 * `bim-pack deploy [dir]`: config -> detect -> tests -> build & publish -> deploy -> live ->
 * smoke -> summary, each stage timed. Env values are secrets: masked in every line, sent only
 * in the deploy request, never in --json. Ctrl-C never leaves a half-made deployment.
 */
import { join, resolve } from 'node:path';
import type { ApiClient, SmokeOutcome, StartedDeployment } from '@bim-pack/deployer';
import { BimError, readProjectToml, Redactor, type Deployment, type Plan } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';
import { buildForTarget } from '../deploy/build-step.js';
import { envMissingError, mergeRuntimeEnv, parseEnvFlags, readEnvFile } from '../deploy/env.js';
import { parseDeployFlags } from '../deploy/flags.js';
import { nestedReporter, redactingReporter } from '../deploy/reporters.js';
import { StageRunner } from '../deploy/stages.js';
import { describeSummary } from '../deploy/summary.js';
import { resolveTarget } from '../deploy/target.js';
import type { DeployResult, DeployStage } from '../result-schema.js';

// Loaded only when needed: readline and execa cost start-up time on every deploy otherwise.
const ask = async (question: string, options: { secret?: boolean; signal?: AbortSignal }) => (await import('../deploy/prompt.js')).ask(question, options);
const runTests = async (...args: Parameters<typeof import('../deploy/run-tests.js').runTests>) => (await import('../deploy/run-tests.js')).runTests(...args);

/** What the config stage hands on. */
interface DeployConfig {
  target: Awaited<ReturnType<typeof resolveTarget>>;
  fileEnv: Record<string, string>;
  flagEnv: Record<string, string>;
  envFile: string;
  /** [im.backend] secret-env: names the platform should treat as secrets (Swarm secrets on that runtime). */
  secretNames: string[];
  tomlImage?: string;
}

/** Runs the whole pipeline and returns the deploy result document. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const flags = parseDeployFlags(options);
  const redactor = new Redactor();
  const reporter = redactingReporter(context.reporter, redactor);
  const runner = new StageRunner(reporter, redactor);
  const root = resolve(context.cwd, args[0] ?? '.');
  let stage: DeployStage = 'config';
  let created: Deployment | undefined;
  let interrupted: ((d: Deployment) => BimError) | undefined;
  const step = <T>(name: DeployStage, message: string, fn: Parameters<StageRunner['run']>[2]) => {
    stage = name;
    return runner.run(name, message, fn) as Promise<T>;
  };
  try {
    const config = await step<DeployConfig>('config', root, async () => {
      const appRoot = resolve(root, flags.path ?? '.');
      const toml = await readProjectToml(join(appRoot, 'project.toml'));
      const envFile = flags.envFile ? resolve(context.cwd, flags.envFile) : join(appRoot, '.env');
      const fileEnv = (await readEnvFile(envFile, Boolean(flags.envFile))) ?? {};
      const flagEnv = parseEnvFlags(flags.env);
      redactor.add(...Object.values(fileEnv), ...Object.values(flagEnv), process.env.BACKEND_IM_TOKEN);
      const target = await resolveTarget({
        flag: flags.target, projectToml: toml?.im?.backend?.target, env: process.env, interactive: context.interactive,
        ask: (q) => ask(q, { signal: context.signal }), signal: context.signal, onProgress: (m) => reporter.step(m),
      });
      redactor.add(target.token);
      reporter.step(`target ${target.kind === 'local' ? `local (${target.url})` : target.url}`);
      const tomlImage = toml?.im?.backend?.image;
      return { target, fileEnv, flagEnv, envFile, secretNames: toml?.im?.backend?.['secret-env'] ?? [], ...(tomlImage ? { tomlImage } : {}) };
    });
    const { target } = config;

    // Each library loads in the stage that first needs it (a standalone `bim-pack detect` pays the same).
    const plan = await step<Plan>('detect', root, async () => {
      const { detect } = await import('@bim-pack/detector');
      const found = await detect(root, { reporter, ...(flags.path !== undefined ? { path: flags.path } : {}) });
      reporter.step(`${found.app.value}: ${found.language.value}${found.framework.value ? ` (${found.framework.value})` : ''}, port ${found.port.value}, health ${found.healthCheckPath}`);
      return found;
    });
    const app = flags.app ?? plan.app.value;
    const appDir = resolve(root, plan.path);

    // Env names come from the plan (.env.example, [im.backend] env): a config check, before any slow stage.
    const merged = mergeRuntimeEnv({ required: plan.envNames, file: config.fileEnv, flags: config.flagEnv, processEnv: process.env });
    redactor.add(...Object.values(merged.env));
    if (merged.missing.length && context.interactive) {
      for (const name of merged.missing) {
        merged.env[name] = await ask(`${name} (from .env.example; hidden): `, { secret: true, signal: context.signal });
        redactor.add(merged.env[name]);
      }
      merged.missing = [];
    }
    if (merged.missing.length) throw runner.decorate(envMissingError(merged.missing, config.envFile), 'config');
    if ('PORT' in merged.env) {
      reporter.warn(`PORT from the env is ignored: the platform sets PORT=${plan.port.value}`);
      delete merged.env.PORT;
    }
    const envNames = Object.keys(merged.env).sort();

    // Build and deploy code loads while the tests (a child process) run.
    const deployerModule = import('@bim-pack/deployer');
    deployerModule.catch(() => {});
    void import('@bim-pack/builder').catch(() => {});

    const testCommand = plan.test.value;
    if (flags.skipTests) runner.skip('tests', '--skip-tests');
    else if (!testCommand) runner.skip('tests', 'the plan has no test command');
    else await step('tests', testCommand, () => runTests(testCommand, { cwd: appDir, reporter, redactor, signal: context.signal }));

    const image = await step<Awaited<ReturnType<typeof buildForTarget>>>('build', `${app}${target.kind === 'local' ? ' into the local Docker engine' : ' and publish'}`, async (mark) => {
      const built = await buildForTarget({
        plan, appDir, local: target.kind === 'local', image: flags.image, projectTomlImage: config.tomlImage, tags: flags.tag, force: Boolean(flags.force),
        cacheImage: flags.cacheImage, secrets: Object.entries(merged.env).map(([key, value]) => ({ key, value })),
        reporter: nestedReporter(reporter), signal: context.signal, onCleanup: (fn) => context.onCleanup(fn),
      });
      if (built.reused) mark('ok', 'reused an image built from the same source');
      return built;
    });
    runner.facts.imageRef = image.ref;
    if (image.digest) runner.facts.digest = image.digest;

    let deployer!: typeof import('@bim-pack/deployer');
    let client!: ApiClient;
    const started = await step<StartedDeployment>('deploy', `${app} to ${target.url}`, async () => {
      deployer = await deployerModule;
      interrupted = deployer.interruptedAfterCreate;
      client = new deployer.ApiClient({ url: target.url, token: target.token, reporter, signal: context.signal });
      context.onCleanup(() => client.close());
      return deployer.startDeployment(client, app, {
        image: image.ref, env: merged.env, port: plan.port.value, healthCheckPath: plan.healthCheckPath,
        secretEnv: config.secretNames.filter((name) => name in merged.env),
        ...(flags.startTimeout ? { timeouts: { startSeconds: flags.startTimeout } } : {}),
      }, { idempotencyKey: deployer.createIdempotencyKey(), signal: context.signal, reporter });
    });
    created = started.deployment;
    Object.assign(runner.facts, { deploymentId: created.id, revision: created.revision, url: created.url });

    const live = await step<Awaited<ReturnType<typeof deployer.waitUntilLive>>>('live', `${app} ${created.revision}`, () =>
      deployer.waitUntilLive(client, started.deployment, { deadlineMs: 420_000, reporter, signal: context.signal }));
    const checks = deployer.listSmokeChecks(plan.healthCheckPath, plan.smoke);
    const smoke = await step<SmokeOutcome[]>('smoke', `${checks.length} ${checks.length === 1 ? 'check' : 'checks'} against ${live.deployment.url}`, () =>
      deployer.verifyDeployment(client, live.deployment, checks, { previousRevision: started.previousRevision, deadlineMs: flags.smokeTimeout * 1000, reporter, signal: context.signal }));

    const result: DeployResult = {
      ok: true, command: 'deploy', app, target: { kind: target.kind, url: target.url }, url: live.deployment.url,
      image: { ref: image.ref, digest: image.digest, imageId: image.imageId, reused: image.reused },
      deployment: {
        id: live.deployment.id, revision: live.deployment.revision, status: live.deployment.status, image: live.deployment.image,
        createdAt: live.deployment.createdAt, finishedAt: live.deployment.finishedAt,
      },
      envNames,
      smoke: smoke.map(({ problem: _p, ...rest }) => rest),
      stages: runner.timings,
      totalMs: 0,
    };
    const lines = await step<string[]>('summary', result.url, async () => describeSummary(result));
    result.totalMs = runner.elapsed();
    lines[lines.length - 1] = describeSummary(result).at(-1)!;
    const { ok: _ok, command: _command, ...data } = result;
    return { data, lines };
  } catch (error) {
    if (!context.signal.aborted) throw error;
    // Ctrl-C: either the deployment exists (say how to follow or undo it) or nothing was made.
    if (created && interrupted) throw runner.decorate(interrupted(created), stage);
    throw runner.decorate(new BimError('INTERRUPTED', `interrupted during ${stage}; no deployment was created`, {
      hint: 'run `bim-pack deploy` again when ready',
    }), stage);
  }
}
