import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, username: string) {
  return new TOTP({ issuer: 'Qinqing 亲清', label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

export function totpUri(secret: string, username: string): string {
  return totpFor(secret, username).toString();
}

export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
}

export function totpCodeAt(secret: string, at: Date): string {
  return totpFor(secret, 'x').generate({ timestamp: at.getTime() });
}

/**
 * The time step a code belongs to (±1 step of drift), or null when it is wrong. Callers refuse a step at or
 * before the last one used, so a code cannot be replayed.
 */
export function matchTotpStep(secret: string, code: string, at: Date): number | null {
  const delta = totpFor(secret, 'x').validate({ token: code, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : Math.floor(at.getTime() / 1000 / PERIOD) + delta;
}
