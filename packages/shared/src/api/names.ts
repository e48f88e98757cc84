/**
 * Names and references shared by every API resource: app names, env names,
 * revisions and pinned image references. Validated once, at the edge.
 */
import { z } from 'zod';

/** Every schema that appears in the OpenAPI document registers here under its component name. */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

/** An app name is a DNS label: it becomes `<app>.localhost` and a container name part. */
export const AppNameSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label: 1-63 lower-case letters, digits and -, not starting or ending with -');
export type AppName = z.infer<typeof AppNameSchema>;

/** POSIX env names (letters, digits, underscore; no leading digit). */
export const EnvNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a POSIX env name: letters, digits and _, not starting with a digit');

/** A revision: r1, r2, ... monotonic per app. */
export const RevisionSchema = z.string().regex(/^r[1-9][0-9]*$/, 'must be a revision like r3');

/** A deployment id: `dep_` and 20 lower-case base32 characters. */
export const DeploymentIdSchema = z.string().regex(/^dep_[a-z2-7]{20}$/, 'must be a deployment id like dep_abcdefghij2345672345');

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REPO = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+|-+[a-z0-9]+)*)*$/;
const HOST = /^([a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*)(:[0-9]+)?$/;

/** Why an image reference is not pinned, or undefined when it is `repo@sha256:<64hex>` or `sha256:<64hex>`. */
export function explainImageRef(ref: string): string | undefined {
  if (DIGEST.test(ref)) return undefined;
  if (ref.startsWith('sha256:')) return 'a local image id must be sha256: followed by 64 lower-case hex digits';
  const at = ref.indexOf('@');
  if (at < 0) {
    return `"${ref}" is not pinned: give the image by digest (registry/repo@sha256:<64 hex>) or a local image id (sha256:<64 hex>), not a tag`;
  }
  const name = ref.slice(0, at);
  const digest = ref.slice(at + 1);
  if (!DIGEST.test(digest)) return 'the digest after @ must be sha256: followed by 64 lower-case hex digits';
  // A tag next to the digest is ambiguous (which one wins?): reject it too.
  const slash = name.indexOf('/');
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (last.includes(':')) return `"${ref}" names a tag and a digest: drop the tag and keep @${digest.slice(0, 19)}...`;
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const repo = hasHost ? name.slice(slash + 1) : name;
  if (hasHost && !HOST.test(first)) return `"${first}" is not a valid registry host`;
  if (!REPO.test(repo)) return `"${repo}" is not a valid repository name (lower-case letters, digits, ., _, -, /)`;
  return undefined;
}

/** An image pinned by digest (`registry/repo@sha256:<64hex>`) or a local image id (`sha256:<64hex>`). Tags are rejected. */
export const ImageRefSchema = z.string().max(512).superRefine((ref, ctx) => {
  const problem = explainImageRef(ref);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** True when the reference is a local image id (nothing to pull). */
export function isLocalImageId(ref: string): boolean {
  return DIGEST.test(ref);
}

/** An ISO-8601 UTC timestamp. */
export const TimestampSchema = z.iso.datetime();
