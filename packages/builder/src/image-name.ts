/** Image names and tags: derived from the git remote, pure and tested with exact values. */
import { BimError } from '@bim-pack/shared';

/** owner/repo from an https, ssh or scp-style git remote URL; null when it has no such path. */
export function parseRemoteRepository(remoteUrl: string): { host: string; owner: string; repo: string } | null {
  const url = remoteUrl.trim();
  // scp-like: git@github.com:Owner/Repo.git
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(url);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    try {
      const parsed = new URL(url);
      host = parsed.hostname;
      path = parsed.pathname;
    } catch {
      return null;
    }
  }
  const parts = path.replace(/\.git\/?$/, '').replace(/\/+$/, '').split('/').filter(Boolean);
  if (parts.length < 2) return null;
  return { host: host.toLowerCase(), owner: parts[parts.length - 2]!, repo: parts[parts.length - 1]! };
}

/** Makes a string a valid lower-case repository path component. */
function toRepositoryComponent(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[._-]+$/g, '');
}

/** Inputs for choosing the image name, most specific first. */
export interface ImageNameInput {
  /** --image flag. */
  flag?: string | undefined;
  /** [im.backend] image in project.toml. */
  projectToml?: string | undefined;
  remoteUrl: string | null;
  /** GITHUB_REPOSITORY (owner/repo) in GitHub Actions, used when there is no remote. */
  githubRepository?: string | undefined;
  /** App name; appended as /<app> for an app inside a monorepo (plan.path !== '.'). */
  app: string;
  inMonorepo: boolean;
  registry?: string;
}

/** The image repository (no tag): flag, then project.toml, then ghcr.io/<owner>/<repo>[/<app>]. */
export function chooseImageName(input: ImageNameInput): string {
  const explicit = input.flag ?? input.projectToml;
  if (explicit) return validateImageName(stripTag(explicit));
  let owner: string | undefined;
  let repo: string | undefined;
  const remote = input.remoteUrl ? parseRemoteRepository(input.remoteUrl) : null;
  if (remote) ({ owner, repo } = remote);
  else if (input.githubRepository && /^[^/]+\/[^/]+$/.test(input.githubRepository)) [owner, repo] = input.githubRepository.split('/');
  if (!owner || !repo) {
    throw new BimError('BUILD_NO_IMAGE_NAME', 'no image name: no --image flag, no [im.backend] image in project.toml and no git remote to derive ghcr.io/<owner>/<repo> from', {
      hint: 'pass --image ghcr.io/<owner>/<repo>, or add image = "ghcr.io/<owner>/<repo>" under [im.backend] in project.toml, or run `git remote add origin https://github.com/<owner>/<repo>.git`',
    });
  }
  const parts = [input.registry ?? 'ghcr.io', toRepositoryComponent(owner), toRepositoryComponent(repo)];
  if (input.inMonorepo) parts.push(toRepositoryComponent(input.app));
  return parts.join('/');
}

/** Drops a :tag or @digest from a reference (keeps a registry :port). */
export function stripTag(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** The registry host of an image name (docker.io when the first part is not a host). */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return first;
  return 'docker.io';
}

/** The repository path inside its registry (docker.io names get library/ when bare). */
export function repositoryOf(image: string): string {
  const name = stripTag(image);
  const registry = registryOf(name);
  if (registry === 'docker.io') {
    const path = name.startsWith('docker.io/') ? name.slice('docker.io/'.length) : name;
    return path.includes('/') ? path : `library/${path}`;
  }
  return name.slice(registry.length + 1);
}

function validateImageName(name: string): string {
  const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
  const parts = name.split('/');
  const host = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!) ? parts.shift()! : null;
  const hostOk = host === null || /^[a-zA-Z0-9.-]+(:[0-9]+)?$/.test(host);
  if (!hostOk || parts.length === 0 || !parts.every((p) => component.test(p))) {
    throw new BimError('USAGE_BAD_FLAG', `image name "${name}" is not a valid lower-case image reference`, {
      hint: 'use lower-case letters, digits, ".", "-", "_" and "/", e.g. --image ghcr.io/acme/shop',
    });
  }
  return name;
}

/** Tag for the commit: the commit id, plus -dirty-<content hash> when the tree has changes. */
export function commitTag(commit: string | null, dirty: boolean, contentHash: string): string | null {
  if (!commit) return null;
  return dirty ? `${commit}-dirty-${contentHash.slice(0, 12)}` : commit;
}

/** The tag that records the fingerprint on the image. */
export function fingerprintTag(fingerprint: string): string {
  return `fp-${fingerprint.slice(0, 32)}`;
}

/** Validates a user-given tag (docker's tag grammar). */
export function validateTag(tag: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new BimError('USAGE_BAD_FLAG', `tag "${tag}" is not a valid image tag`, {
      hint: 'tags use letters, digits, "_", "." and "-", at most 128 characters, e.g. --tag v1.2.0',
    });
  }
  return tag;
}
