export { BimError, EXIT, ERROR_CODES, exitCodeOf, isBimError } from './errors.js';
export type { BimErrorOptions, ErrorCode, ExitClass } from './errors.js';
export { silentReporter } from './reporter.js';
export type { Reporter } from './reporter.js';
export { MASK, Redactor } from './redact.js';
export {
  AppCandidateSchema, EvidenceSchema, LANGUAGES, LanguageSchema, PlanSchema, PlanWarningSchema, SmokeCheckSchema, decision,
} from './plan.js';
export type { AppCandidate, Evidence, Language, Plan, PlanWarning, SmokeCheck } from './plan.js';
export { ImBackendSchema, ProjectTomlSchema, parseProjectToml, readProjectToml } from './project-toml.js';
export type { ImBackend, ProjectToml } from './project-toml.js';
