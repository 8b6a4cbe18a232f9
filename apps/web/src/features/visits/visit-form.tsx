import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Visit, VisitWarning } from '@qinqing/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Divider, Form, Input, Modal, Radio, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useMe } from '../../app/session';
import { useIsPhone } from '../../components/use-is-narrow';
import { EnterprisePicker } from './enterprise-picker';
import { toCreatePayload, toDetails, toFormValues, type VisitFormValues } from './visit-model';
import { createVisit, findVisits, recordVisit, updateVisit, visitsKey } from './visits.api';

export type VisitFormMode = { kind: 'create'; enterprise?: { id: string; name: string; creditCode: string }; date?: string } | { kind: 'edit'; visit: Visit } | { kind: 'record'; visit: Visit };

const dateProps = {
  getValueProps: (value: string | null | undefined) => ({ value: value ? dayjs(value) : null }),
  normalize: (value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : undefined),
};

/** Other units' visits near the chosen day, shown while the form is filled (the server repeats them on save). */
function NearbyVisits({ enterpriseId, date, excludeId }: { enterpriseId?: string; date?: string; excludeId?: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const near = useQuery({
    queryKey: [...visitsKey, 'near', enterpriseId, date],
    queryFn: () =>
      findVisits({ enterpriseId, from: dayjs(date).subtract(7, 'day').format('YYYY-MM-DD'), to: dayjs(date).add(7, 'day').format('YYYY-MM-DD'), pageSize: 50, order: 'asc' }),
    enabled: Boolean(enterpriseId && date),
  });
  const others = (near.data?.items ?? []).filter((visit) => visit.status !== 'cancelled' && visit.id !== excludeId && visit.organisationId !== me.user.organisationId);
  if (others.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      role="status"
      style={{ marginBottom: 16 }}
      title={t('visits.warningTitle')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {others.map((visit) => (
            <li key={visit.id}>
              {t(visit.status === 'done' ? 'visits.nearDone' : 'visits.nearPlanned', { unit: visit.organisationName ?? t('visits.otherUnit'), visitor: visit.visitorName, date: visit.date })}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** The warnings a save answered with, shown once in a dialog (saving went through: they are not errors). */
export function useShowWarnings() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  return (warnings: VisitWarning[]) => {
    if (warnings.length === 0) return;
    modal.warning({
      title: t('visits.warningTitle'),
      content: (
        <>
          <ul style={{ paddingInlineStart: 18 }}>
            {warnings.map((warning) => (
              <li key={warning.visitId}>{warning.message}</li>
            ))}
          </ul>
          <p style={{ marginBottom: 0 }}>{t('visits.warningHint')}</p>
        </>
      ),
    });
  };
}

/** New visit (plan or record), edit, or record a plan's outcome. */
export function VisitFormModal({ mode, onClose, onSaved }: { mode: VisitFormMode; onClose: () => void; onSaved: (visit: Visit) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const showWarnings = useShowWarnings();
  const [form] = Form.useForm<VisitFormValues>();
  const [saving, setSaving] = useState(false);
  const visit = mode.kind === 'create' ? undefined : mode.visit;

  const initialValues = useMemo<VisitFormValues>(
    () => (mode.kind === 'create' ? { enterpriseId: mode.enterprise?.id, status: mode.date && mode.date > dayjs().format('YYYY-MM-DD') ? 'planned' : 'done', date: mode.date, peopleMet: [], topics: [], problems: [], followUps: [] } : toFormValues(mode.visit, mode.kind)),
    [mode],
  );
  const status = Form.useWatch('status', form) ?? initialValues.status;
  const enterpriseId = Form.useWatch('enterpriseId', form) ?? initialValues.enterpriseId;
  const date = Form.useWatch('date', form);
  const today = dayjs().format('YYYY-MM-DD');

  const submit = async (validated: VisitFormValues) => {
    // The whole store: list rows carry ids (and appeal links) that have no field of their own.
    const values = { ...(form.getFieldsValue(true) as VisitFormValues), ...validated, problems: form.getFieldValue('problems'), followUps: form.getFieldValue('followUps') };
    setSaving(true);
    try {
      const saved =
        mode.kind === 'create'
          ? await createVisit(toCreatePayload(values))
          : mode.kind === 'record'
            ? await recordVisit(mode.visit.id, { visitedOn: values.date!, ...toDetails(values) })
            : await updateVisit(mode.visit.id, { ...(mode.visit.status === 'done' ? { visitedOn: values.date } : { plannedOn: values.date }), ...toDetails(values) });
      await queryClient.invalidateQueries({ queryKey: visitsKey });
      // The enterprise file's timeline shows plans and records.
      void queryClient.invalidateQueries({ queryKey: ['enterprises'] });
      void message.success(mode.kind === 'record' ? t('visits.recorded') : t('common.saved'));
      const { warnings, ...result } = saved;
      showWarnings(warnings);
      onSaved(result);
    } catch (error) {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    } finally {
      setSaving(false);
    }
  };

  const title = mode.kind === 'create' ? t('visits.createTitle') : mode.kind === 'record' ? t('visits.recordTitle') : t('visits.editTitle');
  const known = mode.kind === 'create' ? (mode.enterprise ? [mode.enterprise] : []) : [{ id: mode.visit.enterpriseId, name: mode.visit.enterpriseName, creditCode: '' }];

  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={saving} width={isPhone ? '100%' : 720} destroyOnHidden maskClosable={false}>
      <Form<VisitFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} requiredMark scrollToFirstError>
        <Form.Item name="enterpriseId" label={t('visits.enterprise')} rules={[{ required: true, message: t('common.required') }]}>
          <EnterprisePicker known={known} disabled={mode.kind !== 'create'} />
        </Form.Item>
        {mode.kind === 'create' && (
          <Form.Item name="status" label={t('visits.kind')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: 'planned', label: t('visits.kindPlan') },
                { value: 'done', label: t('visits.kindRecord') },
              ]}
              onChange={() => form.setFieldValue('date', undefined)}
            />
          </Form.Item>
        )}
        <Form.Item name="date" label={status === 'planned' ? t('visits.plannedOn') : t('visits.visitedOn')} rules={[{ required: true, message: t('common.required') }]} {...dateProps}>
          <DatePicker style={{ width: isPhone ? '100%' : 200 }} inputReadOnly={isPhone} disabledDate={status === 'done' ? (day) => day.format('YYYY-MM-DD') > today : undefined} />
        </Form.Item>
        <NearbyVisits enterpriseId={enterpriseId} date={date} excludeId={visit?.id} />
        <Form.Item name="topics" label={t('visits.topics')} extra={t('visits.topicsHint')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', '、']} maxCount={20} aria-label={t('visits.topics')} />
        </Form.Item>
        {(status === 'done' || (visit && visit.status !== 'planned')) && (
          <>
            <Divider titlePlacement="start" plain>
              {t('visits.peopleMet')}
            </Divider>
            <Form.List name="peopleMet">
              {(fields, { add, remove }) => (
                <>
                  {fields.map((field, index) => (
                    <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                      <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 32 }]}>
                        <Input placeholder={t('visits.personName')} aria-label={`${t('visits.personName')} ${index + 1}`} style={{ width: 140 }} maxLength={32} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'position']} rules={[{ max: 32 }]}>
                        <Input placeholder={t('visits.personPosition')} aria-label={`${t('visits.personPosition')} ${index + 1}`} style={{ width: 140 }} maxLength={32} />
                      </Form.Item>
                      <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('visits.removeRow', { index: String(index + 1) })} onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', position: null })} disabled={fields.length >= 30}>
                    {t('visits.addPerson')}
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item name="summary" label={t('visits.summary')} rules={[{ max: 4000 }]} style={{ marginTop: 16 }}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={4000} />
            </Form.Item>
          </>
        )}
        <Divider titlePlacement="start" plain>
          {t('visits.problems')}
        </Divider>
        <Form.List name="problems">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => {
                const linked = Boolean(form.getFieldValue(['problems', field.name, 'appealId']));
                return (
                  <div key={field.key} style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
                    <Form.Item name={[field.name, 'text']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 500 }]} style={{ flex: 1 }} extra={linked ? t('visits.linkedLocked') : undefined}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} disabled={linked} placeholder={t('visits.problemPlaceholder')} aria-label={`${t('visits.problems')} ${index + 1}`} />
                    </Form.Item>
                    {linked ? (
                      <Tag color="green" style={{ marginTop: 4 }}>
                        {t('visits.appealLinked')}
                      </Tag>
                    ) : (
                      <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('visits.removeRow', { index: String(index + 1) })} onClick={() => remove(field.name)} />
                    )}
                  </div>
                );
              })}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '' })} disabled={fields.length >= 30}>
                {t('visits.addProblem')}
              </Button>
            </>
          )}
        </Form.List>
        <Divider titlePlacement="start" plain>
          {t('visits.followUps')}
        </Divider>
        <Form.List name="followUps">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[field.name, 'text']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 200 }]}>
                    <Input placeholder={t('visits.followUpPlaceholder')} aria-label={`${t('visits.followUps')} ${index + 1}`} style={{ width: isPhone ? 260 : 300 }} maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'dueOn']} {...dateProps}>
                    <DatePicker placeholder={t('visits.dueOn')} aria-label={`${t('visits.dueOn')} ${index + 1}`} inputReadOnly={isPhone} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'done']} valuePropName="checked">
                    <Checkbox>{t('visits.followUpDone')}</Checkbox>
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('visits.removeRow', { index: String(index + 1) })} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '', dueOn: null, done: false })} disabled={fields.length >= 30}>
                {t('visits.addFollowUp')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
