/** Runs every doctor check (independent ones at the same time) and collects them in order. */
import { resolve } from 'node:path';
import { CHECK_IDS, type Check, type CheckId } from './schema.js';
import { checkGit, checkProject } from './check-project.js';
import { checkRegistry, checkTarget } from './check-remote.js';
import { checkBuilder, checkDocker, checkPack, type Outcome } from './check-tools.js';
import { resolveDoctorTarget } from './target.js';

/** What doctor is asked about. */
export interface DoctorInput {
  dir: string;
  path?: string | undefined;
  target?: string | undefined;
  image?: string | undefined;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

async function timed(id: CheckId, run: () => Promise<Outcome>): Promise<Check> {
  const started = Date.now();
  const outcome = await run();
  return { id, ...outcome, durationMs: Date.now() - started };
}

/** Every check, in CHECK_IDS order. Tools are checked while the folder is read. */
export async function runDoctor(input: DoctorInput): Promise<Check[]> {
  const { env, signal } = input;
  const dir = resolve(input.dir);
  const tools = Promise.all([timed('pack', () => checkPack(env, signal)), timed('docker', () => checkDocker(env, signal))]);
  const project = await checkProject(dir, input.path, signal);
  const appDir = resolve(dir, project.plan?.path ?? '.');
  const { readGitInfo } = await import('@bim-pack/builder');
  const [target, git] = await Promise.all([
    resolveDoctorTarget({ flag: input.target, env, projectToml: project.projectToml, signal }),
    readGitInfo(appDir, signal),
  ]);
  const image = await chooseImage(input, project.plan, project.projectToml?.im?.backend?.image, git.remoteUrl, env);
  const checks = await Promise.all([
    tools,
    timed('registry', () => checkRegistry(image, target, env, signal)),
    timed('target', () => checkTarget(target, signal)),
    timed('builder', () => checkBuilder(project.plan?.builder.value ?? null, env, signal)),
    timed('git', () => checkGit(appDir, git, signal)),
    Promise.resolve({ id: 'project-toml' as const, ...project.outcome, durationMs: 0 }),
  ]);
  return checks.flat().sort((a, b) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id));
}

/** The image deploy would publish: --image, [im.backend] image, else from the git remote. */
async function chooseImage(input: DoctorInput, plan: { app: { value: string }; path: string } | null, fromToml: string | undefined, remoteUrl: string | null, env: Record<string, string | undefined>): Promise<string | null> {
  const { chooseImageName } = await import('@bim-pack/builder');
  try {
    return chooseImageName({
      flag: input.image, projectToml: fromToml, remoteUrl, githubRepository: env.GITHUB_REPOSITORY,
      app: plan?.app.value ?? 'app', inMonorepo: (plan?.path ?? '.') !== '.',
    });
  } catch {
    return null; // the registry check says what is missing
  }
}
