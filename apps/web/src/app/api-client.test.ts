import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('./i18n', () => ({ currentLanguage: () => 'en-US' }));

const { api, apiBlob, apiUpload, ApiError, fileNameOf, setCsrfToken, setUnauthenticatedHandler } = await import('./api-client');

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

/** Enough of XMLHttpRequest for apiUpload: records what is sent and answers as told. */
class FakeXhr {
  static last: FakeXhr | null = null;
  static reply: { status: number; body: string; progress?: Array<[number, number]> } = { status: 201, body: '{}' };
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  responseText = '';
  upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  abort() {
    this.onabort?.();
  }
  send(body: unknown) {
    this.body = body;
    const { status, body: text, progress = [] } = FakeXhr.reply;
    setTimeout(() => {
      for (const [loaded, total] of progress) this.upload.onprogress?.({ lengthComputable: true, loaded, total });
      if (status === 0) {
        this.onerror?.();
        return;
      }
      this.status = status;
      this.responseText = text;
      this.onload?.();
    }, 0);
  }
}

describe('apiUpload', () => {
  it('posts the form with the CSRF token and the UI language, and reports the share sent', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    setCsrfToken('csrf-3');
    FakeXhr.reply = { status: 201, body: JSON.stringify({ id: 'att1' }), progress: [[25, 100], [100, 100]] };
    const body = new FormData();
    body.append('file', new Blob([new Uint8Array([0x89, 0x50])]), 'a.png');
    const seen: number[] = [];
    await expect(apiUpload('/api/appeals/a1/attachments', body, { onProgress: (fraction) => seen.push(fraction) })).resolves.toEqual({ id: 'att1' });
    expect(FakeXhr.last).toMatchObject({ method: 'POST', url: '/api/appeals/a1/attachments', body });
    expect(FakeXhr.last!.headers).toMatchObject({ 'x-csrf-token': 'csrf-3', 'Accept-Language': 'en-US' });
    expect(FakeXhr.last!.headers).not.toHaveProperty('Content-Type');
    expect(seen).toEqual([0.25, 1, 1]);
  });

  it('turns refusals into ApiErrors (field issues kept; 413 without a body too) and a lost connection into NETWORK', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    FakeXhr.reply = { status: 400, body: JSON.stringify({ code: 'VALIDATION_FAILED', message: 'Some fields are invalid', details: [{ field: 'file', message: 'only PDF …' }] }) };
    const refused = await apiUpload('/x', new FormData()).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as InstanceType<typeof ApiError>).fieldIssues).toEqual([{ field: 'file', message: 'only PDF …' }]);
    FakeXhr.reply = { status: 413, body: '<html>Request Entity Too Large</html>' };
    await expect(apiUpload('/x', new FormData())).rejects.toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    FakeXhr.reply = { status: 0, body: '' };
    await expect(apiUpload('/x', new FormData())).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('apiBlob', () => {
  it('fetches the bytes with the session cookie and names the file from Content-Disposition', async () => {
    const fetchMock = vi.fn(async () => new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { 'content-type': 'image/png', 'content-disposition': `attachment; filename="_.png"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA.png` } }));
    vi.stubGlobal('fetch', fetchMock);
    const { blob, filename } = await apiBlob('/api/appeals/a1/attachments/f1');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(filename).toBe('现场.png');
    expect((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].credentials).toBe('same-origin');
    vi.stubGlobal('fetch', answer(404, { code: 'NOT_FOUND', message: 'Not found' }));
    await expect(apiBlob('/api/appeals/a1/attachments/gone')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
