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

const SECRET_KEY = /pass(word)?|secret|token|totp|^code$|cookie|authorization/i;
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;

/** Deep copy with secrets removed and phone/ID numbers masked wherever they appear in strings. */
export function maskPersonalData(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key)) return '[redacted]';
  if (typeof value === 'string') return value.replace(ID_NUMBER, maskIdNumber).replace(PHONE, (phone) => maskPhone(phone)!);
  if (Array.isArray(value)) return value.map((item) => maskPersonalData(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalData(v, k)]));
  }
  return value;
}
