import { Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError, SIGN_IN_PATH } from '../api/client';
import { useMe } from '../api/queries';
import type { Role } from '../api/types';
import { useT } from '../i18n';

export const PROFILE_PATH = '/ca-nhan';

/** Signed-in users only; a user whose role requires 2FA and has not enrolled is held on the profile page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, error, isLoading } = useMe();
  const location = useLocation();
  if (isLoading) return <Spin fullscreen />;
  if (error || !me) {
    if (error instanceof ApiError && error.status !== 401) {
      return <Result status="error" title={error.message} />;
    }
    return <Navigate to={SIGN_IN_PATH} replace state={{ from: location.pathname + location.search }} />;
  }
  if (me.mustEnrollTwoFactor && location.pathname !== PROFILE_PATH) return <Navigate to={PROFILE_PATH} replace />;
  return <>{children}</>;
}

export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { data: me } = useMe();
  const t = useT();
  if (!me?.roles.some((r) => roles.includes(r.role))) return <Result status="403" title={t('common.noAccess')} />;
  return <>{children}</>;
}
