import type { Notification, NotificationChannel, NotificationSettings, UpdateNotificationSettingsInput } from '@qinqing/contracts';
import { api } from '../../app/api-client';
import type { Page } from '../../components/pagination';

/** Everything under this key is refreshed when a notification is read. */
export const notificationsQueryKey = ['notifications'] as const;
export const unreadCountQueryKey = [...notificationsQueryKey, 'unread-count'] as const;
export const notificationSettingsQueryKey = ['notification-settings'] as const;

export function findNotifications(query: { page: number; pageSize: number; unread: boolean }): Promise<Page<Notification>> {
  return api<Page<Notification>>('/api/notifications', { query: { page: query.page, pageSize: query.pageSize, unread: query.unread ? 'true' : undefined } });
}

export function countUnread(): Promise<{ count: number }> {
  return api<{ count: number }>('/api/notifications/unread-count');
}

export function markRead(id: string): Promise<void> {
  return api<void>(`/api/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
}

export function markAllRead(): Promise<{ count: number }> {
  return api<{ count: number }>('/api/notifications/read-all', { method: 'POST' });
}

export function getNotificationSettings(): Promise<NotificationSettings> {
  return api<NotificationSettings>('/api/me/notification-settings');
}

export function saveNotificationSettings(input: UpdateNotificationSettingsInput): Promise<NotificationSettings> {
  return api<NotificationSettings>('/api/me/notification-settings', { method: 'PUT', body: input });
}

export function sendTestNotification(channel: NotificationChannel): Promise<{ deliveryId: string }> {
  return api<{ deliveryId: string }>('/api/me/notification-settings/test', { method: 'POST', body: { channel } });
}
