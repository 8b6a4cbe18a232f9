/** Stable error codes shared by server and web. The server maps each to one HTTP status. */
export const errorCodes = {
  VALIDATION_FAILED: 400,
  PASSWORD_POLICY: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  CSRF_INVALID: 403,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  TOTP_ENROLLMENT_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ADMIN_SEPARATION: 409,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** The body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** One field-level problem in a VALIDATION_FAILED response's `details`. */
export interface FieldIssue {
  field: string;
  message: string;
}
