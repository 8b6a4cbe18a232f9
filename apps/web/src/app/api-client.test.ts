import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('./i18n', () => ({ currentLanguage: () => 'en-US' }));

const { api, ApiError, fileNameOf, setCsrfToken, setUnauthenticatedHandler } = await import('./api-client');

function answer(status: number, body?: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('api', () => {
  it('sends the UI language, same-origin credentials and, on mutations, the CSRF token', async () => {
    const fetchMock = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
    await api('/api/users', { method: 'POST', body: { a: 1 } });
    await api('/api/users', { query: { q: 'li', role: undefined, page: 2 } });
    const [postUrl, post] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    const [getUrl, get] = fetchMock.mock.calls[1] as unknown as [string, RequestInit];
    expect(postUrl).toBe('/api/users');
    expect(post.credentials).toBe('same-origin');
    expect(post.headers).toMatchObject({ 'Accept-Language': 'en-US', 'x-csrf-token': 'csrf-1', 'Content-Type': 'application/json' });
    expect(getUrl).toBe('/api/users?q=li&page=2');
    expect(get.headers).not.toHaveProperty('x-csrf-token');
  });

  it('turns an error body into an ApiError with field issues', async () => {
    vi.stubGlobal('fetch', answer(400, { code: 'VALIDATION_FAILED', message: 'Some fields are invalid', details: [{ field: 'phone', message: 'an 11-digit mobile number' }] }));
    const error = await api('/api/users', { method: 'POST', body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as InstanceType<typeof ApiError>).fieldIssues).toEqual([{ field: 'phone', message: 'an 11-digit mobile number' }]);
  });

  it('reports 401 UNAUTHENTICATED to the handler, except for auth probes', async () => {
    const onUnauthenticated = vi.fn();
    setUnauthenticatedHandler(onUnauthenticated);
    vi.stubGlobal('fetch', answer(401, { code: 'UNAUTHENTICATED', message: 'Please sign in' }));
    await expect(api('/api/me', { isAuthProbe: true })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onUnauthenticated).not.toHaveBeenCalled();
    await expect(api('/api/users')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(onUnauthenticated).toHaveBeenCalledOnce();
  });

  it('reports a failed connection as NETWORK', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }));
    await expect(api('/api/meta')).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    await expect(api('/api/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });
});

describe('uploads and downloads', () => {
  it('sends FormData as multipart (no JSON content type) with the CSRF token', async () => {
    const fetchMock = answer(202, { id: 'imp1' });
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-2');
    const body = new FormData();
    body.append('file', new Blob(['a,b']), 'a.csv');
    await api('/api/enterprises/imports', { method: 'POST', body });
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.body).toBe(body);
    expect(init.headers).not.toHaveProperty('Content-Type');
    expect(init.headers).toMatchObject({ 'x-csrf-token': 'csrf-2' });
  });

  it('takes the file name from Content-Disposition, preferring the UTF-8 form', () => {
    expect(fileNameOf(`attachment; filename="template.csv"; filename*=UTF-8''%E4%BC%81%E4%B8%9A.csv`)).toBe('企业.csv');
    expect(fileNameOf('attachment; filename="enterprises.xlsx"')).toBe('enterprises.xlsx');
    expect(fileNameOf(null)).toBeNull();
  });
});
