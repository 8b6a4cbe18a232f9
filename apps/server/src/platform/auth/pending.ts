import { type PasswordProfile, type Role, requiresTotp } from '@qinqing/contracts';
import { isPasswordExpired } from './passwords.js';

/** What a signed-in session must do before anything else: change the password, then enrol TOTP. */
export function pendingStepFor(
  user: { must_change_password: number; password_changed_at: string; is_totp_enabled: number },
  roles: readonly Role[],
  now: Date,
  profile: PasswordProfile,
): 'password_change' | 'totp_enrollment' | null {
  if (user.must_change_password || isPasswordExpired(user.password_changed_at, now, profile)) return 'password_change';
  if (requiresTotp(roles) && !user.is_totp_enabled) return 'totp_enrollment';
  return null;
}
