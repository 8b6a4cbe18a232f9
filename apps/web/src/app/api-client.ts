import type { ErrorBody, ErrorCode, FieldIssue } from '@qinqing/contracts';
import { currentLanguage } from './i18n';

/** An error answered by the server (`{ code, message, details? }`) or a network failure (code 'NETWORK'). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field problems (`details: [{ field, message }]`, e.g. VALIDATION_FAILED, PASSWORD_POLICY), or an empty list. */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (issue): issue is FieldIssue => typeof issue?.field === 'string' && typeof issue?.message === 'string',
    );
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remembers the CSRF token from the last login or GET /api/me; sent on every mutation. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 UNAUTHENTICATED (session expired or logged out elsewhere). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  /** Do not redirect to the login page on 401 (login itself, the session probe). */
  isAuthProbe?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLanguage() };
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  // A FormData body (file upload) sets its own multipart boundary.
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', '');
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }

  if (!response.ok) {
    const error = toApiError(response.status, body);
    if (error.code === 'UNAUTHENTICATED' && !options.isAuthProbe) onUnauthenticated?.();
    throw error;
  }
  return body as T;
}

/** Fetches a file with the session cookie as a Blob (a download, an image to preview); errors arrive as ApiError. */
export async function apiBlob(path: string, query?: Query): Promise<{ blob: Blob; filename: string | null }> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      headers: { 'Accept-Language': currentLanguage() },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (!response.ok) {
    let body: unknown = undefined;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const error = toApiError(response.status, body);
    if (error.code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw error;
  }
  return { blob: await response.blob(), filename: fileNameOf(response.headers.get('Content-Disposition')) };
}

/**
 * Downloads a file the server generates (template, export) and hands it to the browser under the server's
 * file name. Errors arrive as ApiError like any other request, instead of a saved JSON error body.
 */
export async function apiDownload(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
  const { blob, filename } = await apiBlob(path, query);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface UploadOptions {
  /** Called as the body goes out, with the share sent so far (0–1). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * POSTs a FormData (a file upload) like `api`, with the session cookie, the CSRF token and the UI language, but
 * over XMLHttpRequest so the caller can show how much of a large file (a phone's photo) has been sent.
 */
export function apiUpload<T>(path: string, body: FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('Accept', 'application/json');
    request.setRequestHeader('Accept-Language', currentLanguage());
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(Math.min(1, event.loaded / event.total));
    };
    request.onload = () => {
      let parsed: unknown = undefined;
      if (request.responseText) {
        try {
          parsed = JSON.parse(request.responseText);
        } catch {
          parsed = undefined;
        }
      }
      if (request.status >= 200 && request.status < 300) {
        options.onProgress?.(1);
        resolve(parsed as T);
        return;
      }
      const error = toApiError(request.status, parsed);
      if (error.code === 'UNAUTHENTICATED') onUnauthenticated?.();
      reject(error);
    };
    request.onerror = () => reject(new ApiError(0, 'NETWORK', ''));
    request.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('The upload was aborted', 'AbortError'));
        return;
      }
      options.signal.addEventListener('abort', () => request.abort(), { once: true });
    }
    request.send(body);
  });
}

/** The file name of a Content-Disposition header, preferring the RFC 5987 `filename*` (UTF-8, e.g. Chinese names). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain ? plain[1].trim() : null;
}

function toApiError(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
    const { code, message, details } = body as ErrorBody;
    return new ApiError(status, code, typeof message === 'string' ? message : '', details);
  }
  const fallback: ErrorCode = status === 401 ? 'UNAUTHENTICATED' : status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : 'INTERNAL';
  return new ApiError(status, fallback, '');
}
