import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { checkCreditCode, type Enterprise, type EnterpriseScale } from '@qinqing/contracts';
import { ABOVE_SCALE_REVENUE, enterpriseStatuses } from './domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Cascader, Checkbox, Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from '../../app/errors';
import { currentLanguage } from '../../app/i18n';
import { useCan } from '../../app/session';
import { useIsPhone } from '../../components/use-is-narrow';
import { createEnterprise, enterprisesKey, revealContacts, updateEnterprise, type FieldWarning } from './enterprises.api';
import { changedFields, isMaskedPhone, toFormValues, toPayload, unmaskContacts, type EnterpriseFormValues } from './enterprise-form-model';
import { useIndustries, useRegions } from './use-reference';

const phonePattern = /^1\d{10}$/;

/** The credit-code check the server runs, run as the person types: same messages, in the UI language. */
export function creditCodeRules(options: { canOverride: boolean; overrideChecked: () => boolean }): Rule[] {
  const english = () => currentLanguage() === 'en-US';
  return [
    {
      validator: async (_rule, value: string | undefined) => {
        if (!value?.trim()) return;
        const check = checkCreditCode(value);
        if (check.valid) return;
        const onlyCheckCharacter = check.errors.every((error) => error.code === 'CHECK_CHARACTER');
        if (onlyCheckCharacter && options.canOverride && options.overrideChecked()) return;
        throw new Error(english() ? check.errors[0].messageEn : check.errors[0].message);
      },
    },
    {
      warningOnly: true,
      validator: async (_rule, value: string | undefined) => {
        if (!value?.trim()) return;
        const check = checkCreditCode(value);
        if (check.errors.length === 0 && check.warnings.length > 0) {
          throw new Error(english() ? check.warnings[0].messageEn : check.warnings[0].message);
        }
      },
    },
  ];
}

/** "登记类型：企业（工商）" under the field once positions 1–2 are known; undefined otherwise (no empty line). */
export function creditCodeTypeText(value: string | undefined, t: TFunction, language: string): string | undefined {
  if (!value || value.trim().length < 2) return undefined;
  const type = checkCreditCode(value).registrationType;
  if (!type) return undefined;
  return t('enterpriseForm.creditCodeType', { type: language === 'en-US' ? type.nameEn : `${type.name}（${type.authority}）` });
}

interface Props {
  open: boolean;
  onClose: () => void;
  /** Edit this enterprise; create a new one when absent. */
  enterprise?: Enterprise;
  onCreated?: (enterprise: Enterprise, warnings: FieldWarning[]) => void;
}

