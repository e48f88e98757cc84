/**
 * The build & publish stage: the builder makes (or reuses) the image. The local target builds
 * into the local engine and sends the image id; a remote one publishes and sends repo@digest.
 * Without pack, it says exactly which pack command it would have run, and stops.
 */
import { BimError, isBimError, type Plan, type Reporter } from '@bim-pack/shared';

/** What the deploy stage sends and the summary shows. */
export interface BuiltImage {
  /** Sent to the API: repo@sha256:... (remote) or sha256:<image id> (local). */
  ref: string;
  digest: string | null;
  imageId: string | null;
  reused: boolean;
  fingerprint: string;
}

/** Inputs of buildForTarget. */
export interface BuildStepInput {
  plan: Plan;
  appDir: string;
  local: boolean;
  image?: string | undefined;
  projectTomlImage?: string | undefined;
  tags: string[];
  force: boolean;
  cacheImage?: string | undefined;
  secrets: Array<{ key: string; value: string }>;
  reporter: Reporter;
  signal: AbortSignal;
  onCleanup: (fn: () => Promise<void>) => void;
}

/** The image name for the local target when none is configured: no registry needed. */
export function localImageName(app: string): string {
  return `bim-pack-local/${app}`;
}

/** Builds or reuses the image for the target. */
export async function buildForTarget(input: BuildStepInput): Promise<BuiltImage> {
  const { buildImage, prepareBuild, planPackBuild } = await import('@bim-pack/builder');
  const options = {
    appDir: input.appDir,
    image: input.image ?? (input.local ? input.projectTomlImage ?? localImageName(input.plan.app.value) : undefined),
    tags: input.tags,
    publish: !input.local,
    force: input.force,
    cacheImage: input.cacheImage,
    secrets: input.secrets,
    onCleanup: input.onCleanup,
  };
  try {
    const result = await buildImage(input.plan, options, input.reporter, input.signal);
    const ref = input.local ? result.imageId : result.digest ? `${result.image}@${result.digest}` : null;
    if (!ref) {
      throw new BimError('PUBLISH_DIGEST_MISSING', `the build of ${result.image} gave no ${input.local ? 'image id' : 'digest'}`, { hint: 'run `bim-pack build --verbose` to see what pack did' });
    }
    return { ref, digest: result.digest, imageId: result.imageId, reused: result.skipped, fingerprint: result.fingerprint };
  } catch (error) {
    if (!isBimError(error) || error.code !== 'BUILD_PACK_MISSING') throw error;
    // Say exactly what would have run, so the user (or an agent) can check it once pack is installed.
    const setup = await prepareBuild(input.plan, options, input.signal);
    const pack = planPackBuild({
      plan: input.plan, appDir: input.appDir, image: setup.image, tags: setup.tags, publish: !input.local, reportDir: '<temp report dir>',
      descriptor: '<temp project.toml>', labels: setup.labels, cacheImage: input.cacheImage, creationTime: 'now',
    });
    const command = ['pack', ...pack.argv].join(' ');
    input.reporter.info(`pack is not installed; this build would run: ${command}`);
    input.reporter.info(`with <temp project.toml>:\n${setup.descriptorText.trimEnd()}`);
    throw new BimError(error.code, error.message, { hint: error.hint, cause: error, details: { ...error.details, packCommand: command, descriptorText: setup.descriptorText } });
  }
}
