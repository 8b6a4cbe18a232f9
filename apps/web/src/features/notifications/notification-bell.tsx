import { BellOutlined } from '@ant-design/icons';
import type { Notification } from '@qinqing/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Drawer, Empty, Pagination, Segmented, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useIsPhone } from '../../components/use-is-narrow';
import { countUnread, findNotifications, markAllRead, markRead, notificationsQueryKey, unreadCountQueryKey } from './notifications.api';

const PAGE_SIZE = 20;
/** How often the bell asks for its number while the window is open (and again whenever it regains focus). */
const POLL_MS = 30_000;

function NotificationItem({ notification, onOpen, onMarkRead }: { notification: Notification; onOpen: () => void; onMarkRead: () => void }) {
  const { t } = useTranslation();
  const isUnread = notification.readAt === null;
  return (
    <li
      style={{ listStyle: 'none', padding: '12px 4px', borderBottom: '1px solid #f0f0f0', background: isUnread ? '#f5f9ff' : undefined }}
      data-testid="notification-item"
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Space size={6} align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space size={6} align="start">
            {isUnread && <Badge status="processing" aria-label={t('notifications.unreadMark')} />}
            {notification.link ? (
              <Typography.Link strong={isUnread} onClick={onOpen}>
                {notification.title}
              </Typography.Link>
            ) : (
              <Typography.Text strong={isUnread}>{notification.title}</Typography.Text>
            )}
          </Space>
          {isUnread && (
            <Button size="small" type="link" onClick={onMarkRead} style={{ paddingInline: 0 }} aria-label={`${t('notifications.markRead')} ${notification.title}`}>
              {t('notifications.markRead')}
            </Button>
          )}
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: 0, whiteSpace: 'pre-line' }} ellipsis={{ rows: 3, expandable: 'collapsible' }}>
          {notification.body}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(notification.createdAt)}
        </Typography.Text>
      </Space>
    </li>
  );
}

/** The header's bell: my unread count, and a drawer with my notifications to open and mark read. */
export function NotificationBell() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [isUnreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);

  const unread = useQuery({ queryKey: unreadCountQueryKey, queryFn: countUnread, refetchInterval: POLL_MS, refetchOnWindowFocus: true, staleTime: 0 });
  const list = useQuery({
    queryKey: [...notificationsQueryKey, 'list', { page, unread: isUnreadOnly }],
    queryFn: () => findNotifications({ page, pageSize: PAGE_SIZE, unread: isUnreadOnly }),
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
  const readOne = useMutation({ mutationFn: markRead, onSuccess: refresh, onError: (error) => void message.error(errorText(error, t)) });
  const readAll = useMutation({ mutationFn: markAllRead, onSuccess: refresh, onError: (error) => void message.error(errorText(error, t)) });

  const count = unread.data?.count ?? 0;
  const openItem = (notification: Notification) => {
    if (notification.readAt === null) readOne.mutate(notification.id);
    if (notification.link?.startsWith('/')) {
      setOpen(false);
      void navigate(notification.link);
    }
  };

  return (
    <>
      <Badge count={count} size="small" overflowCount={99} offset={[-4, 4]}>
        <Button
          type="text"
          icon={<BellOutlined />}
          onClick={() => setOpen(true)}
          aria-label={count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell')}
          data-testid="notification-bell"
        />
      </Badge>
      <Drawer
        placement="right"
        open={open}
        onClose={() => setOpen(false)}
        size={isPhone ? '100%' : 420}
        title={t('notifications.title')}
        extra={
          <Button size="small" onClick={() => readAll.mutate()} loading={readAll.isPending} disabled={count === 0}>
            {t('notifications.markAllRead')}
          </Button>
        }
        styles={{ body: { paddingTop: 8 } }}
      >
        <Segmented<'all' | 'unread'>
          value={isUnreadOnly ? 'unread' : 'all'}
          onChange={(value) => {
            setUnreadOnly(value === 'unread');
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('notifications.all') },
            { value: 'unread', label: t('notifications.unreadOnly', { count }) },
          ]}
          style={{ marginBottom: 8 }}
        />
        {list.isPending ? (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
          </div>
        ) : list.error ? (
          <Typography.Text type="danger">{errorText(list.error, t)}</Typography.Text>
        ) : list.data.items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={isUnreadOnly ? t('notifications.noneUnread') : t('notifications.none')} />
        ) : (
          <>
            <ul style={{ margin: 0, padding: 0 }} aria-label={t('notifications.title')}>
              {list.data.items.map((notification) => (
                <NotificationItem key={notification.id} notification={notification} onOpen={() => openItem(notification)} onMarkRead={() => readOne.mutate(notification.id)} />
              ))}
            </ul>
            {list.data.total > PAGE_SIZE && (
              <Pagination simple size="small" current={page} pageSize={PAGE_SIZE} total={list.data.total} onChange={setPage} style={{ marginTop: 12, textAlign: 'center' }} />
            )}
          </>
        )}
      </Drawer>
    </>
  );
}
