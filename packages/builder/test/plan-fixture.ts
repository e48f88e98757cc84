/** A hand-made plan for builder tests (the detector's output shape, filled by hand). */
import { PlanSchema, type Plan } from '@bim-pack/shared';

const d = <T>(value: T) => ({ value, evidence: [{ reason: 'test fixture' }] });

/** A valid plan; pass fields to override. */
export function makePlan(overrides: Partial<Plan> = {}): Plan {
  return PlanSchema.parse({
    schemaVersion: 1,
    app: d('shop'),
    path: '.',
    language: d('node'),
    packageManager: d('npm'),
    framework: d(null),
    runtimeVersion: d('20.x'),
    buildCommand: d(null),
    start: d('node server.js'),
    test: d(null),
    port: { value: 8080, honoursPortEnv: true, hardcoded: null, evidence: [] },
    builder: d('paketobuildpacks/builder-jammy-base'),
    buildpacks: d([]),
    buildEnv: d({ BP_NODE_VERSION: '20.x' }),
    dockerfile: { present: false, file: null, note: null },
    healthCheckPath: '/',
    smoke: [],
    envNames: [],
    include: [],
    exclude: [],
    projectToml: null,
    apps: [],
    warnings: [],
    ...overrides,
  });
}
