import { type ErrorCode, type FieldIssue, errorCodes } from '@qinqing/contracts';

/** Parameters that fill a message ({reason}, {until} …); a `reason` is itself translated as a phrase. */
export type MessageParams = Record<string, string | number>;

/** The one error type services throw. The error handler turns it into `{ code, message, details? }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: MessageParams = {},
    readonly details?: unknown,
  ) {
    super(code);
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const conflict = (reason: string) => new AppError('CONFLICT', { reason });

/** A validation failure on named fields; messages are phrases translated at response time. */
export function invalidFields(issues: Array<FieldIssue & { localized?: { 'zh-CN': string; 'en-US': string }; warning?: boolean }>): AppError {
  return new AppError('VALIDATION_FAILED', {}, issues);
}
