/** package.json, parsed at the edge: only the fields detection uses, wrong types dropped with a warning-free null. */
import { z } from 'zod';
import type { AppFiles } from '../../types.js';

const strings = z.record(z.string(), z.string());
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** The fields of package.json detection reads. */
export const PackageJsonSchema = z.looseObject({
  name: optional(z.string()),
  main: optional(z.string()),
  type: optional(z.string()),
  packageManager: optional(z.string()),
  scripts: optional(strings),
  dependencies: optional(strings),
  devDependencies: optional(strings),
  engines: optional(z.looseObject({ node: optional(z.string()) })),
  workspaces: optional(z.union([z.array(z.string()), z.looseObject({ packages: optional(z.array(z.string())) })])),
});
export type PackageJson = z.infer<typeof PackageJsonSchema>;

/** package.json with its text (for line numbers), or null when missing or invalid. */
export interface Manifest {
  pkg: PackageJson;
  text: string;
}

/** Reads package.json; invalid JSON is already a warning from AppFiles. */
export async function readManifest(files: AppFiles): Promise<Manifest | null> {
  const raw = await files.json('package.json');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const text = (await files.text('package.json')) ?? '';
  return { pkg: PackageJsonSchema.parse(raw), text };
}

/** dependencies and devDependencies together (frameworks show up in either). */
export function allDependencies(pkg: PackageJson): Record<string, string> {
  return { ...pkg.devDependencies, ...pkg.dependencies };
}

/** 1-based line of a "key": in package.json text (first occurrence), for evidence. */
export function lineOfKey(text: string, key: string): number | undefined {
  const needle = `"${key}"`;
  const index = text.split('\n').findIndex((line) => line.includes(needle) && /"\s*:/.test(line.slice(line.indexOf(needle))));
  return index >= 0 ? index + 1 : undefined;
}

/** Evidence pointing at a key of package.json. */
export function pkgEvidence(manifest: Manifest, key: string, reason: string) {
  const line = lineOfKey(manifest.text, key);
  return { file: 'package.json', ...(line ? { line } : {}), reason };
}
