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
export {
  apiRegistry, AppNameSchema, DeploymentIdSchema, EnvNameSchema, ImageRefSchema, RevisionSchema, TimestampSchema, explainImageRef,
  isLocalImageId,
} from './api/names.js';
export type { AppName } from './api/names.js';
export { API_ERROR_CODES, ApiErrorCodeSchema, ApiErrorSchema } from './api/errors.js';
export type { ApiError, ApiErrorCode } from './api/errors.js';
export {
  DEPLOYMENT_EVENT_NAMES, DEPLOYMENT_STATUSES, DeploymentCreateSchema, DeploymentEventNameSchema, DeploymentEventSchema,
  DeploymentFailureSchema, DeploymentListSchema, DeploymentSchema, DeploymentStatusSchema, DeploymentTimeoutsSchema, FAILURE_REASONS,
  FailureReasonSchema, TERMINAL_EVENT_NAMES,
} from './api/deployments.js';
export type {
  Deployment, DeploymentCreate, DeploymentCreateParsed, DeploymentEvent, DeploymentEventName, DeploymentFailure, DeploymentList,
  DeploymentStatus, DeploymentTimeouts, FailureReason,
} from './api/deployments.js';
export {
  AppDestroyedSchema, AppListSchema, AppSchema, LogLineSchema, LogsQuerySchema, RollbackRequestSchema, RollbackResultSchema, WhoamiSchema,
} from './api/apps.js';
export type { App, AppDestroyed, AppList, LogLine, LogsQuery, RollbackRequest, RollbackResult, Whoami } from './api/apps.js';
export {
  IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER, IdempotencyKeySchema, MAX_BODY_BYTES, ROUTES, buildApiPath, matchApiRoute,
} from './api/routes.js';
export type { ResponseKind, RouteMatch, RouteName, RouteSpec } from './api/routes.js';
export { buildOpenApiDocument } from './api/openapi.js';
