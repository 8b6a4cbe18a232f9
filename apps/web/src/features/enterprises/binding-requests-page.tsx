import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Popconfirm, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { bindingRequestsKey, decideBindingRequest, enterprisesKey, findBindingRequests, type BindingRequest } from './enterprises.api';

/** 绑定审核: requests from enterprise users who had no invite code. */
export function BindingRequestsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const requests = useQuery({ queryKey: bindingRequestsKey, queryFn: findBindingRequests });
  const decide = useMutation({
    mutationFn: ({ request, approve }: { request: BindingRequest; approve: boolean }) => decideBindingRequest(request.id, approve),
    onSuccess: (_result, { request, approve }) => {
      void message.success(approve ? t('bindingRequests.approved', { name: request.displayName }) : t('bindingRequests.rejected'));
      void queryClient.invalidateQueries({ queryKey: enterprisesKey });
    },
    onError: (error) => {
      void message.error(errorText(error, t));
      void queryClient.invalidateQueries({ queryKey: bindingRequestsKey });
    },
  });
  const busy = (request: BindingRequest) => decide.isPending && decide.variables?.request.id === request.id;

  const actions = (request: BindingRequest) => (
    <Space wrap>
      <Button
        type="primary"
        size="small"
        icon={<CheckOutlined />}
        loading={busy(request) && decide.variables?.approve}
        disabled={decide.isPending}
        onClick={() => decide.mutate({ request, approve: true })}
        aria-label={`${t('bindingRequests.approve')} ${request.displayName} · ${request.enterpriseName}`}
      >
        {t('bindingRequests.approve')}
      </Button>
      <Popconfirm
        title={t('bindingRequests.rejectConfirm', { name: request.displayName })}
        okText={t('bindingRequests.reject')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        onConfirm={() => decide.mutate({ request, approve: false })}
      >
        <Button
          size="small"
          danger
          icon={<CloseOutlined />}
          loading={busy(request) && !decide.variables?.approve}
          disabled={decide.isPending}
          aria-label={`${t('bindingRequests.reject')} ${request.displayName} · ${request.enterpriseName}`}
        >
          {t('bindingRequests.reject')}
        </Button>
      </Popconfirm>
    </Space>
  );
  const enterpriseLink = (request: BindingRequest) => <Link to={`/enterprises/${encodeURIComponent(request.enterpriseId)}`}>{request.enterpriseName}</Link>;
  const applicant = (request: BindingRequest) => (
    <>
      {request.displayName} <Typography.Text type="secondary">({request.username})</Typography.Text>
    </>
  );

  const columns: TableColumnsType<BindingRequest> = [
    { title: t('bindingRequests.enterprise'), key: 'enterprise', render: (_, request) => enterpriseLink(request) },
    { title: t('bindingRequests.applicant'), key: 'applicant', render: (_, request) => applicant(request) },
    { title: t('bindingRequests.createdAt'), dataIndex: 'createdAt', render: formatDateTime },
    { title: t('common.actions'), key: 'actions', render: (_, request) => actions(request) },
  ];
  const empty = requests.error ? errorText(requests.error, t) : t('bindingRequests.empty');

  return (
    <>
      <PageTitle>{t('bindingRequests.title')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('bindingRequests.desc')}</Typography.Paragraph>
      {isPhone ? (
        <Card styles={{ body: { padding: 0 } }}>
          <List
            loading={requests.isPending}
            dataSource={requests.data ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
            renderItem={(request) => (
              <List.Item style={{ display: 'block', paddingInline: 16 }}>
                <div style={{ fontWeight: 500 }}>{enterpriseLink(request)}</div>
                <div>{applicant(request)}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 8 }}>
                  {formatDateTime(request.createdAt)}
                </Typography.Text>
                {actions(request)}
              </List.Item>
            )}
          />
        </Card>
      ) : (
        <Table<BindingRequest>
          rowKey="id"
          columns={columns}
          dataSource={requests.data ?? []}
          loading={requests.isFetching}
          pagination={false}
          locale={{ emptyText: empty }}
        />
      )}
    </>
  );
}
