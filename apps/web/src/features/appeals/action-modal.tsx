import { FrownOutlined, MehOutlined, SmileOutlined } from '@ant-design/icons';
import { appealRatings, type Appeal, type AppealRating } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography, type FormInstance } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { useIsPhone } from '../../components/use-is-narrow';
import { enterpriseKey } from '../enterprises/enterprises.api';
import { actionBody, dispatchBody, isDanger, type ActionFormValues, type AvailableAction } from './appeal-actions';
import { AttachmentPicker } from './appeal-attachments';
import { appealKey, appealsKey, findAppeals, getAppeal, takeAction, uploadAnswerAttachment } from './appeals.api';
import { MAX_ATTACHMENTS, uploadErrorText, uploadInTurn, type UploadItem } from './attachment-model';
import { DispatchFields, type DispatchValues } from './dispatch-fields';

type Values = ActionFormValues & DispatchValues;

/** The appeal in a 409 body (`details.current`): someone acted on it first. */
function currentOf(error: unknown): Appeal | null {
  if (!isApiError(error, 'CONFLICT')) return null;
  const details = error.details as { current?: Appeal } | undefined;
  return details?.current && typeof details.current === 'object' && 'version' in details.current ? details.current : null;
}

/** Files chosen with a unit's answer, sent one by one once the answer is in (the part must be answered first). */
export interface AnswerFiles {
  items: readonly UploadItem[];
  onChange: (uid: string, patch: Partial<UploadItem>) => void;
}

/**
 * Posts one step with the appeal's version, then an answer's files. Afterwards the page shows the answer; on 409
 * it shows the current state the server sent ("该诉求已被他人更新"); field errors go on the form's fields; files
 * that did not go are named (the answer stands).
 */
export function useAppealAction(appeal: Appeal, action: AvailableAction, form: FormInstance<Values> | null, onDone: () => void, answerFiles?: AnswerFiles) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<unknown>(null);
  const mutation = useMutation({
    mutationFn: async (values: Values) => {
      const updated = await takeAction(appeal.id, action, action.kind === 'dispatch' ? dispatchBody(appeal.version, values.parts ?? []) : actionBody(action.kind, appeal.version, values));
      const partId = action.partId;
      if (!answerFiles?.items.length || !partId) return { updated, failed: [] };
      const failed = await uploadInTurn(appeal.id, answerFiles.items, (appealId, file, options) => uploadAnswerAttachment(appealId, partId, file, options), answerFiles.onChange);
      return { updated: await getAppeal(appeal.id).catch(() => updated), failed };
    },
    onMutate: () => setFormError(null),
    onSuccess: ({ updated, failed }) => {
      queryClient.setQueryData(appealKey(appeal.id), updated);
      void queryClient.invalidateQueries({ queryKey: appealsKey, predicate: (query) => query.queryKey[1] !== 'one' || query.queryKey[2] !== appeal.id });
      void queryClient.invalidateQueries({ queryKey: enterpriseKey(appeal.enterpriseId) });
      void message.success(t('appeals.detail.done', { action: t(`appeals.actions.${action.kind}`) }));
      if (failed.length) {
        void message.warning({ content: `${t('appeals.attachments.answerFailed')}${failed.map((item) => `${item.file.name}：${uploadErrorText(item.error, t)}`).join('；')}`, duration: 10 });
      }
      onDone();
    },
    onError: (error) => {
      const current = currentOf(error);
      if (current) {
        queryClient.setQueryData(appealKey(appeal.id), current);
        void message.warning({ content: t('appeals.detail.conflict'), duration: 6 });
        onDone();
        return;
      }
      if (isApiError(error, 'CONFLICT') || isApiError(error, 'NOT_FOUND')) {
        // The step is no longer open (another unit moved the case, a pause began …): show what is true now.
        void queryClient.invalidateQueries({ queryKey: appealKey(appeal.id) });
      }
      if (form && applyFieldErrors(form, error)) return;
      setFormError(error);
    },
  });
  return { mutation, formError };
}

const ratingIcons: Record<AppealRating, React.ReactNode> = {
  satisfied: <SmileOutlined aria-hidden />,
  basically_satisfied: <MehOutlined aria-hidden />,
  dissatisfied: <FrownOutlined aria-hidden />,
};

