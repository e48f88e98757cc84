/**
 * Describe, then run: the `pack build` argument array from plan, project.toml and flags.
 * Pure: no files, no processes. Only flags real pack has (see the pack contract).
 */
import type { Plan } from '@bim-pack/shared';
import { BimError } from '@bim-pack/shared';

/** Builders pack trusts by itself; we pass --trust-builder for them so all phases run in one container. */
export const KNOWN_TRUSTED_BUILDERS: readonly string[] = [
  'gcr.io/buildpacks/builder',
  'heroku/builder',
  'paketobuildpacks/builder-jammy-base',
  'paketobuildpacks/builder-jammy-full',
  'paketobuildpacks/builder-jammy-tiny',
  'paketobuildpacks/builder-jammy-buildpackless-static',
  'paketobuildpacks/ubuntu-noble-builder',
  'paketobuildpacks/builder-ubi8-base',
  'paketobuildpacks/ubi-9-builder',
  'paketobuildpacks/ubi-10-builder',
];

/** The label that records the source fingerprint on the image. */
export const FINGERPRINT_LABEL = 'im.backend.fingerprint';

export type PullPolicy = 'always' | 'never' | 'if-not-present';

/** Everything planPackBuild needs; all decided by the caller. */
export interface PackBuildInput {
  plan: Plan;
  /** Absolute app folder (pack --path). */
  appDir: string;
  /** Image repository without tag, e.g. ghcr.io/acme/shop. */
  image: string;
  /** Tags; the first is the primary one (the positional image name), the rest go to --tag. */
  tags: string[];
  publish: boolean;
  /** Existing folder for report.toml (pack copies it there; see the contract's gotcha). */
  reportDir: string;
  /** Absolute project.toml path, or null. */
  descriptor: string | null;
  builder?: string | undefined;
  /** Extra buildpacks from flags, after the plan's. */
  buildpacks?: string[];
  /** Build env from flags; beats the plan's. */
  env?: Record<string, string>;
  /** OCI and our own labels, applied by the Paketo image-labels buildpack through BP_* env. */
  labels?: ImageLabels;
  cacheImage?: string | undefined;
  pullPolicy?: PullPolicy | undefined;
  /** Unix seconds or "now". */
  creationTime?: string | undefined;
  previousImage?: string | undefined;
  /** Build env names whose values are secret: passed as `--env NAME` so pack reads the value from its own env, not argv. */
  fromHostEnv?: string[];
}

/** Labels bim-pack records on the image. */
export interface ImageLabels {
  source?: string | null;
  revision?: string | null;
  created?: string | null;
  fingerprint?: string | null;
}

/** The described pack run: the exact argv and what the runner must know. */
export interface PackBuildPlan {
  command: 'pack';
  argv: string[];
  /** image:primaryTag, the positional name. */
  imageRef: string;
  /** Every full reference pack will save. */
  refs: string[];
  builder: string;
  reportDir: string;
  publish: boolean;
}

/** The env a label set becomes (Paketo image-labels buildpack: BP_OCI_* and BP_IMAGE_LABELS). */
export function labelEnv(labels: ImageLabels): Record<string, string> {
  const env: Record<string, string> = {};
  if (labels.source) env.BP_OCI_SOURCE = labels.source;
  if (labels.revision) env.BP_OCI_REVISION = labels.revision;
  if (labels.created) env.BP_OCI_CREATED = labels.created;
  if (labels.fingerprint) env.BP_IMAGE_LABELS = `${FINGERPRINT_LABEL}=${labels.fingerprint}`;
  return env;
}

/** True when pack trusts the builder by itself (ignoring the tag). */
export function isKnownTrustedBuilder(builder: string): boolean {
  const name = builder.split('@')[0]!.replace(/:[^/]*$/, '').replace(/^(docker\.io|index\.docker\.io)\//, '');
  return KNOWN_TRUSTED_BUILDERS.includes(name);
}

/** Builds the `pack build` argv. Throws USAGE_BAD_FLAG for combinations pack rejects. */
export function planPackBuild(input: PackBuildInput): PackBuildPlan {
  const [primary, ...extra] = input.tags;
  if (!primary) throw new BimError('INTERNAL', 'planPackBuild needs at least one tag');
  if (input.cacheImage && !input.publish) {
    throw new BimError('USAGE_BAD_FLAG', '--cache-image needs --publish (pack keeps a registry cache only for published images)', {
      hint: 'add --publish, or drop --cache-image',
    });
  }
  const builder = input.builder ?? input.plan.builder.value;
  const imageRef = `${input.image}:${primary}`;
  const refs = [imageRef, ...extra.map((t) => `${input.image}:${t}`)];
  const argv = ['build', imageRef, '--builder', builder, '--path', input.appDir];
  if (input.descriptor) argv.push('--descriptor', input.descriptor);
  for (const ref of refs.slice(1)) argv.push('--tag', ref);
  for (const bp of [...input.plan.buildpacks.value, ...(input.buildpacks ?? [])]) argv.push('--buildpack', bp);
  const env = { ...input.plan.buildEnv.value, ...labelEnv(input.labels ?? {}), ...(input.env ?? {}) };
  const hidden = new Set(input.fromHostEnv ?? []);
  for (const name of Object.keys(env).sort()) argv.push('--env', hidden.has(name) ? name : `${name}=${env[name]}`);
  if (input.publish) argv.push('--publish');
  if (input.cacheImage) argv.push('--cache-image', input.cacheImage);
  if (input.pullPolicy) argv.push('--pull-policy', input.pullPolicy);
  if (input.creationTime) argv.push('--creation-time', input.creationTime);
  if (input.previousImage) argv.push('--previous-image', input.previousImage);
  if (isKnownTrustedBuilder(builder)) argv.push('--trust-builder');
  argv.push('--report-output-dir', input.reportDir);
  return { command: 'pack', argv, imageRef, refs, builder, reportDir: input.reportDir, publish: input.publish };
}
