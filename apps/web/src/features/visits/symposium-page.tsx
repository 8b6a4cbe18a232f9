import { DeleteOutlined, EditOutlined, FileAddOutlined, MinusCircleOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import type { LiaisonPointDetail, SymposiumDetail } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Form, Input, List, Modal, Popconfirm, Result, Select, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { AppealModal, type AppealSource } from './appeal-modal';
import { EnterprisePicker } from './enterprise-picker';
import { appealPrefill, attendanceRows, toAttendees, type AttendanceRow } from './visit-model';
import { deleteSymposium, getLiaisonPoint, getSymposium, liaisonKey, liaisonPointKey, linkSuggestionAppeal, replaceAttendance, symposiumKey, updateSymposium } from './visits.api';

/** The attendance check-list: members ticked when someone came, with who; guest enterprises can be added. */
function Attendance({ symposium, point, canManage }: { symposium: SymposiumDetail; point: LiaisonPointDetail; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const initial = useMemo(() => attendanceRows(point.members, symposium.attendees), [point.members, symposium.attendees]);
  const [rows, setRows] = useState<AttendanceRow[]>(initial);
  const [guest, setGuest] = useState<{ id: string; name: string } | undefined>();
  useEffect(() => setRows(initial), [initial]);
  const dirty = JSON.stringify(rows) !== JSON.stringify(initial);
  const save = useMutation({
    mutationFn: (attendees: Array<{ enterpriseId: string; personName: string }>) => replaceAttendance(symposium.id, attendees),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      // Attendance lands on the enterprises' files.
      void queryClient.invalidateQueries({ queryKey: ['enterprises'] });
      void message.success(t('liaison.attendanceSaved'));
    },
    onError: (error) => void message.error(errorText(error, t)),
  });
  const update = (enterpriseId: string, change: Partial<AttendanceRow>) => setRows((current) => current.map((row) => (row.enterpriseId === enterpriseId ? { ...row, ...change } : row)));
  const submit = () => {
    const { attendees, unnamed } = toAttendees(rows);
    if (unnamed.length) {
      void message.warning(t('liaison.nameAttendees', { names: unnamed.join('、') }));
      return;
    }
    save.mutate(attendees);
  };
  return (
    <Card
      title={t('liaison.attendance')}
      style={{ marginBottom: 16 }}
      extra={
        <Typography.Text type="secondary">{t('liaison.attendanceSummary', { people: String(symposium.attendeeCount), enterprises: String(symposium.enterpriseCount) })}</Typography.Text>
      }
    >
      {rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('liaison.noMembers')} />
      ) : (
        <List
          size="small"
          dataSource={rows}
          renderItem={(row) => (
            <List.Item style={{ display: 'block' }}>
              <Checkbox checked={row.attended} disabled={!canManage} onChange={(event) => update(row.enterpriseId, { attended: event.target.checked })}>
                <span style={{ overflowWrap: 'anywhere' }}>{row.enterpriseName}</span>
              </Checkbox>
              {!row.isMember && <Tag style={{ marginInlineStart: 4 }}>{t('liaison.guest')}</Tag>}
              {row.attended && (
                <Select
                  mode="tags"
                  open={false}
                  suffixIcon={null}
                  disabled={!canManage}
                  tokenSeparators={[',', '，', '、']}
                  value={row.people}
                  onChange={(people: string[]) => update(row.enterpriseId, { people })}
                  placeholder={t('liaison.personNames')}
                  aria-label={`${t('liaison.personNames')} · ${row.enterpriseName}`}
                  style={{ width: '100%', marginTop: 4 }}
                />
              )}
            </List.Item>
          )}
        />
      )}
      {canManage && (
        <Space wrap style={{ marginTop: 12, width: '100%' }}>
          <div style={{ minWidth: 220, flex: 1 }}>
            <EnterprisePicker value={guest?.id} onPick={(picked) => setGuest(picked[0])} placeholder={t('liaison.addGuest')} aria-label={t('liaison.addGuest')} />
          </div>
          <Button
            icon={<PlusOutlined />}
            disabled={!guest || rows.some((row) => row.enterpriseId === guest.id)}
            onClick={() => {
              setRows((current) => [...current, { enterpriseId: guest!.id, enterpriseName: guest!.name, isMember: false, attended: true, people: [] }]);
              setGuest(undefined);
            }}
          >
            {t('liaison.addGuestButton')}
          </Button>
          <Button type="primary" icon={<SaveOutlined />} disabled={!dirty} loading={save.isPending} onClick={submit}>
            {t('liaison.saveAttendance')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

interface SuggestionValues {
  suggestions: Array<{ id?: string; enterpriseId?: string | null; text?: string; appealId?: string | null }>;
}

function SuggestionsModal({ symposium, enterprises, onClose }: { symposium: SymposiumDetail; enterprises: Array<{ id: string; name: string }>; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SuggestionValues>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const values = form.getFieldsValue(true) as SuggestionValues;
    setSaving(true);
    try {
      await updateSymposium(symposium.id, {
        suggestions: (values.suggestions ?? []).filter((item) => item.text?.trim()).map((item) => ({ ...(item.id ? { id: item.id } : {}), enterpriseId: item.enterpriseId ?? null, text: item.text!.trim() })),
      });
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      void message.success(t('common.saved'));
      onClose();
    } catch (error) {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    } finally {
      setSaving(false);
    }
  };
  const options = enterprises.map((enterprise) => ({ value: enterprise.id, label: enterprise.name }));
  return (
    <Modal open title={t('liaison.editSuggestions')} onCancel={onClose} onOk={() => form.validateFields().then(submit)} okText={t('common.save')} confirmLoading={saving} width={isPhone ? '100%' : 720} destroyOnHidden maskClosable={false}>
      <Form<SuggestionValues> form={form} layout="vertical" initialValues={{ suggestions: symposium.suggestions.map((item) => ({ id: item.id, enterpriseId: item.enterpriseId, text: item.text, appealId: item.appealId })) }}>
        <Form.List name="suggestions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => {
                const linked = Boolean(form.getFieldValue(['suggestions', field.name, 'appealId']));
                return (
                  <div key={field.key} style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'flex-start', marginBottom: 8 }}>
                    <Form.Item name={[field.name, 'enterpriseId']} style={{ width: isPhone ? '100%' : 220, marginBottom: 0 }}>
                      <Select allowClear disabled={linked} options={options} placeholder={t('liaison.suggestionEnterprise')} aria-label={`${t('liaison.suggestionEnterprise')} ${index + 1}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'text']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]} style={{ flex: 1, minWidth: 200, marginBottom: 0 }}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} disabled={linked} aria-label={`${t('liaison.suggestions')} ${index + 1}`} />
                    </Form.Item>
                    {linked ? (
                      <Tag color="green">{t('visits.appealLinked')}</Tag>
                    ) : (
                      <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('visits.removeRow', { index: String(index + 1) })} onClick={() => remove(field.name)} />
                    )}
                  </div>
                );
              })}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ enterpriseId: null, text: '' })} disabled={fields.length >= 100}>
                {t('liaison.addSuggestion')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

interface DetailsValues {
  heldOn: string;
  topic: string;
  location?: string | null;
  notes?: string | null;
}

function DetailsModal({ symposium, onClose }: { symposium: SymposiumDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DetailsValues>();
  const save = useMutation({
    mutationFn: (values: DetailsValues) => updateSymposium(symposium.id, { heldOn: values.heldOn, topic: values.topic.trim(), location: values.location?.trim() || null, notes: values.notes?.trim() || null }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    },
  });
  return (
    <Modal open title={t('liaison.editSymposium')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={save.isPending} width={isPhone ? '100%' : 560} destroyOnHidden maskClosable={false}>
      <Form<DetailsValues> form={form} layout="vertical" initialValues={{ heldOn: symposium.heldOn, topic: symposium.topic, location: symposium.location, notes: symposium.notes }} onFinish={(values) => save.mutate(values)}>
        <Form.Item
          name="heldOn"
          label={t('liaison.heldOn')}
          rules={[{ required: true, message: t('common.required') }]}
          getValueProps={(value: string | undefined) => ({ value: value ? dayjs(value) : null })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined)}
        >
          <DatePicker inputReadOnly={isPhone} />
        </Form.Item>
        <Form.Item name="topic" label={t('liaison.topic')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="location" label={t('liaison.location')} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="notes" label={t('liaison.notes')} rules={[{ max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One symposium (座谈会): details, the attendance check-list, and suggestions with "转为诉求". */
export function SymposiumPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: symposiumKey(id), queryFn: () => getSymposium(id) });
  const point = useQuery({ queryKey: liaisonPointKey(query.data?.liaisonPointId ?? ''), queryFn: () => getLiaisonPoint(query.data!.liaisonPointId), enabled: Boolean(query.data) });
  const [editing, setEditing] = useState(false);
  const [editingSuggestions, setEditingSuggestions] = useState(false);
  const [appealSource, setAppealSource] = useState<(AppealSource & { suggestionId: string }) | null>(null);
  const remove = useMutation({
    mutationFn: () => deleteSymposium(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: liaisonKey });
      navigate(`/liaison-points/${encodeURIComponent(query.data!.liaisonPointId)}`);
    },
    onError: (error) => void message.error(errorText(error, t)),
  });

  if (query.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (query.error) {
    if (isApiError(query.error, 'NOT_FOUND')) {
      return (
        <Result
          status="404"
          title={t('liaison.symposiumNotFound')}
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
  const symposium = query.data;
  const canManage = can('liaison:write');
  const mayAppeal = canManage && can('appeals:submit');
  const enterprises = [
    ...new Map(
      [...(point.data?.members ?? []).map((member) => ({ id: member.enterpriseId, name: member.enterpriseName })), ...symposium.attendees.map((attendee) => ({ id: attendee.enterpriseId, name: attendee.enterpriseName }))].map((entry) => [entry.id, entry]),
    ).values(),
  ];
  const none = t('common.none');

  return (
    <article aria-label={symposium.topic}>
      <PageTitle
        extra={
          canManage && (
            <Space wrap>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                {t('common.edit')}
              </Button>
              {symposium.attendeeCount === 0 && symposium.appealCount === 0 && (
                <Popconfirm title={t('liaison.deleteConfirm')} okText={t('liaison.delete')} okButtonProps={{ danger: true }} cancelText={t('common.cancel')} onConfirm={() => remove.mutate()}>
                  <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
                    {t('liaison.delete')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )
        }
      >
        {symposium.topic}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, sm: 2, xl: 3 }}
          size="small"
          items={[
            { key: 'point', label: t('liaison.point'), children: <Link to={`/liaison-points/${encodeURIComponent(symposium.liaisonPointId)}`}>{symposium.liaisonPointName}</Link> },
            { key: 'date', label: t('liaison.heldOn'), children: symposium.heldOn },
            { key: 'quarter', label: t('liaison.quarter'), children: <Tag>{symposium.quarter}</Tag> },
            { key: 'location', label: t('liaison.location'), children: symposium.location ?? none },
            { key: 'notes', label: t('liaison.notes'), span: { xs: 1, sm: 2, xl: 3 }, children: <span style={{ whiteSpace: 'pre-wrap' }}>{symposium.notes ?? none}</span> },
          ]}
        />
      </Card>
      {point.data ? <Attendance symposium={symposium} point={point.data} canManage={canManage} /> : <Skeleton active paragraph={{ rows: 3 }} />}
      <Card
        title={t('liaison.suggestions')}
        style={{ marginBottom: 16 }}
        extra={
          canManage && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditingSuggestions(true)}>
              {t('liaison.editSuggestions')}
            </Button>
          )
        }
      >
        {symposium.suggestions.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('liaison.noSuggestions')} />
        ) : (
          <List
            dataSource={symposium.suggestions}
            renderItem={(suggestion) => (
              <List.Item
                style={{ flexWrap: 'wrap', gap: 8 }}
                actions={[
                  suggestion.appealId ? (
                    <Tag color="green" key="linked">
                      {t('visits.appealLinked')}
                    </Tag>
                  ) : mayAppeal ? (
                    <Button
                      key="appeal"
                      size="small"
                      icon={<FileAddOutlined />}
                      aria-label={`${t('visits.toAppeal')}：${suggestion.text}`}
                      onClick={() => {
                        if (!suggestion.enterpriseId) {
                          void message.warning(t('liaison.chooseEnterpriseFirst'));
                          return;
                        }
                        setAppealSource({
                          suggestionId: suggestion.id,
                          enterpriseId: suggestion.enterpriseId,
                          origin: { kind: 'symposium', id: symposium.id },
                          ...appealPrefill(suggestion.text, suggestion.enterpriseName ?? '', t('liaison.appealSource', { topic: symposium.topic, date: symposium.heldOn })),
                        });
                      }}
                    >
                      {t('visits.toAppeal')}
                    </Button>
                  ) : null,
                ]}
              >
                <List.Item.Meta title={<span style={{ fontWeight: 'normal', overflowWrap: 'anywhere' }}>{suggestion.text}</span>} description={suggestion.enterpriseName ?? t('liaison.noEnterprise')} />
              </List.Item>
            )}
          />
        )}
      </Card>
      {editing && <DetailsModal symposium={symposium} onClose={() => setEditing(false)} />}
      {editingSuggestions && <SuggestionsModal symposium={symposium} enterprises={enterprises} onClose={() => setEditingSuggestions(false)} />}
      <AppealModal
        source={appealSource}
        onClose={() => setAppealSource(null)}
        link={async (appealId) => {
          await linkSuggestionAppeal(symposium.id, appealSource!.suggestionId, appealId);
          await queryClient.invalidateQueries({ queryKey: liaisonKey });
        }}
      />
    </article>
  );
}
