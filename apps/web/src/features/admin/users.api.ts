import type { CreateUserInput, Role, UpdateUserInput, User } from '@qinqing/contracts';
import { api } from '../../app/api-client';
import type { Page } from '../../components/pagination';

export const usersQueryKey = ['users'] as const;

export interface UserFilter {
  page: number;
  pageSize: number;
  q?: string;
  role?: Role;
}

const userPath = (id: string) => `/api/users/${encodeURIComponent(id)}`;

export function findUsers(filter: UserFilter): Promise<Page<User>> {
  return api<Page<User>>('/api/users', { query: { ...filter } });
}

export function createUser(input: CreateUserInput): Promise<User> {
  return api<User>('/api/users', { method: 'POST', body: input });
}

export function updateUser(id: string, input: UpdateUserInput): Promise<User> {
  return api<User>(userPath(id), { method: 'PATCH', body: input });
}

export type UserAction = 'disable' | 'enable' | 'unlock';

export function changeUserState(id: string, action: UserAction): Promise<User> {
  return api<User>(`${userPath(id)}/${action}`, { method: 'POST' });
}

export function resetUserPassword(id: string, newPassword: string): Promise<void> {
  return api<void>(`${userPath(id)}/reset-password`, { method: 'POST', body: { newPassword } });
}

export function assignUserRoles(id: string, roles: Role[]): Promise<User> {
  return api<User>(`${userPath(id)}/roles`, { method: 'PUT', body: { roles } });
}
