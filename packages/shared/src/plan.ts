/**
 * The plan: the detector's output and the input of build and deploy.
 * Every decision carries evidence (file, line where it makes sense, and reason).
 * The CLI passes plans between packages as plain data; this schema is the contract.
 */
import { z } from 'zod';

/** Why a decision was made: the file (relative to the app path) and line, and the reason. */
export const EvidenceSchema = z.strictObject({
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  reason: z.string(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** A decided value with the evidence behind it. */
export const decision = <T extends z.ZodType>(value: T) =>
  z.strictObject({ value, evidence: z.array(EvidenceSchema) });

export const LANGUAGES = [
  'node', 'python', 'go', 'java', 'kotlin', 'ruby', 'php', 'dotnet', 'rust', 'static', 'procfile',
] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/** A warning in the plan: something the user should know or fix; detection still succeeded. */
export const PlanWarningSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  hint: z.string().optional(),
});
export type PlanWarning = z.infer<typeof PlanWarningSchema>;

/** A smoke check run after a deployment is live. */
export const SmokeCheckSchema = z.strictObject({
  path: z.string().startsWith('/'),
  status: z.number().int().min(100).max(599).default(200),
  contains: z.string().optional(),
});
export type SmokeCheck = z.infer<typeof SmokeCheckSchema>;

/** A deployable app found under a root (monorepos list several). */
export const AppCandidateSchema = z.strictObject({
  name: z.string(),
  path: z.string(),
  language: LanguageSchema.nullable(),
  reason: z.string(),
});
export type AppCandidate = z.infer<typeof AppCandidateSchema>;

export const PlanSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** App name: a DNS label, from [im.backend] name, package name or folder name. */
  app: decision(z.string()),
  /** The app folder relative to the folder detect was asked about ('.' for itself). */
  path: z.string(),
  language: decision(LanguageSchema),
  packageManager: decision(z.string().nullable()),
  framework: decision(z.string().nullable()),
  /** Runtime version constraint as pinned (e.g. "20.x", "3.12", "1.22"), null when unpinned. */
  runtimeVersion: decision(z.string().nullable()),
  /** Build-time command (e.g. "npm run build"), run by the buildpack. */
  buildCommand: decision(z.string().nullable()),
  /** The web process command. */
  start: decision(z.string().nullable()),
  /** The app's test command, run by `deploy` before building. */
  test: decision(z.string().nullable()),
  port: z.strictObject({
    /** Port the platform sets in PORT and routes to. */
    value: z.number().int().min(1).max(65535),
    /** Whether the app reads PORT: true, false, or null when it cannot be told from the files. */
    honoursPortEnv: z.boolean().nullable(),
    /** A port literal found in a listen call, if any. */
    hardcoded: z.number().int().min(1).max(65535).nullable(),
    evidence: z.array(EvidenceSchema),
  }),
  builder: decision(z.string()),
  /** Extra buildpacks passed with --buildpack (empty: the builder's own order decides). */
  buildpacks: decision(z.array(z.string())),
  /** Build-time env (BP_* and friends) passed with --env. Never secrets. */
  buildEnv: decision(z.record(z.string(), z.string())),
  dockerfile: z.strictObject({
    present: z.boolean(),
    file: z.string().nullable(),
    note: z.string().nullable(),
  }),
  /** Health-check path the platform probes before switching traffic. */
  healthCheckPath: z.string().startsWith('/'),
  smoke: z.array(SmokeCheckSchema),
  /** Runtime env names the app needs at deploy time (from .env.example and [im.backend] env). */
  envNames: z.array(z.string()),
  /** Files the build uses, from project.toml [io.buildpacks] include/exclude. */
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  /** The project.toml that shaped this plan, relative path, or null. */
  projectToml: z.string().nullable(),
  /** Other deployable apps under the asked-about folder (monorepos). */
  apps: z.array(AppCandidateSchema),
  warnings: z.array(PlanWarningSchema),
});
export type Plan = z.infer<typeof PlanSchema>;
