import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  notificationListQuerySchema,
  notificationSchema,
  notificationSettingsSchema,
  pageOf,
  testNotificationInputSchema,
  unreadCountSchema,
  updateNotificationSettingsInputSchema,
} from '@qinqing/contracts';
import { access } from '../../platform/access.js';
import type { NotificationsService } from './notifications.service.js';

const idParams = z.object({ id: z.string().min(1).max(64) });

/** The bell (my in-app notifications) and my notification channels. Everyone sees only their own. */
export async function notificationsRoutes(app: FastifyInstance, { notifications }: { notifications: NotificationsService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/notifications', {
    ...access.signedIn,
    schema: { tags: ['notifications'], summary: 'My notifications, newest first (unread=true: unread only)', querystring: notificationListQuerySchema, response: { 200: pageOf(notificationSchema) } },
  }, async (request) => notifications.findMine(request.query, request.ctx));

  r.get('/api/notifications/unread-count', {
    ...access.signedIn,
    schema: { tags: ['notifications'], summary: 'How many of my notifications are unread', response: { 200: unreadCountSchema } },
  }, async (request) => notifications.countUnread(request.ctx));

  r.post('/api/notifications/:id/read', {
    ...access.signedIn,
    schema: { tags: ['notifications'], summary: 'Mark one of my notifications read', params: idParams, response: { 204: z.null() } },
  }, async (request, reply) => {
    await notifications.markRead(request.params.id, request.ctx);
    return reply.status(204).send(null);
  });

  r.post('/api/notifications/read-all', {
    ...access.signedIn,
    schema: { tags: ['notifications'], summary: 'Mark all my notifications read', response: { 200: unreadCountSchema.describe('how many were marked') } },
  }, async (request) => notifications.markAllRead(request.ctx));

  r.get('/api/me/notification-settings', {
    ...access.signedIn,
    schema: { tags: ['notifications'], summary: 'My channels (e-mail, DingTalk / 浙政钉 robot) and my latest deliveries', response: { 200: notificationSettingsSchema } },
  }, async (request) => notifications.getSettings(request.ctx));

  r.put('/api/me/notification-settings', {
    ...access.signedIn,
    schema: {
      tags: ['notifications'],
      summary: 'Choose my channels; a webhook host outside the allowlist is a 400 naming dingtalk.webhookUrl',
      body: updateNotificationSettingsInputSchema,
      response: { 200: notificationSettingsSchema },
    },
  }, async (request) => notifications.updateSettings(request.body, request.ctx));

  r.post('/api/me/notification-settings/test', {
    ...access.signedIn,
    schema: { tags: ['notifications'], summary: 'Send a test message through one of my saved channels (queued)', body: testNotificationInputSchema, response: { 202: z.object({ deliveryId: z.string() }) } },
  }, async (request, reply) => reply.status(202).send(await notifications.sendTest(request.body.channel, request.ctx)));
}
