import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { isApiError } from './api-client';

/** The text to show a person for a failed request: the server's localized message, or ours. */
export function errorText(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (error.code === 'NETWORK') return t('common.networkError');
    if (error.message) return error.message;
  }
  return t('common.unknownError');
}

/**
 * Puts VALIDATION_FAILED field issues on the form's fields. Returns false when the error is not about
 * fields the form has, so the caller shows it another way.
 */
export function applyFieldErrors(form: FormInstance, error: unknown): boolean {
  if (!isApiError(error)) return false;
  const issues = error.fieldIssues;
  if (issues.length === 0) return false;
  const known = issues.filter((issue) => isFormField(form, issue.field));
  if (known.length === 0) return false;
  form.setFields(known.map((issue) => ({ name: toNamePath(issue.field), errors: [issue.message] })));
  return known.length === issues.length;
}

function toNamePath(field: string): (string | number)[] {
  return field.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function isFormField(form: FormInstance, field: string): boolean {
  const [first] = toNamePath(field);
  const values = (form.getFieldsValue() ?? {}) as Record<string, unknown>;
  return typeof first === 'string' && first in values;
}
