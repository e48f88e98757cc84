/**
 * `bim-pack build [dir]`: detect the plan, then build the image with pack (or reuse the one with
 * the same fingerprint) and print its digest (published) or image id (local engine).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { BimError } from '@bim-pack/shared';
import type { CommandContext, CommandResult } from '../context.js';

const list = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.coerce.string()));

/** The build command's flags, checked once here. */
const BuildFlagsSchema = z.object({
  path: z.coerce.string().optional(),
  image: z.coerce.string().optional(),
  tag: list,
  builder: z.coerce.string().optional(),
  buildpack: list,
  env: list.pipe(z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'must be NAME=VALUE'))),
  publish: z.boolean().optional(),
  cacheImage: z.coerce.string().optional(),
  pullPolicy: z.enum(['always', 'never', 'if-not-present']).optional(),
  force: z.boolean().optional(),
});

/** Parses the flags or throws USAGE_BAD_FLAG naming the flag. */
function parseFlags(options: Record<string, unknown>) {
  const parsed = BuildFlagsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  throw new BimError('USAGE_BAD_FLAG', `${flag}: ${issue.message}`, { hint: 'run `bim-pack build --help` for the flags' });
}

/** Values of the app's .env: secrets the image must not contain (names only ever reported). */
async function readDotEnvSecrets(appDir: string): Promise<Array<{ key: string; value: string }>> {
  let text: string;
  try {
    text = await readFile(join(appDir, '.env'), 'utf8');
  } catch {
    return [];
  }
  const secrets: Array<{ key: string; value: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const value = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (value) secrets.push({ key: m[1]!, value });
  }
  return secrets;
}

/** Runs detect + build and returns the result (secret-free) as data and lines. */
export async function run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<CommandResult> {
  const flags = parseFlags(options);
  const [{ detect }, { buildImage }] = await Promise.all([import('@bim-pack/detector'), import('@bim-pack/builder')]);
  const root = resolve(context.cwd, args[0] ?? '.');
  context.reporter.stage('detect', root);
  const plan = await detect(root, { reporter: context.reporter, ...(flags.path !== undefined ? { path: flags.path } : {}) });
  const appDir = resolve(root, plan.path);
  const env = Object.fromEntries(flags.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const result = await buildImage(plan, {
    appDir,
    image: flags.image,
    tags: flags.tag,
    builder: flags.builder,
    buildpacks: flags.buildpack,
    env,
    publish: flags.publish,
    cacheImage: flags.cacheImage,
    pullPolicy: flags.pullPolicy,
    force: flags.force,
    secrets: await readDotEnvSecrets(appDir),
    onCleanup: (fn) => context.onCleanup(fn),
  }, context.reporter, context.signal);
  const data = {
    app: plan.app.value,
    image: result.image,
    ref: result.ref,
    digest: result.digest,
    imageId: result.imageId,
    tags: result.tags,
    fingerprint: result.fingerprint,
    skipped: result.skipped,
    published: result.publish,
    durationMs: result.durationMs,
    packArgs: result.packArgs,
  };
  const lines = [
    result.skipped ? `reused ${result.ref} (same source; --force rebuilds)` : `built ${result.ref}`,
    result.digest ? `digest   ${result.digest}` : `image id ${result.imageId}`,
    `tags     ${result.tags.join(' ')}`,
  ];
  return { data, lines };
}
