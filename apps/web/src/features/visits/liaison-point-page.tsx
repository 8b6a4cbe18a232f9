import { EditOutlined, EyeOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import type { LiaisonPointDetail, Symposium } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Descriptions, Empty, Form, Input, List, Modal, Popconfirm, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { EnterprisePicker } from './enterprise-picker';
import { LiaisonPointFormModal } from './liaison-points-page';
import { createSymposium, findSymposiums, getLiaisonPoint, liaisonKey, liaisonPointKey, replaceMembers, revealLiaisonContact, updateLiaisonPoint } from './visits.api';

function MembersModal({ point, onClose }: { point: LiaisonPointDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [ids, setIds] = useState(point.members.map((member) => member.enterpriseId));
  const save = useMutation({
    mutationFn: () => replaceMembers(point.id, ids),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: (error) => void message.error(errorText(error, t)),
  });
  return (
    <Modal open title={t('liaison.editMembers')} onCancel={onClose} onOk={() => save.mutate()} okText={t('common.save')} confirmLoading={save.isPending} destroyOnHidden maskClosable={false}>
      <EnterprisePicker mode="multiple" value={ids} onChange={setIds} known={point.members.map((member) => ({ id: member.enterpriseId, name: member.enterpriseName, creditCode: member.creditCode }))} aria-label={t('liaison.members')} />
    </Modal>
  );
}

interface SymposiumFormValues {
  heldOn: string;
  topic: string;
  location?: string;
  notes?: string;
}

function SymposiumFormModal({ point, onClose }: { point: LiaisonPointDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SymposiumFormValues>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: SymposiumFormValues) => {
    setSaving(true);
    try {
      const created = await createSymposium({ liaisonPointId: point.id, heldOn: values.heldOn, topic: values.topic.trim(), location: values.location?.trim() || null, notes: values.notes?.trim() || null });
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      navigate(`/symposiums/${encodeURIComponent(created.id)}`);
    } catch (error) {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={t('liaison.createSymposium')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={saving} width={isPhone ? '100%' : 560} destroyOnHidden maskClosable={false}>
      <Form<SymposiumFormValues> form={form} layout="vertical" onFinish={submit} requiredMark>
        <Form.Item
          name="heldOn"
          label={t('liaison.heldOn')}
          rules={[{ required: true, message: t('common.required') }]}
          getValueProps={(value: string | undefined) => ({ value: value ? dayjs(value) : null })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker inputReadOnly={isPhone} style={{ width: isPhone ? '100%' : 200 }} />
        </Form.Item>
        <Form.Item name="topic" label={t('liaison.topic')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input maxLength={100} placeholder={t('liaison.topicPlaceholder')} />
        </Form.Item>
        <Form.Item name="location" label={t('liaison.location')} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="notes" label={t('liaison.notes')} rules={[{ max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Symposiums({ point, canManage }: { point: LiaisonPointDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const list = useQuery({ queryKey: [...liaisonKey, 'symposiums', point.id, page], queryFn: () => findSymposiums({ liaisonPointId: point.id, page, pageSize: 10 }) });
  return (
    <Card
      title={t('liaison.symposiums')}
      style={{ marginBottom: 16 }}
      extra={
        canManage &&
        point.isActive && (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('liaison.createSymposium')}
          </Button>
        )
      }
    >
      <List<Symposium>
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: list.error ? errorText(list.error, t) : t('liaison.noSymposiums') }}
        pagination={(list.data?.total ?? 0) > 10 ? { current: page, pageSize: 10, total: list.data?.total ?? 0, onChange: setPage, simple: true, align: 'center' } : false}
        renderItem={(symposium) => (
          <List.Item style={{ display: 'block' }}>
            <Link to={`/symposiums/${encodeURIComponent(symposium.id)}`} style={{ fontWeight: 500, overflowWrap: 'anywhere' }}>
              {symposium.topic}
            </Link>
            <Space wrap size={[8, 4]} style={{ display: 'flex', marginTop: 4, fontSize: 12 }}>
              <span>{symposium.heldOn}</span>
              <Tag>{symposium.quarter}</Tag>
              <Typography.Text type="secondary">{t('liaison.attendanceSummary', { people: String(symposium.attendeeCount), enterprises: String(symposium.enterpriseCount) })}</Typography.Text>
              {symposium.suggestionCount > 0 && <Typography.Text type="secondary">{t('liaison.suggestionSummary', { n: String(symposium.suggestionCount), appeals: String(symposium.appealCount) })}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
      {creating && <SymposiumFormModal point={point} onClose={() => setCreating(false)} />}
    </Card>
  );
}

/** One liaison point: its details and contact, member enterprises, and symposiums. */
export function LiaisonPointPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: liaisonPointKey(id), queryFn: () => getLiaisonPoint(id) });
  const [editing, setEditing] = useState(false);
  const [editingMembers, setEditingMembers] = useState(false);
  const reveal = useMutation({ mutationFn: () => revealLiaisonContact(id), onError: (error) => void message.error(errorText(error, t)) });
  const toggle = useMutation({
    mutationFn: (isActive: boolean) => updateLiaisonPoint(id, { isActive }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: liaisonKey }),
    onError: (error) => void message.error(errorText(error, t)),
  });

  if (query.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (query.error) {
    if (isApiError(query.error, 'NOT_FOUND')) {
      return (
        <Result
          status="404"
          title={t('liaison.notFoundTitle')}
          subTitle={t('liaison.notFoundDesc')}
          extra={
            <Link to="/liaison-points">
              <Button type="primary">{t('liaison.backToList')}</Button>
            </Link>
          }
        />
      );
    }
    return <Result status="error" title={errorText(query.error, t)} />;
  }
  const point = query.data;
  // The server decides (officers of the point's area); the page offers the buttons to those who may manage points.
  const canManage = can('liaison:write');
  const none = t('common.none');
  return (
    <article aria-label={point.name}>
      <PageTitle
        extra={
          canManage && (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
              <Popconfirm title={point.isActive ? t('liaison.closeConfirm') : t('liaison.reopenConfirm')} onConfirm={() => toggle.mutate(!point.isActive)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button loading={toggle.isPending}>{point.isActive ? t('liaison.close') : t('liaison.reopen')}</Button>
              </Popconfirm>
            </Space>
          )
        }
      >
        {point.name} {!point.isActive && <Tag>{t('liaison.closed')}</Tag>}
      </PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'region', label: t('liaison.region'), children: point.regionName ?? point.regionCode },
                { key: 'host', label: t('liaison.host'), children: point.hostEnterpriseId ? <Link to={`/enterprises/${encodeURIComponent(point.hostEnterpriseId)}`}>{point.hostEnterpriseName}</Link> : none },
                {
                  key: 'contact',
                  label: t('liaison.contact'),
                  children: (
                    <Space wrap>
                      <span>{point.contactName ?? none}</span>
                      {(reveal.data?.contactPhone ?? point.contactPhone) && (
                        <span>{reveal.data?.contactPhone ? <a href={`tel:${reveal.data.contactPhone}`}>{reveal.data.contactPhone}</a> : point.contactPhone}</span>
                      )}
                      {point.contactPhone && !reveal.data && can('personal-data:reveal') && (
                        <Button size="small" icon={<EyeOutlined />} loading={reveal.isPending} onClick={() => reveal.mutate()}>
                          {t('enterpriseFile.reveal')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
                { key: 'address', label: t('liaison.address'), children: point.address ?? none },
                { key: 'last', label: t('liaison.lastSymposium'), children: point.lastSymposiumOn ?? none },
              ]}
            />
          </Card>
          <Symposiums point={point} canManage={canManage} />
        </Col>
        <Col xs={24} lg={10}>
          <Card
            title={`${t('liaison.members')}（${point.memberCount}）`}
            style={{ marginBottom: 16 }}
            extra={
              canManage && (
                <Button size="small" icon={<TeamOutlined />} onClick={() => setEditingMembers(true)}>
                  {t('liaison.editMembers')}
                </Button>
              )
            }
          >
            {point.members.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('liaison.noMembers')} />
            ) : (
              <List
                size="small"
                dataSource={point.members}
                renderItem={(member) => (
                  <List.Item>
                    <Link to={`/enterprises/${encodeURIComponent(member.enterpriseId)}`} style={{ overflowWrap: 'anywhere' }}>
                      {member.enterpriseName}
                    </Link>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      {editing && <LiaisonPointFormModal point={point} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />}
      {editingMembers && <MembersModal point={point} onClose={() => setEditingMembers(false)} />}
    </article>
  );
}
