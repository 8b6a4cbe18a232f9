import type { WorkdayDate } from '@qinqing/contracts';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, InputNumber, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { addWorkdays } from './calendar.api';
import { mondayFirstWeekday } from './calendar-model';

interface Values {
  from: Dayjs | null;
  days: number | null;
}

/** 推算期限: a start date plus N working days → the due date, flagged when the year's notice is not in yet. */
export function DeadlineTool({ isTitled = true }: { isTitled?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const compute = useMutation({
    mutationFn: (values: { from: string; days: number }) => addWorkdays(values.from, values.days),
    onError: (error) => applyFieldErrors(form, error),
  });
  const submit = (values: Values) => {
    if (!values.from || !values.days) return;
    compute.mutate({ from: values.from.format('YYYY-MM-DD'), days: values.days });
  };

  return (
    <Card title={isTitled ? t('calendar.deadline.title') : undefined} size="small">
      <Typography.Paragraph type="secondary">{t('calendar.deadline.hint')}</Typography.Paragraph>
      <Form<Values> form={form} layout="inline" initialValues={{ from: dayjs(), days: 5 }} onFinish={submit} onValuesChange={() => compute.reset()} style={{ rowGap: 8 }}>
        <Form.Item name="from" label={t('calendar.deadline.from')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker allowClear={false} inputReadOnly />
        </Form.Item>
        <Form.Item name="days" label={t('calendar.deadline.days')} rules={[{ required: true, message: t('common.required') }]}>
          <InputNumber min={1} max={365} precision={0} style={{ width: 96 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={compute.isPending}>
            {t('calendar.deadline.compute')}
          </Button>
        </Form.Item>
      </Form>
      {compute.data && <DeadlineResult result={compute.data} />}
      {compute.error && !(isApiError(compute.error) && compute.error.fieldIssues.length > 0) && <Alert style={{ marginTop: 12 }} type="error" showIcon role="alert" title={errorText(compute.error, t)} />}
    </Card>
  );
}

function DeadlineResult({ result }: { result: WorkdayDate }) {
  const { t } = useTranslation();
  return (
    <div role="status" data-testid="deadline-result" style={{ marginTop: 16 }}>
      <Space wrap align="center">
        <Typography.Text>{t('calendar.deadline.due')}</Typography.Text>
        <Typography.Text strong style={{ fontSize: 18 }}>
          {result.date}
        </Typography.Text>
        <Typography.Text type="secondary">{t(`calendar.weekdays.d${mondayFirstWeekday(result.date)}` as 'calendar.weekdays.d0')}</Typography.Text>
        {result.estimated ? <Tag color="orange">{t('calendar.deadline.estimated')}</Tag> : <Tag color="green">{t('calendar.deadline.official')}</Tag>}
      </Space>
      {result.estimated && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('calendar.deadline.estimatedHint')}
        </Typography.Paragraph>
      )}
    </div>
  );
}
