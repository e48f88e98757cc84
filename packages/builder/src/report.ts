/** Reading pack's result: report.toml (preferred), else the `*** Images (sha256:…)` or quiet-mode line. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';

const DIGEST = /sha256:[0-9a-f]{64}/;

/** report.toml as the lifecycle writes it (platform spec); unknown keys are tolerated. */
export const ReportTomlSchema = z.looseObject({
  image: z.looseObject({
    tags: z.array(z.string()).optional(),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
    'image-id': z.string().optional(),
    'manifest-size': z.number().int().optional(),
  }).optional(),
});
export type ReportToml = z.infer<typeof ReportTomlSchema>;

/** What pack told us about the image it saved. */
export interface PackReport {
  tags: string[];
  digest: string | null;
  imageId: string | null;
  manifestSize: number | null;
  /** Where the facts came from. */
  source: 'report.toml' | 'output' | 'none';
}

/** Parses report.toml text; null when it is not valid (the caller falls back to the output). */
export function parseReportToml(text: string): PackReport | null {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch {
    return null;
  }
  const parsed = ReportTomlSchema.safeParse(raw);
  if (!parsed.success) return null;
  const image = parsed.data.image ?? {};
  return {
    tags: image.tags ?? [],
    digest: image.digest ?? null,
    imageId: image['image-id'] ?? null,
    manifestSize: image['manifest-size'] ?? null,
    source: 'report.toml',
  };
}

/** Digest or short id from pack's console output: `*** Images (<id>):` or the quiet `name@sha256:…` line. */
export function parsePackOutput(lines: string[]): PackReport {
  for (const line of lines) {
    const images = /\*\*\* Images \(([^)]+)\):/.exec(line);
    if (images) {
      const id = images[1]!;
      return DIGEST.test(id)
        ? { tags: [], digest: DIGEST.exec(id)![0], imageId: null, manifestSize: null, source: 'output' }
        : { tags: [], digest: null, imageId: id, manifestSize: null, source: 'output' };
    }
  }
  for (const line of lines) {
    if (/^\S+@sha256:[0-9a-f]{64}\s*$/.test(line)) return { tags: [], digest: DIGEST.exec(line)![0], imageId: null, manifestSize: null, source: 'output' };
  }
  return { tags: [], digest: null, imageId: null, manifestSize: null, source: 'none' };
}

/** Reads <reportDir>/report.toml, falling back to the output lines. */
export async function readPackReport(reportDir: string, outputLines: string[]): Promise<PackReport> {
  try {
    const report = parseReportToml(await readFile(join(reportDir, 'report.toml'), 'utf8'));
    if (report && (report.digest || report.imageId)) return report;
  } catch {
    // no report.toml: older flows or a failed copy; the console lines are the fallback
  }
  return parsePackOutput(outputLines);
}