/** New enterprise / edit the file: every field of createEnterpriseInputSchema; PATCH sends only what changed. */
export function EnterpriseFormModal({ open, onClose, enterprise, onCreated }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const isPhone = useIsPhone();
  const queryClient = useQueryClient();
  const industries = useIndustries();
  const regions = useRegions();
  const [form] = Form.useForm<EnterpriseFormValues>();
  const isEdit = Boolean(enterprise);
  const canOverride = can('enterprises:override-credit-code');

  const initialValues = useMemo<EnterpriseFormValues>(
    () =>
      enterprise
        ? toFormValues(enterprise, { industry: industries.path(enterprise.industryCode), region: regions.path(enterprise.regionCode) })
        : { status: 'operating', scaleOverride: 'auto', contacts: [], tags: [], formerNames: [] },
    [enterprise, industries.path, regions.path],
  );
  const shownPhones = useMemo(() => new Set((enterprise?.contacts ?? []).map((contact) => contact.phone).filter(isMaskedPhone)), [enterprise]);

  const creditCode = Form.useWatch('creditCode', form);
  const revenue = Form.useWatch('revenue', form);
  const scaleOverride = Form.useWatch('scaleOverride', form);
  const check = creditCode ? checkCreditCode(creditCode) : undefined;
  const mayOfferOverride = Boolean(
    canOverride && check && !check.valid && check.errors.every((error) => error.code === 'CHECK_CHARACTER'),
  );
  const [saving, setSaving] = useState(false);

  const create = useMutation({ mutationFn: createEnterprise });
  const update = useMutation({ mutationFn: (body: Parameters<typeof updateEnterprise>[1]) => updateEnterprise(enterprise!.id, body) });

  const submit = async (values: EnterpriseFormValues) => {
    setSaving(true);
    try {
      const payload = toPayload(values);
      if (!enterprise) {
        const { warnings, ...created } = await create.mutateAsync({ ...payload, creditCode: payload.creditCode ?? '' });
        await queryClient.invalidateQueries({ queryKey: enterprisesKey });
        onCreated?.(created, warnings ?? []);
        return;
      }
      const changes = changedFields(toPayload(initialValues), payload);
      if (Object.keys(changes).length === 0) {
        void message.info(t('enterpriseForm.noChanges'));
        onClose();
        return;
      }
      if (changes.contacts?.some((contact) => isMaskedPhone(contact.phone))) {
        const revealed = can('personal-data:reveal') ? await revealContacts(enterprise.id) : [];
        const contacts = unmaskContacts(changes.contacts, enterprise.contacts, revealed);
        if (!contacts) {
          void message.error(t('enterpriseForm.needRevealToEdit'));
          return;
        }
        changes.contacts = contacts;
      }
      await update.mutateAsync(changes);
      await queryClient.invalidateQueries({ queryKey: enterprisesKey });
      void message.success(t('common.saved'));
      onClose();
    } catch (error) {
      if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    } finally {
      setSaving(false);
    }
  };

  const half = { xs: 24, md: 12 };
  const derivedScale: EnterpriseScale = typeof revenue === 'number' && revenue >= ABOVE_SCALE_REVENUE ? 'above' : 'below';

  return (
    <Modal
      open={open}
      title={isEdit ? t('enterpriseForm.editTitle') : t('enterpriseForm.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={saving}
      width={isPhone ? '100%' : 760}
      destroyOnHidden
      maskClosable={false}
    >
      <Form<EnterpriseFormValues> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} requiredMark scrollToFirstError>
        <Divider titlePlacement="start" plain>
          {t('enterpriseForm.basics')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              name="creditCode"
              label={t('enterpriseForm.creditCode')}
              validateFirst
              dependencies={['overrideCreditCodeCheck']}
              rules={isEdit ? [] : [{ required: true, message: t('common.required') }, ...creditCodeRules({ canOverride, overrideChecked: () => Boolean(form.getFieldValue('overrideCreditCodeCheck')) })]}
              extra={isEdit ? t('enterpriseForm.creditCodeLocked') : creditCodeTypeText(creditCode, t, i18n.language)}
              normalize={(value: string) => value?.toUpperCase()}
            >
              <Input disabled={isEdit} placeholder={t('enterpriseForm.creditCodePlaceholder')} maxLength={40} autoComplete="off" spellCheck={false} />
            </Form.Item>
            {!isEdit && mayOfferOverride && (
              <Form.Item name="overrideCreditCodeCheck" valuePropName="checked" style={{ marginTop: -8 }}>
                <Checkbox>{t('enterpriseForm.overrideCreditCode')}</Checkbox>
              </Form.Item>
            )}
          </Col>
          <Col {...half}>
            <Form.Item name="name" label={t('enterpriseForm.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="industryCode" label={t('enterpriseForm.industry')} extra={t('enterpriseForm.industryHint')} rules={[
                { required: true, message: t('common.required') },
                {
                  // A 门类 alone is too broad for an enterprise (the server refuses it); a 大类 or finer is needed.
                  validator: async (_rule, value: string[] | undefined) => {
                    if (value && value.length === 1 && /^[A-T]$/.test(value[0])) throw new Error(t('enterpriseForm.industryTooBroad'));
                  },
                },
              ]}>
              <Cascader
                options={industries.options}
                changeOnSelect
                showSearch
                loading={industries.isPending}
                placeholder={t('enterpriseForm.industry')}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="regionCode" label={t('enterpriseForm.region')} extra={t('enterpriseForm.regionHint')} rules={[{ required: true, message: t('common.required') }]}>
              <Cascader options={regions.options} changeOnSelect showSearch loading={regions.isPending} placeholder={t('enterpriseForm.region')} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="legalRepresentative" label={t('enterpriseForm.legalRepresentative')} rules={[{ max: 32 }]}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="establishedOn"
              label={t('enterpriseForm.establishedOn')}
              getValueProps={(value: string | null | undefined) => ({ value: value ? dayjs(value) : null })}
              normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : null)}
            >
              <DatePicker style={{ width: '100%' }} disabledDate={(day) => day.isAfter(dayjs())} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="registeredCapital" label={t('enterpriseForm.registeredCapital')}>
              <InputNumber min={0} max={1e9} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="status" label={t('enterpriseForm.status')}>
              <Select options={enterpriseStatuses.map((value) => ({ value, label: t(`enterprises.statuses.${value}`) }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="formerNames" label={t('enterpriseForm.formerNames')} extra={t('enterpriseForm.formerNamesHint')}>
              <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} aria-label={t('enterpriseForm.formerNames')} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('enterpriseForm.operation')}
        </Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item name="revenue" label={t('enterpriseForm.revenue')}>
              <InputNumber min={0} max={1e10} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              name="scaleOverride"
              label={t('enterpriseForm.scale')}
              extra={scaleOverride === 'auto' || !scaleOverride ? t('enterpriseForm.scaleAutoNow', { scale: t(`enterprises.scales.${derivedScale}`) }) : undefined}
            >
              <Select
                options={[
                  { value: 'auto', label: t('enterpriseForm.scaleAuto') },
                  { value: 'above', label: t('enterprises.scales.above') },
                  { value: 'below', label: t('enterprises.scales.below') },
                ]}
              />
            </Form.Item>
          </Col>
          {scaleOverride && scaleOverride !== 'auto' && (
            <Col span={24}>
              <Form.Item
                name="scaleOverrideReason"
                label={t('enterpriseForm.scaleReason')}
                rules={[{ required: true, whitespace: true, message: t('enterpriseForm.scaleReasonRequired') }, { max: 200 }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </Col>
          )}
          <Col {...half}>
            <Form.Item name="landArea" label={t('enterpriseForm.landArea')}>
              <InputNumber min={0} max={1e6} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item name="park" label={t('enterpriseForm.park')} rules={[{ max: 64 }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label={t('enterpriseForm.address')} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('enterpriseForm.contactsAndTags')}
        </Divider>
        <Form.List name="contacts">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: isPhone ? 12 : 0 }}>
                  <Form.Item name={[field.name, 'name']} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 32 }]}>
                    <Input placeholder={t('enterpriseForm.contactName')} aria-label={`${t('enterpriseForm.contactName')} ${index + 1}`} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'title']} rules={[{ max: 32 }]}>
                    <Input placeholder={t('enterpriseForm.contactTitle')} aria-label={`${t('enterpriseForm.contactTitle')} ${index + 1}`} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'phone']}
                    rules={[
                      {
                        validator: async (_rule, value: string | null | undefined) => {
                          if (!value || phonePattern.test(value) || shownPhones.has(value)) return;
                          throw new Error(t('enterpriseForm.phoneFormat'));
                        },
                      },
                    ]}
                  >
                    <Input
                      placeholder={t('enterpriseForm.contactPhone')}
                      aria-label={`${t('enterpriseForm.contactPhone')} ${index + 1}`}
                      inputMode="tel"
                      maxLength={11}
                      style={{ width: 150 }}
                    />
                  </Form.Item>
                  <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('enterpriseForm.removeContact', { index: String(index + 1) })} onClick={() => remove(field.name)} />
                </Space>
              ))}
              <Form.Item extra={shownPhones.size > 0 ? t('enterpriseForm.maskedPhoneKept') : undefined}>
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', title: null, phone: null })} disabled={fields.length >= 20}>
                  {t('enterpriseForm.addContact')}
                </Button>
              </Form.Item>
            </>
          )}
        </Form.List>
        <Form.Item name="tags" label={t('enterpriseForm.tags')} extra={t('enterpriseForm.tagsHint')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} maxCount={30} aria-label={t('enterpriseForm.tags')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