/** 满意 / 基本满意 / 不满意 as three big buttons (thumbs on a phone), then an optional comment. */
export function RatingFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="rating" label={t('appeals.modal.rating')} rules={[{ required: true, message: t('appeals.modal.ratingRequired') }]}>
        <Radio.Group optionType="button" buttonStyle="solid" size="large" style={{ display: 'flex', width: '100%' }}>
          {appealRatings.map((rating) => (
            <Radio.Button key={rating} value={rating} style={{ flex: 1, textAlign: 'center', height: 56, lineHeight: '54px', paddingInline: 4 }}>
              {ratingIcons[rating]} {t(`appeals.ratings.${rating}`)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(before, after) => before.rating !== after.rating}>
        {({ getFieldValue }) =>
          getFieldValue('rating') === 'dissatisfied' ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('appeals.modal.dissatisfiedHint')} /> : null
        }
      </Form.Item>
      <Form.Item name="comment" label={t('appeals.modal.ratingComment')}>
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
    </>
  );
}

/** The other open appeals of the same enterprise, to merge a duplicate into. */
function MergeField({ appeal }: { appeal: Appeal }) {
  const { t } = useTranslation();
  const open = useQuery({
    queryKey: [...appealsKey, 'list', 'merge-targets', appeal.enterpriseId],
    queryFn: () => findAppeals({ enterpriseId: appeal.enterpriseId, state: 'open', page: 1, pageSize: 100 }),
  });
  const options = (open.data?.items ?? [])
    .filter((candidate) => candidate.id !== appeal.id)
    .map((candidate) => ({ value: candidate.id, label: `${candidate.number} ${candidate.title}（${t(`appeals.statuses.${candidate.status}`)}）` }));
  return (
    <Form.Item name="intoId" label={t('appeals.modal.intoId')} rules={[{ required: true, message: t('appeals.modal.intoRequired') }]}>
      <Select options={options} loading={open.isPending} placeholder={t('appeals.modal.intoPlaceholder')} notFoundContent={t('appeals.modal.noMergeTarget')} />
    </Form.Item>
  );
}

interface FilesField {
  items: UploadItem[];
  onChange: (items: UploadItem[]) => void;
  sending: boolean;
}

/**
 * The out-of-scope channels of an appeal (domain rules §5: litigation, arbitration, 信访, 纪检) as one-click reasons
 * for 不予受理; the officer can still edit the sentence.
 */
const declinePresets = ['litigation', 'arbitration', 'petition', 'discipline'] as const;

function DeclinePresets({ form }: { form: FormInstance<Values> }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('appeals.modal.declinePresetsLabel')} style={{ marginBottom: 8 }}>
      <Space wrap size={[8, 8]}>
        {declinePresets.map((preset) => (
          <Button key={preset} size="small" onClick={() => form.setFieldsValue({ reason: t(`appeals.modal.declinePresets.${preset}.text`) })}>
            {t(`appeals.modal.declinePresets.${preset}.label`)}
          </Button>
        ))}
      </Space>
    </Form.Item>
  );
}

function TextField({ name, label, required, rows = 4, max = 1000 }: { name: 'reason' | 'answer' | 'instruction' | 'message' | 'note' | 'comment'; label: string; required: boolean; rows?: number; max?: number }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={name} label={label} rules={required ? [{ required: true, whitespace: true, message: t('common.required') }] : []}>
      {rows > 1 ? <Input.TextArea rows={rows} maxLength={max} showCount /> : <Input maxLength={max} />}
    </Form.Item>
  );
}

