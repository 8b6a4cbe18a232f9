import type { Appeal } from '@qinqing/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Checkbox, Form, Input, InputNumber, Select, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { syncDispatchRows, type DispatchRow } from './appeal-actions';
import { chinaToday } from './appeal-model';
import { DueDate } from './appeal-tags';
import { addWorkdays, appealUnitsKey, findDispatchUnits, type DispatchUnit } from './appeals.api';
import { useAppealCategories } from './use-appeal-lookups';

export interface DispatchValues {
  units?: string[];
  parts?: DispatchRow[];
}

/** The due date a unit would get if dispatched today, from the working-day calendar. */
function DuePreview({ days }: { days: number | null | undefined }) {
  const { t } = useTranslation();
  const today = chinaToday();
  const valid = typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 60;
  const due = useQuery({ queryKey: ['calendar', 'add-workdays', today, days], queryFn: () => addWorkdays(today, days!), enabled: valid, staleTime: 60 * 60_000 });
  if (!valid || !due.data) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 13 }} data-testid="dispatch-due">
      {t('appeals.dispatch.due')} <DueDate date={due.data.date} estimated={due.data.estimated} />
    </Typography.Text>
  );
}

function UnitName({ value, units }: { value?: string; units: DispatchUnit[] }) {
  const unit = units.find((candidate) => candidate.id === value);
  return <Typography.Text strong>{unit?.name ?? value}</Typography.Text>;
}

/**
 * The dispatch form's fields: units (several for 会办), and for each its share of the work, working days
 * (the category's limit by default), the 牵头 flag and the due date it would get. Field names follow the API
 * (`parts.N.organisationId` …) so the server's field errors land on them.
 */
export function DispatchFields({ appeal, form }: { appeal: Appeal; form: FormInstance<DispatchValues> }) {
  const { t } = useTranslation();
  const categories = useAppealCategories();
  const units = useQuery({ queryKey: [...appealUnitsKey, 'dispatch'], queryFn: findDispatchUnits, staleTime: 5 * 60_000 });
  const category = categories.categories.find((candidate) => candidate.code === appeal.categoryCode);
  const defaultDays = category?.deadlineDays ?? null;
  const active = appeal.parts.filter((part) => part.status !== 'returned' && part.status !== 'withdrawn');
  const busy = new Set(active.map((part) => part.organisationId));
  const rows = Form.useWatch('parts', form) ?? [];
  const kindLabel = (kind: string) => t(`appeals.dispatch.kinds.${kind as 'department'}`, { defaultValue: kind });
  const options = (units.data ?? [])
    .filter((unit) => !busy.has(unit.id))
    .map((unit) => ({ value: unit.id, label: unit.name, title: `${unit.name}（${kindLabel(unit.kind)}）` }));

  const onUnits = (ids: string[]) => form.setFieldValue('parts', syncDispatchRows(form.getFieldValue('parts') ?? [], ids, defaultDays, active.length > 0));
  const onLead = (index: number, checked: boolean) => {
    const current: DispatchRow[] = form.getFieldValue('parts') ?? [];
    form.setFieldValue('parts', current.map((row, at) => ({ ...row, isLead: at === index ? checked : checked ? false : row.isLead })));
  };

  return (
    <>
      {active.length > 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('appeals.dispatch.joining', { units: active.map((part) => part.organisationName).join('、') })} />
      )}
      <Form.Item
        name="units"
        label={t('appeals.dispatch.units')}
        rules={[{ required: true, message: t('appeals.dispatch.unitsRequired') }]}
        extra={category ? t('appeals.dispatch.defaultDays', { name: categories.name(category.code), days: String(category.deadlineDays) }) : undefined}
      >
        <Select
          mode="multiple"
          options={options}
          loading={units.isPending}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('appeals.dispatch.unitsPlaceholder')}
          onChange={onUnits}
          maxCount={10}
        />
      </Form.Item>
      <Form.List name="parts">
        {(fields) =>
          fields.map((field) => (
            <Card key={field.key} size="small" style={{ marginBottom: 12 }} styles={{ body: { paddingBottom: 4 } }}>
              <Form.Item name={[field.name, 'organisationId']} style={{ marginBottom: 8 }}>
                <UnitName units={units.data ?? []} />
              </Form.Item>
              <Form.Item name={[field.name, 'part']} label={t('appeals.dispatch.part')} style={{ marginBottom: 8 }}>
                <Input maxLength={200} placeholder={t('appeals.dispatch.partPlaceholder')} />
              </Form.Item>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
                <Form.Item
                  name={[field.name, 'days']}
                  label={t('appeals.dispatch.days')}
                  rules={[{ type: 'integer', min: 1, max: 60, message: t('appeals.dispatch.daysRange') }]}
                  style={{ marginBottom: 8 }}
                >
                  <InputNumber min={1} max={60} precision={0} inputMode="numeric" style={{ width: 96 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'isLead']} valuePropName="checked" style={{ marginBottom: 8 }}>
                  <Checkbox onChange={(event) => onLead(field.name, event.target.checked)}>{t('appeals.lead')}</Checkbox>
                </Form.Item>
                <div style={{ marginBottom: 8 }}>
                  <DuePreview days={rows[field.name]?.days} />
                </div>
              </div>
            </Card>
          ))
        }
      </Form.List>
    </>
  );
}
