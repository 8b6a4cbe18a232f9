import type { Me, Permission } from '@qinqing/contracts';
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { FullPageSpin } from '../components/full-page-spin';
import { Forbidden } from '../components/forbidden';
import { errorText } from './errors';
import { MeContext, sessionEndReason, useMe, useMeQuery } from './session';

/** Where a session with a pending step must go before anything else. */
export function pendingPath(me: Me): string | null {
  if (me.pending === 'password_change') return '/setup/password';
  if (me.pending === 'totp_enrollment') return '/setup/totp';
  return null;
}

function SessionError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={errorText(error, t)}
      extra={
        <Button type="primary" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}

/** Signed-in, fully set-up sessions only; others go to /login or to their pending step. */
export function RequireSession() {
  const location = useLocation();
  const { data: me, isPending, error, refetch } = useMeQuery();
  if (isPending) return <FullPageSpin />;
  if (error) return <SessionError error={error} onRetry={() => void refetch()} />;
  if (!me) {
    const next = location.pathname + location.search;
    const keepNext = next !== '/' && sessionEndReason() !== 'logout';
    return <Navigate to={keepNext ? `/login?next=${encodeURIComponent(next)}` : '/login'} replace />;
  }
  const pending = pendingPath(me);
  if (pending) return <Navigate to={pending} replace />;
  return (
    <MeContext.Provider value={me}>
      <Outlet />
    </MeContext.Provider>
  );
}

/** The forced change-password / TOTP-enrolment screens: only for a session with that step pending. */
export function RequirePendingStep() {
  const location = useLocation();
  const { data: me, isPending, error, refetch } = useMeQuery();
  if (isPending) return <FullPageSpin />;
  if (error) return <SessionError error={error} onRetry={() => void refetch()} />;
  if (!me) return <Navigate to="/login" replace />;
  const pending = pendingPath(me);
  if (!pending) return <Navigate to="/" replace />;
  if (pending !== location.pathname) return <Navigate to={pending} replace />;
  return (
    <MeContext.Provider value={me}>
      <Outlet />
    </MeContext.Provider>
  );
}

/** Shows the page when the user holds any of `anyOf`, a 403 result otherwise. */
export function RequirePermission({ anyOf, children }: { anyOf?: Permission[]; children: ReactNode }) {
  const me = useMe();
  if (anyOf && !anyOf.some((permission) => me.permissions.includes(permission))) return <Forbidden />;
  return <>{children}</>;
}
