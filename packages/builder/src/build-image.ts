/**
 * buildImage: plan in, verified image out. Skips pack when an image with the same fingerprint
 * exists, runs pack otherwise, checks the digest against the registry and scans for secrets.
 */
import { BimError, Redactor, silentReporter, type Plan, type Reporter } from '@bim-pack/shared';
import { localImageId, tagLocalImage } from './engine.js';
import { planPackBuild } from './pack-args.js';
import { prepareBuild, type BuildOptions, type BuildSetup } from './prepare-build.js';
import { RegistryClient } from './registry-client.js';
import { findPack, makeReportDir, removeReportDir, runPack } from './run-pack.js';
import { writeTempDescriptor, type TempDescriptor } from './descriptor.js';
import { assertNoSecretEnvFiles } from './env-files.js';
import { assertNoSecrets, scanEngineImage, scanRegistryImage, type SecretValue } from './secret-scan.js';

/** The builder's output. */
export interface BuildResult {
  /** Image repository, e.g. ghcr.io/acme/shop. */
  image: string;
  /** Pinned reference: image@digest when published, else image:primaryTag. */
  ref: string;
  /** Manifest digest (published images). */
  digest: string | null;
  /** Local image id (images in the Docker engine). */
  imageId: string | null;
  tags: string[];
  fingerprint: string;
  /** True when pack did not run because the fingerprint image already existed. */
  skipped: boolean;
  durationMs: number;
  /** The pack argv (secret-free); empty when skipped. */
  packArgs: string[];
  packVersion: string | null;
  publish: boolean;
}

/** Env names whose values are always secrets to mask and to look for in the image. */
export const SECRET_ENV_NAMES = ['GITHUB_TOKEN', 'GH_TOKEN', 'BIM_REGISTRY_PASSWORD', 'BACKEND_IM_TOKEN'];

function collectSecrets(setup: BuildSetup, extra: SecretValue[]): SecretValue[] {
  const out = [...extra];
  for (const name of SECRET_ENV_NAMES) {
    const value = setup.processEnv[name];
    if (value) out.push({ key: name, value });
  }
  if (setup.clientCredentials) out.push({ key: `registry password (${setup.clientCredentials.source})`, value: setup.clientCredentials.password });
  return out;
}

/** Builds (or reuses) the image for a plan. See BuildOptions for the knobs. */
export async function buildImage(plan: Plan, options: BuildOptions, reporter: Reporter = silentReporter, signal?: AbortSignal): Promise<BuildResult> {
  const started = Date.now();
  const publish = Boolean(options.publish);
  reporter.stage('build', `${plan.app.value} with ${options.builder ?? plan.builder.value}`);
  const setup = await prepareBuild(plan, options, signal);
  reporter.step(`fingerprint ${setup.fingerprint.slice(0, 12)} over ${setup.files} files; image ${setup.image}`);
  const secrets = collectSecrets(setup, options.secrets ?? []);
  const redactor = new Redactor().add(...secrets.map((s) => s.value));
  const client = publish
    ? new RegistryClient({ registry: setup.registry, username: setup.clientCredentials?.username, password: setup.clientCredentials?.password, signal })
    : null;
  const done = (fields: Pick<BuildResult, 'digest' | 'imageId' | 'skipped' | 'packArgs' | 'packVersion'>): BuildResult => ({
    image: setup.image,
    ref: fields.digest ? `${setup.image}@${fields.digest}` : `${setup.image}:${setup.tags[0]}`,
    tags: setup.tags,
    fingerprint: setup.fingerprint,
    durationMs: Date.now() - started,
    publish,
    ...fields,
  });

  if (!options.force) {
    const reused = await findExisting(setup, client, reporter, signal);
    if (reused) {
      await scan(setup, client, reused, secrets, signal);
      reporter.step(`reused ${reused.digest ?? reused.imageId} (same fingerprint; --force rebuilds)`);
      return done({ ...reused, skipped: true, packArgs: [], packVersion: null });
    }
  }

  // Safety net: env files are excluded already; this catches a user pattern that brings one back.
  await assertNoSecretEnvFiles(options.appDir, secrets, setup.filter.include, setup.filter.exclude);
  const packVersion = await findPack(setup.processEnv, signal);
  // Build env values that carry a known secret go to pack through its environment (`--env NAME`), never argv.
  const buildEnv = { ...plan.buildEnv.value, ...(options.env ?? {}) };
  const fromHostEnv = Object.keys(buildEnv).filter((name) => redactor.redact(buildEnv[name]!) !== buildEnv[name]);
  const reportDir = await makeReportDir();
  options.onCleanup?.(() => removeReportDir(reportDir));
  let descriptor: TempDescriptor | null = null;
  try {
    descriptor = await writeTempDescriptor(setup.descriptorText, options.appDir);
    options.onCleanup?.(descriptor.remove);
    const pack = planPackBuild({
      plan,
      appDir: options.appDir,
      image: setup.image,
      tags: setup.tags,
      publish,
      reportDir,
      descriptor: descriptor.path,
      builder: options.builder,
      buildpacks: options.buildpacks,
      env: options.env,
      labels: setup.labels,
      cacheImage: options.cacheImage ?? defaultCacheImage(setup.image, publish, setup.processEnv),
      pullPolicy: options.pullPolicy,
      creationTime: options.creationTime ?? setup.processEnv.SOURCE_DATE_EPOCH ?? 'now',
      previousImage: options.previousImage,
      fromHostEnv,
    });
    reporter.step(`pack ${packVersion}: building ${pack.imageRef}`);
    const { report } = await runPack(pack.argv, reportDir, {
      env: { ...setup.processEnv, ...Object.fromEntries(fromHostEnv.map((name) => [name, buildEnv[name]])) }, credentials: setup.packCredentials, redactor, reporter, signal,
      builder: pack.builder, image: pack.imageRef, registry: setup.registry, onCleanup: options.onCleanup,
    });
    let digest: string | null = null;
    let imageId: string | null = null;
    if (publish) {
      if (!report.digest) {
        throw new BimError('PUBLISH_DIGEST_MISSING', `pack published ${pack.imageRef} but reported no digest (no report.toml digest, no *** Images line)`, {
          hint: 'use pack 0.29 or later and run again with --verbose to see pack\'s export lines',
        });
      }
      digest = await verifyDigest(client!, setup, report.digest);
    } else {
      imageId = await localImageId(pack.imageRef, signal);
      if (!imageId) {
        throw new BimError('PUBLISH_DIGEST_MISSING', `pack finished but the Docker engine has no image ${pack.imageRef}`, { hint: 'run again with --verbose to see pack\'s export lines' });
      }
    }
    await scan(setup, client, { digest, imageId }, secrets, signal);
    reporter.step(publish ? `published ${setup.image}@${digest}` : `built ${pack.imageRef} (${imageId})`);
    return done({ digest, imageId, skipped: false, packArgs: pack.argv, packVersion });
  } finally {
    await descriptor?.remove();
    await removeReportDir(reportDir);
  }
}

