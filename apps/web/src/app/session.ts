import type { Me, Permission } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, isApiError, setCsrfToken } from './api-client';

export const meQueryKey = ['me'] as const;
export const metaQueryKey = ['meta'] as const;

export interface Meta {
  isDemo: boolean;
  version: string;
}

export interface LoginInput {
  username: string;
  password: string;
  totpCode?: string;
}

/** Remembers the session's CSRF token and returns the session, or null when signed out. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('/api/me', { isAuthProbe: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error, 'UNAUTHENTICATED')) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The current session: undefined while loading, null when signed out. */
export function useMeQuery() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000, retry: 1 });
}

export function useMetaQuery() {
  return useQuery({
    queryKey: metaQueryKey,
    queryFn: () => api<Meta>('/api/meta', { isAuthProbe: true }),
    staleTime: Infinity,
    retry: 1,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api<Me>('/api/auth/login', { method: 'POST', body: input, isAuthProbe: true }),
    onSuccess: (me) => {
      lastSessionEnd = null;
      setCsrfToken(me.csrfToken);
      // A new session must not see the previous session's cached lists.
      queryClient.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST', isAuthProbe: true }),
    onSettled: () => clearSession(queryClient, 'logout'),
  });
}

let lastSessionEnd: 'logout' | 'expired' | null = null;

/** Why the last session ended: after a deliberate logout the login page does not offer a way back. */
export function sessionEndReason(): 'logout' | 'expired' | null {
  return lastSessionEnd;
}

/** Forgets the session and every cached answer that belonged to it. */
export function clearSession(queryClient: QueryClient, reason: 'logout' | 'expired'): void {
  lastSessionEnd = reason;
  setCsrfToken(null);
  queryClient.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
  queryClient.setQueryData(meQueryKey, null);
}

/** Re-reads /api/me, e.g. after the password was changed or TOTP enrolled. */
export function refreshMe(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: meQueryKey });
}

function isSessionKey(key: readonly unknown[]): boolean {
  return key[0] === meQueryKey[0] || key[0] === metaQueryKey[0];
}

export const MeContext = createContext<Me | null>(null);

/** The signed-in user; only inside the routes guarded by RequireSession. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() used outside a signed-in route');
  return me;
}

export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => me.permissions.includes(permission);
}
