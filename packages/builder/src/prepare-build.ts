/** Everything decided before pack runs: image name, tags, fingerprint, labels, credentials. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { readProjectToml, type Plan, type ProjectToml } from '@bim-pack/shared';
import { assertIncludeTakesNoEnvFile, chooseBuildFilter, filterTablePath, type BuildFilter } from './build-filter.js';
import { credentialsFromConfig, readDockerConfig, readRegistryCredentials, userDockerConfigDir, type RegistryCredentials } from './credentials.js';
import { describeDescriptor, listBuildpackUris } from './descriptor.js';
import { fingerprintSource } from './fingerprint.js';
import { readGitInfo, type GitInfo } from './git.js';
import { chooseImageName, commitTag, fingerprintTag, parseRemoteRepository, registryOf, repositoryOf, validateTag } from './image-name.js';
import type { ImageLabels, PullPolicy } from './pack-args.js';
import type { SecretValue } from './secret-scan.js';

/** What the caller (CLI or deployer) asks for. */
export interface BuildOptions {
  /** Absolute app folder (the plan's path already applied). */
  appDir: string;
  /** --image: repository, with or without a tag (a tag is ignored; use tags). */
  image?: string | undefined;
  /** Extra tags. */
  tags?: string[] | undefined;
  builder?: string | undefined;
  buildpacks?: string[] | undefined;
  /** Build env from flags (never secrets: it is on pack's argv). */
  env?: Record<string, string> | undefined;
  publish?: boolean | undefined;
  cacheImage?: string | undefined;
  pullPolicy?: PullPolicy | undefined;
  /** Build even when an image with the same fingerprint exists. */
  force?: boolean | undefined;
  /** Unix seconds or "now" (default: SOURCE_DATE_EPOCH, else "now"). */
  creationTime?: string | undefined;
  previousImage?: string | undefined;
  /** Secret values the image must not contain (.env values, Backend.im token); registry tokens are added. */
  secrets?: SecretValue[] | undefined;
  /** The environment to read tokens from and hand to pack (default process.env). */
  processEnv?: Record<string, string | undefined> | undefined;
  /** Stat cache for the fingerprint: a file path, or false for none (default: under $XDG_CACHE_HOME/bim-pack). */
  fingerprintCache?: string | false | undefined;
  /** Called with cleanup work that must run even if the process is interrupted. */
  onCleanup?: ((fn: () => Promise<void>) => void) | undefined;
}

/** The decisions of prepareBuild. */
export interface BuildSetup {
  image: string;
  registry: string;
  repository: string;
  /** Primary tag first, then extras, then the fingerprint tag. */
  tags: string[];
  fingerprintTag: string;
  fingerprint: string;
  files: number;
  git: GitInfo;
  labels: ImageLabels;
  /** The include/exclude pack applies (env files excluded); the fingerprint and the pre-pack check use it too. */
  filter: BuildFilter;
  /** The user's project.toml path, or null (pack gets a generated copy instead: descriptorText). */
  descriptor: string | null;
  /** The descriptor text pack gets through --descriptor (written to a private temp file just before pack runs). */
  descriptorText: string;
  projectToml: ProjectToml | null;
  /** Credentials handed to pack through a temporary DOCKER_CONFIG (null: the user's own setup). */
  packCredentials: RegistryCredentials | null;
  /** Credentials for our own registry calls (also from the user's config.json auths). */
  clientCredentials: RegistryCredentials | null;
  processEnv: Record<string, string | undefined>;
}

/** https URL of the source repository for the org.opencontainers.image.source label. */
export function sourceUrl(remoteUrl: string | null): string | null {
  const repo = remoteUrl ? parseRemoteRepository(remoteUrl) : null;
  return repo ? `https://${repo.host}/${repo.owner}/${repo.repo}` : null;
}

/** Where the fingerprint stat cache of an app folder lives by default. */
export function defaultCacheFile(appDir: string, env: Record<string, string | undefined>): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'bim-pack', 'fingerprints', `${createHash('sha256').update(appDir).digest('hex').slice(0, 24)}.json`);
}

/** Reads git, project.toml and the source tree, and decides names, tags and labels. */
export async function prepareBuild(plan: Plan, options: BuildOptions, signal?: AbortSignal): Promise<BuildSetup> {
  const processEnv = options.processEnv ?? process.env;
  const descriptorPath = join(options.appDir, 'project.toml');
  const projectToml = await readProjectToml(descriptorPath);
  const git = await readGitInfo(options.appDir, signal);
  const image = chooseImageName({
    flag: options.image,
    projectToml: projectToml?.im?.backend?.image,
    remoteUrl: git.remoteUrl,
    githubRepository: processEnv.GITHUB_REPOSITORY,
    app: plan.app.value,
    inMonorepo: plan.path !== '.' && plan.path !== '',
  });
  const builder = options.builder ?? plan.builder.value;
  const buildEnv = { ...plan.buildEnv.value, ...(options.env ?? {}) };
  const buildpacks = [...plan.buildpacks.value, ...(options.buildpacks ?? [])];
  const filter = chooseBuildFilter(plan, projectToml);
  assertIncludeTakesNoEnvFile(options.appDir, filter, filterTablePath(projectToml).join('.'));
  // Relative buildpack uris naming local folders: pack would resolve them against the temp descriptor's folder.
  const localUris = listBuildpackUris(projectToml).filter((uri) => !isAbsolute(uri) && !/^[a-z][a-z0-9+.-]*:/i.test(uri) && existsSync(join(options.appDir, uri)));
  const descriptorText = describeDescriptor({ projectToml, filter, appDir: options.appDir, localUris });
  const { hash, files } = await fingerprintSource({
    appDir: options.appDir,
    include: filter.include,
    exclude: filter.exclude,
    context: { builder, buildpacks, buildEnv },
    cacheFile: options.fingerprintCache === false ? undefined : options.fingerprintCache ?? defaultCacheFile(options.appDir, processEnv),
    signal,
  });
  const fpTag = fingerprintTag(hash);
  const primary = commitTag(git.commit, git.dirty, hash) ?? fpTag;
  const tags = [...new Set([primary, ...(options.tags ?? []).map(validateTag), fpTag])];
  const registry = registryOf(image);
  const packCredentials = readRegistryCredentials(registry, processEnv);
  const clientCredentials = packCredentials ?? credentialsFromConfig(await readDockerConfig(userDockerConfigDir(processEnv)), registry);
  const epoch = processEnv.SOURCE_DATE_EPOCH;
  const created = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return {
    image,
    registry,
    repository: repositoryOf(image),
    tags,
    fingerprintTag: fpTag,
    fingerprint: hash,
    files,
    git,
    labels: { source: sourceUrl(git.remoteUrl), revision: git.commit, created: created.toISOString(), fingerprint: hash },
    filter,
    descriptor: projectToml ? descriptorPath : null,
    descriptorText,
    projectToml,
    packCredentials,
    clientCredentials,
    processEnv,
  };
}
