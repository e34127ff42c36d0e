// Google API errors turned into messages a person can act on: what failed,
// why, and the command or setting that fixes it. User-fixable failures are
// CloudUserErrors (UserErrors: the CLI exits 2), rejected credentials are
// CredentialsErrors; outages and bugs are CloudErrors (internal: exit 1).
import { CredentialsError, isUserCancelled, isUserError, LOGIN_COMMAND, UserError } from '../shared/errors';
import type { CloudConfig } from './config';

/** gRPC status codes by name. */
export const Code = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const CODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Code).map(([name, code]) => [code, name]));

/** A failure the user cannot fix by changing the request (outage, timeout, bug). */
export class CloudError extends Error {
  override readonly name = 'CloudError';
  constructor(
    message: string,
    /** gRPC status name, e.g. UNAVAILABLE. */
    readonly status: string,
    /** Operation to resume or inspect, when one was running. */
    readonly operation?: string,
  ) {
    super(message);
  }
}

/** A failure the user can fix; carries the gRPC status for callers that branch on it. */
export class CloudUserError extends UserError {
  constructor(
    message: string,
    readonly status: string,
    readonly operation?: string,
  ) {
    super(message);
  }
}

interface GoogleErrorLike {
  code?: number | string;
  message?: string;
  details?: string;
  reason?: string;
  errorInfoMetadata?: Record<string, string>;
}

export function grpcCode(error: unknown): number | undefined {
  const code = (error as GoogleErrorLike | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The server's own words, without the "7 PERMISSION_DENIED: " prefix the client adds. */
export function serverMessage(error: unknown): string {
  const like = (error ?? {}) as GoogleErrorLike;
  const raw = like.details || (typeof like.message === 'string' ? like.message : String(error));
  return raw.replace(/^\d+ [A-Z_]+: /, '').trim();
}

export interface ErrorContext {
  /** What we were doing, e.g. "deploying model 123 to endpoint 456". */
  action: string;
  config: CloudConfig;
  operation?: string;
}

const ROLE_FOR_PERMISSION: [RegExp, string][] = [
  [/^aiplatform\./, 'roles/aiplatform.user'],
  [/^storage\.buckets\.create$/, 'roles/storage.admin'],
  [/^storage\./, 'roles/storage.objectAdmin'],
  [/^serviceusage\./, 'roles/serviceusage.serviceUsageConsumer'],
];

export function roleFor(permission: string): string {
  return ROLE_FOR_PERMISSION.find(([pattern]) => pattern.test(permission))?.[1] ?? 'roles/aiplatform.user';
}

function permissionOf(error: GoogleErrorLike, text: string): string | undefined {
  return error.errorInfoMetadata?.permission ?? /Permission '([^']+)'/.exec(text)?.[1] ?? /permission[: ]+'?([a-z]+\.[a-zA-Z.]+)/i.exec(text)?.[1];
}

function isLocal(config: CloudConfig): boolean {
  return config.apiEndpoint !== undefined && /^(127\.|localhost|\[::1\])/.test(config.apiEndpoint);
}

/** Turns any error from a Google client call into a CloudUserError, CredentialsError or CloudError with advice; ours pass through. */
export function explainError(error: unknown, context: ErrorContext): Error {
  if (isUserError(error) || isUserCancelled(error) || error instanceof CloudError) return error;
  const code = grpcCode(error);
  const google = (error ?? {}) as GoogleErrorLike;
  const text = serverMessage(error);
  const { project, region } = context.config;
  const status = code === undefined ? 'UNKNOWN' : (CODE_NAMES[code] ?? String(code));
  const user = (message: string): CloudUserError => new CloudUserError(message, status, context.operation);
  switch (code) {
    case Code.PERMISSION_DENIED: {
      if (google.reason === 'SERVICE_DISABLED' || /has not been used in project|is disabled/.test(text)) {
        const service = google.errorInfoMetadata?.service ?? 'aiplatform.googleapis.com';
        return user(
          `${service} is not enabled in project ${project} (while ${context.action}): enable it with ` +
            `\`gcloud services enable ${service} --project ${project}\` or at https://console.cloud.google.com/apis/library/${service}?project=${project}, then retry`,
        );
      }
      const permission = permissionOf(google, text);
      if (permission) {
        return user(
          `Permission denied: ${permission} on project ${project} (while ${context.action}). Grant your account ${roleFor(permission)}, ` +
            `e.g. \`gcloud projects add-iam-policy-binding ${project} --member=user:YOU@EXAMPLE.COM --role=${roleFor(permission)}\`, or check that the resource exists`,
        );
      }
      return user(`Permission denied while ${context.action}: ${text}. Grant your account roles/aiplatform.user on project ${project}`);
    }
    case Code.UNAUTHENTICATED:
      return new CredentialsError(`Google Cloud rejected the credentials while ${context.action}: run \`${LOGIN_COMMAND}\` and retry`, text);
    case Code.NOT_FOUND:
      return user(`Not found while ${context.action}: ${text} Check the ID, the project (${project}) and the region (${region}); \`model-studio cloud endpoints list\` and \`models list\` show what exists`);
    case Code.ALREADY_EXISTS:
      return user(`Already exists while ${context.action}: ${text} Pick another ID or use the existing resource`);
    case Code.FAILED_PRECONDITION:
      return user(`Refused while ${context.action}: ${text}`);
    case Code.RESOURCE_EXHAUSTED:
      return user(
        `Quota exhausted in project ${project}, region ${region}, while ${context.action}: ${text} ` +
          `Undeploy models you no longer need, use a smaller machine or fewer replicas, or request more quota at https://console.cloud.google.com/iam-admin/quotas?project=${project}`,
      );
    case Code.ABORTED:
      return user(`Conflict while ${context.action}: ${text}`);
    case Code.INVALID_ARGUMENT:
      return user(`Vertex AI rejected the request while ${context.action}: ${text}`);
    case Code.UNAVAILABLE:
    case Code.DEADLINE_EXCEEDED: {
      const reason = /ECONNREFUSED/.test(text) ? 'connection refused' : /No connection established/.test(text) ? 'no connection' : text;
      const where = isLocal(context.config)
        ? `the sandbox at ${context.config.apiEndpoint} (is it running? \`model-studio sandbox status\`)`
        : `Vertex AI in ${region}`;
      const resume = context.operation ? ` The operation continues on the server; resume with \`model-studio cloud operations wait ${context.operation}\`` : '';
      return new CloudError(`Could not reach ${where} while ${context.action}: ${reason}. Check the network and retry.${resume}`, status, context.operation);
    }
    case Code.CANCELLED:
      return new CloudError(`Cancelled while ${context.action}: ${text}`, status, context.operation);
    default:
      return new CloudError(`Vertex AI failed while ${context.action}: ${status}: ${text}`, status, context.operation);
  }
}

/** Runs a client call and explains its failure. */
export async function explained<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainError(error, context);
  }
}
