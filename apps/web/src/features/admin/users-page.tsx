import { roles, type Role, type User } from '@qinqing/contracts';
import { DownOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Input, Select, Space, Table, Tag, type MenuProps, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useCan, useMe } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { usePaging } from '../../components/pagination';
import { RoleTags } from '../../components/role-tags';
import { useDebouncedValue } from '../../components/use-debounced-value';
import { useIsPhone } from '../../components/use-is-narrow';
import { AssignRolesModal, ResetPasswordModal, UserFormModal } from './user-modals';
import { changeUserState, findUsers, usersQueryKey, type UserAction } from './users.api';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'reset' | 'roles'; user: User };

function UserStatus({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color={user.isEnabled ? 'green' : 'default'}>{user.isEnabled ? t('common.enabled') : t('common.disabled')}</Tag>
      {user.isLocked && <Tag color="red">{t('users.locked')}</Tag>}
    </Space>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useMe();
  const can = useCan();
  const canWrite = can('users:write');
  const canAssign = can('roles:assign');
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const q = useDebouncedValue(search.trim());
  const paging = usePaging();
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const filter = { page: paging.page, pageSize: paging.pageSize, q: q || undefined, role };
  const list = useQuery({
    queryKey: [...usersQueryKey, 'list', filter],
    queryFn: () => findUsers(filter),
    placeholderData: keepPreviousData,
  });
  const changeState = useMutation({
    mutationFn: ({ user, action }: { user: User; action: UserAction }) => changeUserState(user.id, action),
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: usersQueryKey });
    },
    onError: (error) => void message.error(errorText(error, t)),
  });

  const runAction = (user: User, action: UserAction) => {
    if (action !== 'disable') return changeState.mutate({ user, action });
    modal.confirm({
      title: `${t('users.disable')} ${user.displayName}`,
      content: t('users.disableConfirm'),
      okButtonProps: { danger: true },
      okText: t('users.disable'),
      onOk: () => changeState.mutateAsync({ user, action }),
    });
  };

  const moreItems = (user: User): MenuProps['items'] => {
    const isSelf = user.id === me.user.id;
    return [
      user.isEnabled
        ? { key: 'disable', label: t('users.disable'), danger: true, disabled: isSelf }
        : { key: 'enable', label: t('users.enable') },
      ...(user.isLocked ? [{ key: 'unlock', label: t('users.unlock') }] : []),
      { key: 'reset', label: t('users.resetPassword'), disabled: isSelf },
    ];
  };

  const onMore = (user: User, key: string) => {
    if (key === 'reset') setDialog({ kind: 'reset', user });
    else runAction(user, key as UserAction);
  };

  const columns: TableColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.organisation'), dataIndex: 'organisationName', render: (value: string | null) => value ?? t('common.none') },
    { title: t('users.roles'), dataIndex: 'roles', render: (value: Role[]) => <RoleTags roles={value} /> },
    { title: t('users.phone'), dataIndex: 'phone', render: (value: string | null) => value ?? t('common.none') },
    { title: t('users.status'), key: 'status', render: (_, user) => <UserStatus user={user} /> },
    {
      title: t('users.totp'),
      dataIndex: 'hasTotp',
      render: (hasTotp: boolean) => <Tag color={hasTotp ? 'blue' : 'default'}>{hasTotp ? t('users.totpOn') : t('users.totpOff')}</Tag>,
    },
    { title: t('users.lastLoginAt'), dataIndex: 'lastLoginAt', render: formatDateTime },
  ];
  if (canWrite || canAssign) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: isPhone ? undefined : 'right',
      render: (_, user) => (
        <Space size={0} wrap={false} aria-label={t('users.actionsFor', { name: user.username })} role="group">
          {canWrite && (
            <Button type="link" size="small" onClick={() => setDialog({ kind: 'edit', user })}>
              {t('common.edit')}
            </Button>
          )}
          {canAssign && (
            <Button type="link" size="small" onClick={() => setDialog({ kind: 'roles', user })}>
              {t('users.assignRoles')}
            </Button>
          )}
          {canWrite && (
            <Dropdown trigger={['click']} menu={{ items: moreItems(user), onClick: ({ key }) => onMore(user, key) }}>
              <Button type="link" size="small">
                {t('users.more')} <DownOutlined />
              </Button>
            </Dropdown>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageTitle
        extra={
          canWrite && (
            <Button type="primary" onClick={() => setDialog({ kind: 'create' })}>
              {t('users.create')}
            </Button>
          )
        }
      >
        {t('users.title')}
      </PageTitle>
      <div className="qq-page-toolbar">
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          aria-label={t('users.searchPlaceholder')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            paging.resetPage();
          }}
          style={{ width: isPhone ? '100%' : 260 }}
        />
        <Select
          allowClear
          placeholder={t('users.roleFilter')}
          aria-label={t('users.roleFilter')}
          value={role}
          onChange={(value) => {
            setRole(value);
            paging.resetPage();
          }}
          options={roles.map((value) => ({ value, label: t(`roles.${value}`) }))}
          style={{ width: isPhone ? '100%' : 200 }}
        />
      </div>
      <Table<User>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={paging.tablePagination(list.data?.total, t, isPhone)}
        scroll={{ x: 'max-content' }}
        size={isPhone ? 'small' : 'middle'}
        locale={list.error ? { emptyText: errorText(list.error, t) } : undefined}
      />
      {dialog?.kind === 'create' && <UserFormModal editing="new" canAssignRoles={canAssign} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <UserFormModal editing={dialog.user} canAssignRoles={false} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'reset' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'roles' && <AssignRolesModal user={dialog.user} onClose={() => setDialog(null)} />}
    </>
  );
}