/** The form of one step (none for 受理 / 签收 / 恢复计时: a confirmation sentence instead). */
function ActionFields({ appeal, action, form, files }: { appeal: Appeal; action: AvailableAction; form: FormInstance<Values>; files: FilesField }) {
  const { t } = useTranslation();
  const part = appeal.parts.find((candidate) => candidate.id === action.partId);
  switch (action.kind) {
    case 'accept':
    case 'sign':
    case 'resume':
      return <Typography.Paragraph>{t(`appeals.modal.confirm.${action.kind}`)}</Typography.Paragraph>;
    case 'decline':
      return (
        <>
          <DeclinePresets form={form} />
          <TextField name="reason" label={t('appeals.modal.reason.decline')} required />
        </>
      );
    case 'return':
    case 'withdraw':
    case 'pause':
      return <TextField name="reason" label={t(`appeals.modal.reason.${action.kind}`)} required />;
    case 'merge':
      return <MergeField appeal={appeal} />;
    case 'dispatch':
      return <DispatchFields appeal={appeal} form={form as FormInstance<DispatchValues>} />;
    case 'requestExtension':
      return (
        <>
          <Form.Item
            name="days"
            label={t('appeals.modal.days')}
            extra={t('appeals.modal.daysHint')}
            rules={[{ required: true, message: t('common.required') }, { type: 'integer', min: 1, max: 20, message: t('appeals.modal.daysRange') }]}
          >
            <InputNumber min={1} max={20} precision={0} inputMode="numeric" style={{ width: 120 }} />
          </Form.Item>
          <TextField name="reason" label={t('appeals.modal.reason.requestExtension')} required />
        </>
      );
    case 'decideExtension':
      return (
        <>
          {part?.extensionRequest && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('appeals.detail.extensionRequest', { unit: part.organisationName, days: String(part.extensionRequest.days), reason: part.extensionRequest.reason })}
            />
          )}
          <Form.Item name="approve" label={t('appeals.modal.approve')} rules={[{ required: true, message: t('appeals.modal.approveRequired') }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              size="large"
              options={[
                { value: true, label: t('appeals.modal.approveYes') },
                { value: false, label: t('appeals.modal.approveNo') },
              ]}
            />
          </Form.Item>
          <TextField name="comment" label={t('appeals.modal.comment')} required={false} rows={1} max={500} />
        </>
      );
    case 'answer':
      return (
        <>
          <TextField name="answer" label={t('appeals.modal.answer')} required rows={6} max={4000} />
          <Form.Item label={t('appeals.attachments.answerLabel')}>
            <AttachmentPicker items={files.items} onChange={files.onChange} sending={files.sending} hint={t('appeals.attachments.answerHint', { max: String(MAX_ATTACHMENTS) })} />
          </Form.Item>
        </>
      );
    case 'rate':
    case 'callbackRating':
      return <RatingFields />;
    case 'urge':
      return <TextField name="message" label={t('appeals.modal.message')} required={false} rows={1} max={500} />;
    case 'supervise':
      return <TextField name="instruction" label={t('appeals.modal.instruction')} required />;
    case 'archive':
      return <TextField name="note" label={t('appeals.modal.note')} required={false} rows={1} max={500} />;
  }
}

/** One step of the loop in a modal: its form, the appeal's version, and what happened. */
export function ActionModal({ appeal, action, onClose }: { appeal: Appeal; action: AvailableAction; onClose: () => void }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadItem[]>([]);
  const patchFile = (uid: string, patch: Partial<UploadItem>) => setFiles((current) => current.map((item) => (item.uid === uid ? { ...item, ...patch } : item)));
  const { mutation, formError } = useAppealAction(appeal, action, form, onClose, action.kind === 'answer' ? { items: files, onChange: patchFile } : undefined);
  const part = appeal.parts.find((candidate) => candidate.id === action.partId);
  const title = part ? `${t(`appeals.actions.${action.kind}`)} · ${part.organisationName}` : t(`appeals.actions.${action.kind}`);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      okText={t(`appeals.actions.${action.kind}`)}
      okButtonProps={{ loading: mutation.isPending, danger: isDanger(action.kind), htmlType: 'submit', form: 'appeal-action-form' }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      maskClosable={false}
      width={action.kind === 'dispatch' ? 720 : 520}
      style={isPhone ? { top: 12, maxWidth: 'calc(100vw - 16px)' } : undefined}
    >
      <Form<Values> id="appeal-action-form" form={form} layout="vertical" requiredMark={false} onFinish={(values) => mutation.mutate(values)}>
        <ActionFields appeal={appeal} action={action} form={form} files={{ items: files, onChange: setFiles, sending: mutation.isPending }} />
        {formError !== null && <Alert type="error" showIcon role="alert" title={errorText(formError, t)} />}
      </Form>
    </Modal>
  );
}

/** The enterprise's rating right on the page (phones first), instead of behind a button. */
export function RatingCardForm({ appeal, action }: { appeal: Appeal; action: AvailableAction }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { mutation, formError } = useAppealAction(appeal, action, form, () => form.resetFields());
  return (
    <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(values) => mutation.mutate(values)} aria-label={t('appeals.detail.rateTitle')}>
      <RatingFields />
      {formError !== null && <Alert type="error" showIcon role="alert" title={errorText(formError, t)} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" size="large" block loading={mutation.isPending}>
        {t('appeals.detail.rateSubmit')}
      </Button>
    </Form>
  );
}
