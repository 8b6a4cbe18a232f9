import type { SetCalendarDayInput } from '@qinqing/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { calendarQueryKey, resetCalendarDay, setCalendarDay } from './calendar.api';
import type { DayCell } from './calendar-model';

interface Values {
  isWorkday: boolean;
  name?: string;
}

/** Set one date as a working day or a day off (with the holiday's name), or undo its entry. */
export function DayEditor({ cell, onClose }: { cell: DayCell; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: calendarQueryKey });
    void message.success(t('common.saved'));
    onClose();
  };
  const save = useMutation({
    mutationFn: (input: SetCalendarDayInput) => setCalendarDay(cell.date, input),
    onSuccess: done,
    onError: (error) => applyFieldErrors(form, error),
  });
  const reset = useMutation({ mutationFn: () => resetCalendarDay(cell.date), onSuccess: done });
  const failure = save.error ?? reset.error;
  const showFailure = failure && !(save.error && isApiError(save.error) && save.error.fieldIssues.length > 0);
  const source = cell.entry?.source;

  return (
    <Modal
      open
      title={`${cell.date} ${t(`calendar.weekdays.d${cell.weekday}` as 'calendar.weekdays.d0')}`}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space wrap>
          {cell.entry && (
            <Button danger onClick={() => reset.mutate()} loading={reset.isPending}>
              {t('calendar.editor.reset')}
            </Button>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => form.submit()} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {source === 'manual'
          ? t('calendar.editor.sourceManual', { who: cell.entry?.updatedBy ?? t('common.none'), when: formatDateTime(cell.entry?.updatedAt) })
          : source === 'chinese-days'
            ? t('calendar.editor.sourcePackaged')
            : t('calendar.editor.sourceDefault')}
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ isWorkday: cell.isWorkday, name: cell.name ?? undefined }}
        onFinish={(values) => save.mutate({ isWorkday: values.isWorkday, name: values.name?.trim() || undefined })}
      >
        <Form.Item name="isWorkday" label={t('calendar.editor.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t('calendar.workday') },
              { value: false, label: t('calendar.dayOff') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.editor.name')} rules={[{ max: 30 }]}>
          <Input placeholder={t('calendar.editor.namePlaceholder')} maxLength={30} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('calendar.editor.hint')}
      </Typography.Paragraph>
      {showFailure && <Alert style={{ marginTop: 12 }} type="error" showIcon role="alert" title={errorText(failure, t)} />}
    </Modal>
  );
}
