/** Personal-data masking for API responses, audit details and logs (domain-rules §10). */

/** 13812341234 → 138****1234 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Resident ID: first 3 and last 4 characters kept. */
export function maskIdNumber(id: string): string {
  return id.length > 7 ? `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}` : '****';
}

const SECRET_KEY = /pass(word)?|secret|token|totp|^code$|cookie|authorization|webhook/i;
// A credential in a URL's query (a robot's access_token, a signature) wherever a URL appears in text.
const URL_CREDENTIAL = /([?&](?:access_?token|token|sign|signature|secret|key)=)[^&#\s"'<>]+/gi;
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
// A resident ID: 6-digit region, birth date 18xx–20xx, sequence, check — not any 18 digits (credit codes are not personal data).
const ID_NUMBER = /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;

/** Deep copy with secrets removed and phone/ID numbers masked wherever they appear in strings. */
export function maskPersonalData(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return '[redacted]';
  if (/^credit_?code$/i.test(key)) return value;
  if (typeof value === 'string') return value.replace(URL_CREDENTIAL, '$1[redacted]').replace(ID_NUMBER, maskIdNumber).replace(PHONE, (phone) => maskPhone(phone)!);
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalData(v, k)]));
  }
  return value;
}
