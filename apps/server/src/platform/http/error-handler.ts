import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, FieldIssue } from '@qinqing/contracts';
import { AppError } from '../errors.js';
import { type Locale, localeOf, translate, translatePhrase } from '../messages.js';

interface ZodLikeIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  values?: unknown[];
  keys?: string[];
  input?: unknown;
}

/** A field issue as services raise it: a phrase to translate, or text already in both languages. */
interface LocalisableIssue extends FieldIssue {
  params?: Record<string, number>;
  localized?: { 'zh-CN': string; 'en-US': string };
  warning?: boolean;
}

/** One zod issue as a field message in the caller's language. */
export function describeIssue(issue: ZodLikeIssue, locale: Locale): string {
  const sized = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
  switch (issue.code) {
    case 'invalid_type':
      return /received undefined/.test(issue.message) || issue.input === undefined
        ? translatePhrase('required', locale)
        : translatePhrase('expected {type}', locale, { type: issue.expected ?? '?' });
    case 'too_small':
      return translatePhrase(`at least {n}${sized}`, locale, { n: Number(issue.minimum) });
    case 'too_big':
      return translatePhrase(`at most {n}${sized}`, locale, { n: Number(issue.maximum) });
    case 'invalid_value':
      return translatePhrase('one of: {values}', locale, { values: (issue.values ?? []).join(', ') });
    case 'unrecognized_keys':
      return translatePhrase('unknown fields: {keys}', locale, { keys: (issue.keys ?? []).join(', ') });
    case 'invalid_format':
    case 'custom':
      return translatePhrase(issue.message.startsWith('Invalid') ? 'invalid format' : issue.message, locale);
    default:
      return translatePhrase('invalid value', locale);
  }
}

function fieldOf(path: PropertyKey[], prefix: string | undefined): string {
  const joined = path.map(String).join('.');
  return joined || prefix || 'body';
}

function send(reply: FastifyReply, status: number, body: ErrorBody) {
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** The one error handler: `{ code, message, details? }`, localised, never a stack trace. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    try {
      return handle(error, request, reply);
    } catch (failure) {
      request.log.error({ err: failure, original: error }, 'error handler failed');
      return send(reply, 500, { code: 'INTERNAL', message: translate('INTERNAL', 'zh-CN', { requestId: String(request.id) }) });
    }
  });

  function handle(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    const locale = localeOf(request.headers['accept-language']);
    if (error instanceof AppError) {
      const params = Object.fromEntries(
        Object.entries(error.params).map(([key, value]) => [key, key === 'reason' && typeof value === 'string' ? translatePhrase(value, locale, error.params) : value]),
      );
      const details = Array.isArray(error.details)
        ? (error.details as LocalisableIssue[]).map((issue) => ({
            field: issue.field,
            message: issue.localized?.[locale] ?? translatePhrase(issue.message, locale, issue.params),
            ...(issue.warning ? { warning: true } : {}),
          }))
        : error.details;
      return send(reply, error.status, { code: error.code, message: translate(error.code, locale, params), ...(details === undefined ? {} : { details }) });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details: FieldIssue[] = error.validation.map((v) => {
        const issue = { ...(v.params as object), code: v.keyword, message: v.message ?? '', path: v.instancePath.split('/').filter(Boolean) } as ZodLikeIssue;
        const where = error.validationContext === 'body' ? undefined : error.validationContext;
        return { field: fieldOf(issue.path, where), message: describeIssue(issue, locale) };
      });
      return send(reply, 400, { code: 'VALIDATION_FAILED', message: translate('VALIDATION_FAILED', locale), details });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
      return send(reply, 400, {
        code: 'VALIDATION_FAILED',
        message: translate('VALIDATION_FAILED', locale),
        details: [{ field: 'body', message: translatePhrase('invalid JSON', locale) }],
      });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
      return send(reply, 413, { code: 'PAYLOAD_TOO_LARGE', message: translate('PAYLOAD_TOO_LARGE', locale) });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (unsupported media type, bad URL …): name what is wrong, keep it 4xx.
      return send(reply, error.statusCode, {
        code: 'VALIDATION_FAILED',
        message: translate('VALIDATION_FAILED', locale),
        details: [{ field: error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'content-type' : 'request', message: error.message }],
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, { code: 'INTERNAL', message: translate('INTERNAL', locale, { requestId: String(request.id) }) });
  }

  app.setNotFoundHandler((request, reply) => {
    const locale = localeOf(request.headers['accept-language']);
    return send(reply, 404, { code: 'NOT_FOUND', message: translate('NOT_FOUND', locale) });
  });
}