/** In CI (CI set) a published build keeps its layer cache in the registry, so fresh runners reuse layers. */
export function defaultCacheImage(image: string, publish: boolean, env: Record<string, string | undefined>): string | undefined {
  return publish && env.CI && env.CI !== 'false' ? `${image}:build-cache` : undefined;
}

/** The registry's digest for the primary tag must equal pack's. */
async function verifyDigest(client: RegistryClient, setup: BuildSetup, reported: string): Promise<string> {
  const primary = setup.tags[0]!;
  const head = await client.headManifest(setup.repository, primary);
  if (!head) {
    throw new BimError('PUBLISH_DIGEST_MISSING', `the registry has no ${setup.image}:${primary} although pack reported ${reported}`, {
      hint: `check the push with \`docker manifest inspect ${setup.image}:${primary}\` and run again`,
    });
  }
  if (head.digest !== reported) {
    throw new BimError('PUBLISH_DIGEST_MISMATCH', `${setup.image}:${primary} is ${head.digest} in the registry but pack reported ${reported}`, {
      hint: 'another push to the same tag raced this one; run again (use a unique --tag per build)',
      details: { registryDigest: head.digest, reportedDigest: reported },
    });
  }
  return head.digest;
}

/** An existing image for this fingerprint (registry fp tag, or the local engine), re-tagged with this build's tags. */
async function findExisting(setup: BuildSetup, client: RegistryClient | null, reporter: Reporter, signal?: AbortSignal): Promise<{ digest: string | null; imageId: string | null } | null> {
  const fpRef = `${setup.image}:${setup.fingerprintTag}`;
  if (!client) {
    const id = await localImageId(fpRef, signal);
    if (!id) return null;
    await tagLocalImage(fpRef, setup.tags.map((t) => `${setup.image}:${t}`), signal);
    return { digest: null, imageId: id };
  }
  let head: { digest: string; mediaType: string | null } | null;
  try {
    head = await client.headManifest(setup.repository, setup.fingerprintTag);
  } catch (error) {
    // pack gives the authoritative answer (and the right error) when the registry cannot be asked.
    reporter.debug(`fingerprint lookup failed: ${(error as Error).message}`);
    return null;
  }
  if (!head) return null;
  const manifest = await client.getManifest(setup.repository, head.digest);
  for (const tag of setup.tags) if (tag !== setup.fingerprintTag) await client.putManifest(setup.repository, tag, manifest.body, manifest.mediaType);
  return { digest: head.digest, imageId: null };
}

async function scan(setup: BuildSetup, client: RegistryClient | null, found: { digest: string | null; imageId: string | null }, secrets: SecretValue[], signal?: AbortSignal): Promise<void> {
  const hits = client && found.digest
    ? await scanRegistryImage(client, setup.repository, found.digest, secrets)
    : found.imageId ? await scanEngineImage(found.imageId, secrets, signal) : [];
  assertNoSecrets(hits, setup.image);
}
