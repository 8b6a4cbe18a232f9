import { CheckCircleOutlined, CloseCircleOutlined, EditOutlined, FileAddOutlined } from '@ant-design/icons';
import type { FollowUp, Visit } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Form, Input, List, Modal, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { AppealModal, type AppealSource } from './appeal-modal';
import { appealPrefill } from './visit-model';
import { VisitFormModal, type VisitFormMode } from './visit-form';
import { UnitTag, VisitStatusTag } from './visit-tags';
import { cancelVisit, getVisit, linkProblemAppeal, updateVisit, visitKey, visitsKey } from './visits.api';

function CancelModal({ visit, onClose }: { visit: Visit | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const cancel = useMutation({
    mutationFn: (reason: string) => cancelVisit(visit!.id, reason),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: visitsKey });
      void queryClient.invalidateQueries({ queryKey: ['enterprises'] });
      void message.success(t('visits.cancelled'));
      onClose();
    },
    onError: (error) => void message.error(errorText(error, t)),
  });
  return (
    <Modal open={Boolean(visit)} title={t('visits.cancelTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('visits.cancelPlan')} okButtonProps={{ danger: true }} confirmLoading={cancel.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => cancel.mutate(values.reason.trim())}>
        <Form.Item name="reason" label={t('visits.cancelReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FollowUps({ visit }: { visit: Visit }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (changed: FollowUp) =>
      updateVisit(visit.id, { followUps: visit.followUps.map((item) => ({ id: item.id, text: item.text, dueOn: item.dueOn, done: item.id === changed.id ? !item.done : item.done })) }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: visitsKey }),
    onError: (error) => void message.error(errorText(error, t)),
  });
  if (visit.followUps.length === 0) return <Typography.Text type="secondary">{t('visits.noFollowUps')}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={visit.followUps}
      renderItem={(item) => (
        <List.Item>
          <Checkbox checked={item.done} disabled={!visit.canEdit || toggle.isPending} onChange={() => toggle.mutate(item)}>
            <Typography.Text delete={item.done}>{item.text}</Typography.Text>
          </Checkbox>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.dueOn && t('visits.dueBy', { date: item.dueOn })}
            {item.done && item.doneAt && ` · ${t('visits.doneAt', { at: formatDateTime(item.doneAt) })}`}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}

/** One visit: what happened, problems with "转为诉求", follow-ups, and the actions its state allows. */
export function VisitPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: visitKey(id), queryFn: () => getVisit(id) });
  const [form, setForm] = useState<VisitFormMode | null>(null);
  const [cancelling, setCancelling] = useState<Visit | null>(null);
  const [appealSource, setAppealSource] = useState<(AppealSource & { problemId: string }) | null>(null);

  if (query.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (query.error) {
    if (isApiError(query.error, 'NOT_FOUND') || isApiError(query.error, 'VALIDATION_FAILED')) {
      return (
        <Result
          status="404"
          title={t('visits.notFoundTitle')}
          subTitle={t('visits.notFoundDesc')}
          extra={
            <Link to="/visits">
              <Button type="primary">{t('visits.backToList')}</Button>
            </Link>
          }
        />
      );
    }
    return <Result status="error" title={errorText(query.error, t)} extra={<Button onClick={() => void query.refetch()}>{t('common.retry')}</Button>} />;
  }
  const visit = query.data;
  const mayAppeal = visit.canEdit && can('appeals:submit') && visit.status !== 'cancelled';
  const none = t('common.none');

  return (
    <article aria-label={`${visit.enterpriseName} ${visit.date}`}>
      <PageTitle
        extra={
          visit.canEdit && (
            <Space wrap>
              {visit.status === 'planned' && (
                <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setForm({ kind: 'record', visit })}>
                  {t('visits.recordOutcome')}
                </Button>
              )}
              {visit.status !== 'cancelled' && (
                <Button icon={<EditOutlined />} onClick={() => setForm({ kind: 'edit', visit })}>
                  {t('common.edit')}
                </Button>
              )}
              {visit.status === 'planned' && (
                <Button danger icon={<CloseCircleOutlined />} onClick={() => setCancelling(visit)}>
                  {t('visits.cancelPlan')}
                </Button>
              )}
            </Space>
          )
        }
      >
        <Link to={`/enterprises/${encodeURIComponent(visit.enterpriseId)}`}>{visit.enterpriseName}</Link>
      </PageTitle>
      {!visit.canEdit && <Alert type="info" showIcon title={t('visits.readOnly')} style={{ marginBottom: 16 }} />}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, sm: 2, xl: 3 }}
          size="small"
          items={[
            { key: 'status', label: t('visits.status'), children: <VisitStatusTag status={visit.status} date={visit.date} /> },
            { key: 'planned', label: t('visits.plannedOn'), children: visit.plannedOn ?? none },
            { key: 'visited', label: t('visits.visitedOn'), children: visit.visitedOn ?? none },
            { key: 'visitor', label: t('visits.visitor'), children: visit.visitorName },
            { key: 'unit', label: t('visits.unit'), children: <UnitTag organisationId={visit.organisationId} organisationName={visit.organisationName} /> },
            { key: 'topics', label: t('visits.topics'), children: visit.topics.length ? visit.topics.map((topic) => <Tag key={topic}>{topic}</Tag>) : none },
            {
              key: 'people',
              label: t('visits.peopleMet'),
              span: { xs: 1, sm: 2, xl: 3 },
              children: visit.peopleMet.length ? visit.peopleMet.map((person) => (person.position ? `${person.name}（${person.position}）` : person.name)).join('、') : none,
            },
            { key: 'summary', label: t('visits.summary'), span: { xs: 1, sm: 2, xl: 3 }, children: <span style={{ whiteSpace: 'pre-wrap' }}>{visit.summary ?? none}</span> },
            ...(visit.cancelReason ? [{ key: 'reason', label: t('visits.cancelReason'), span: { xs: 1, sm: 2, xl: 3 }, children: visit.cancelReason }] : []),
            { key: 'updated', label: t('visits.updatedAt'), children: formatDateTime(visit.updatedAt) },
          ]}
        />
      </Card>
      <Card title={t('visits.problems')} style={{ marginBottom: 16 }}>
        {visit.problems.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('visits.noProblems')} />
        ) : (
          <List
            dataSource={visit.problems}
            renderItem={(problem) => (
              <List.Item
                style={{ flexWrap: 'wrap', gap: 8 }}
                actions={[
                  problem.appealId ? (
                    <Tag color="green" key="linked">
                      {t('visits.appealLinked')}
                    </Tag>
                  ) : mayAppeal ? (
                    <Button
                      key="appeal"
                      size="small"
                      icon={<FileAddOutlined />}
                      aria-label={`${t('visits.toAppeal')}：${problem.text}`}
                      onClick={() =>
                        setAppealSource({
                          problemId: problem.id,
                          enterpriseId: visit.enterpriseId,
                          origin: { kind: 'visit', id: visit.id },
                          ...appealPrefill(problem.text, visit.enterpriseName, t('visits.appealSource', { date: visit.date, visitor: visit.visitorName })),
                        })
                      }
                    >
                      {t('visits.toAppeal')}
                    </Button>
                  ) : null,
                ]}
              >
                <Typography.Text style={{ overflowWrap: 'anywhere' }}>{problem.text}</Typography.Text>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card title={t('visits.followUps')} style={{ marginBottom: 16 }}>
        <FollowUps visit={visit} />
      </Card>
      {form && <VisitFormModal mode={form} onClose={() => setForm(null)} onSaved={() => setForm(null)} />}
      <CancelModal visit={cancelling} onClose={() => setCancelling(null)} />
      <AppealModal
        source={appealSource}
        onClose={() => setAppealSource(null)}
        link={async (appealId) => {
          await linkProblemAppeal(visit.id, appealSource!.problemId, appealId);
          await queryClient.invalidateQueries({ queryKey: visitsKey });
        }}
      />
    </article>
  );
}
