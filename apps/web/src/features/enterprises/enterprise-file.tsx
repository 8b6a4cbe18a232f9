import { CopyOutlined, EditOutlined, EyeOutlined, KeyOutlined, PhoneOutlined } from '@ant-design/icons';
import type { Contact, Enterprise } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Empty, List, Modal, Result, Row, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useCan } from '../../app/session';
import { useIsPhone } from '../../components/use-is-narrow';
import { EnterpriseAppealsCard } from '../appeals/enterprise-appeals-card';
import { EnterpriseFormModal } from './enterprise-form';
import { formatNumber, ScaleTag, StatusTag, TagList } from './enterprise-tags';
import { createInvite, enterpriseKey, findManagers, getEnterprise, revealContacts, type Invite } from './enterprises.api';
import { pathLabel } from './reference-tree';
import { EnterpriseTimeline, timelineKey } from './timeline';
import { useIndustries, useRegions } from './use-reference';
import { LastVisitCard } from '../visits/last-visit-card';

export const managersKey = (id: string) => [...enterpriseKey(id), 'managers'] as const;

function Header({ enterprise, readOnly, onEdit }: { enterprise: Enterprise; readOnly: boolean; onEdit: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const industries = useIndustries();
  const regions = useRegions();
  const industry = pathLabel(industries.entries, enterprise.industryCode) ?? enterprise.industryName ?? enterprise.industryCode;
  const region = pathLabel(regions.entries.filter((entry) => entry.level >= 3), enterprise.regionCode, ' ') ?? enterprise.regionName ?? enterprise.regionCode;
  return (
    <Card style={{ marginBottom: 16 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, justifyContent: 'space-between', alignItems: 'flex-start' }}>
        <div style={{ minWidth: 0, flex: '1 1 320px' }}>
          <Typography.Title level={2} style={{ margin: 0, fontSize: 22, overflowWrap: 'anywhere' }}>
            {enterprise.name}
          </Typography.Title>
          <Space wrap size={[8, 4]} style={{ marginTop: 8 }}>
            <Typography.Text copyable={{ text: enterprise.creditCode }} style={{ fontFamily: 'monospace' }} aria-label={`${t('enterprises.creditCode')} ${enterprise.creditCode}`}>
              {enterprise.creditCode}
            </Typography.Text>
            {enterprise.creditCodeOverride && (
              <Tooltip title={t('enterpriseFile.overrideHint')}>
                <Tag color="warning" tabIndex={0}>
                  {t('enterpriseFile.override')}
                </Tag>
              </Tooltip>
            )}
            <StatusTag status={enterprise.status} />
            <ScaleTag scale={enterprise.scale} overrideReason={enterprise.scaleOverrideReason} />
          </Space>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', overflowWrap: 'anywhere' }}>
            <span title={enterprise.industryCode}>{industry}</span>
            {' · '}
            <span title={enterprise.regionCode}>{region}</span>
          </Typography.Paragraph>
        </div>
        {!readOnly && can('enterprises:write') && (
          <Button icon={<EditOutlined />} onClick={onEdit}>
            {t('common.edit')}
          </Button>
        )}
      </div>
    </Card>
  );
}

function Profile({ enterprise }: { enterprise: Enterprise }) {
  const { t, i18n } = useTranslation();
  const none = t('common.none');
  const text = (value: string | null | undefined) => value || none;
  return (
    <Card title={t('enterpriseFile.profile')} style={{ marginBottom: 16 }}>
      <Descriptions
        column={{ xs: 1, sm: 2, xl: 3 }}
        size="small"
        items={[
          { key: 'legal', label: t('enterpriseFile.legalRepresentative'), children: text(enterprise.legalRepresentative) },
          { key: 'capital', label: t('enterpriseFile.registeredCapital'), children: formatNumber(enterprise.registeredCapital, i18n.language) },
          { key: 'established', label: t('enterpriseFile.establishedOn'), children: text(enterprise.establishedOn) },
          { key: 'revenue', label: t('enterpriseFile.revenue'), children: formatNumber(enterprise.revenue, i18n.language) },
          { key: 'land', label: t('enterpriseFile.landArea'), children: formatNumber(enterprise.landArea, i18n.language) },
          { key: 'park', label: t('enterpriseFile.park'), children: text(enterprise.park) },
          { key: 'address', label: t('enterpriseFile.address'), children: text(enterprise.address), span: { xs: 1, sm: 2, xl: 3 } },
          { key: 'former', label: t('enterpriseFile.formerNames'), children: enterprise.formerNames.length ? enterprise.formerNames.join('、') : none, span: { xs: 1, sm: 2, xl: 3 } },
          { key: 'created', label: t('enterpriseFile.createdAt'), children: formatDateTime(enterprise.createdAt) },
          { key: 'updated', label: t('enterpriseFile.updatedAt'), children: formatDateTime(enterprise.updatedAt) },
        ]}
      />
    </Card>
  );
}

function Contacts({ enterprise }: { enterprise: Enterprise }) {
  const { t } = useTranslation();
  const can = useCan();
  const reveal = useMutation({ mutationFn: () => revealContacts(enterprise.id) });
  const contacts: Contact[] = reveal.data ?? enterprise.contacts;
  const hasPhones = enterprise.contacts.some((contact) => contact.phone);
  return (
    <Card
      title={t('enterpriseFile.contacts')}
      style={{ marginBottom: 16 }}
      extra={
        can('personal-data:reveal') && hasPhones && !reveal.data ? (
          <Button size="small" icon={<EyeOutlined />} loading={reveal.isPending} onClick={() => reveal.mutate()}>
            {t('enterpriseFile.reveal')}
          </Button>
        ) : null
      }
    >
      {reveal.error && <Alert type="error" showIcon role="alert" title={errorText(reveal.error, t)} style={{ marginBottom: 12 }} />}
      {reveal.data && <Alert type="info" showIcon role="status" title={t('enterpriseFile.revealed')} style={{ marginBottom: 12 }} />}
      {contacts.length === 0 ? (
        <Typography.Text type="secondary">{t('enterpriseFile.noContacts')}</Typography.Text>
      ) : (
        <List
          size="small"
          dataSource={contacts}
          renderItem={(contact) => (
            <List.Item style={{ flexWrap: 'wrap', gap: 8 }}>
              <span>
                <Typography.Text strong>{contact.name}</Typography.Text>
                {contact.title && <Typography.Text type="secondary"> · {contact.title}</Typography.Text>}
              </span>
              {contact.phone && (
                <span data-testid="contact-phone">
                  <PhoneOutlined aria-hidden /> {reveal.data ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : contact.phone}
                </span>
              )}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function InviteModal({ invite, onClose }: { invite: Invite | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={Boolean(invite)}
      title={t('enterpriseFile.inviteTitle')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      maskClosable={false}
      destroyOnHidden
    >
      {invite && (
        <>
          <Alert type="warning" showIcon title={t('enterpriseFile.inviteOnce')} style={{ marginBottom: 16 }} />
          <Typography.Paragraph
            copyable={{ text: invite.code, icon: [<CopyOutlined key="copy" aria-label={t('enterpriseFile.inviteCopy')} />, undefined], tooltips: [t('enterpriseFile.inviteCopy'), t('common.copied')] }}
            style={{ fontSize: 28, fontFamily: 'monospace', letterSpacing: 4, textAlign: 'center', margin: '8px 0' }}
            data-testid="invite-code"
          >
            {invite.code}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
            {t('enterpriseFile.inviteExpires', { at: formatDateTime(invite.expiresAt) })}
          </Typography.Paragraph>
        </>
      )}
    </Modal>
  );
}

function Managers({ enterprise, readOnly }: { enterprise: Enterprise; readOnly: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const managers = useQuery({ queryKey: managersKey(enterprise.id), queryFn: () => findManagers(enterprise.id) });
  const [invite, setInvite] = useState<Invite | null>(null);
  const issue = useMutation({
    mutationFn: () => createInvite(enterprise.id),
    onSuccess: (created) => {
      setInvite(created);
      void queryClient.invalidateQueries({ queryKey: timelineKey(enterprise.id) });
    },
    onError: (error) => void message.error(errorText(error, t)),
  });
  return (
    <Card
      title={
        <span>
          {t('enterpriseFile.managers')}
          {managers.data && managers.data.length > 0 && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
              {t('enterpriseFile.managersCount', { n: String(managers.data.length) })}
            </Typography.Text>
          )}
        </span>
      }
      extra={
        !readOnly && can('enterprises:bind') ? (
          <Button size="small" icon={<KeyOutlined />} loading={issue.isPending} onClick={() => issue.mutate()}>
            {t('enterpriseFile.invite')}
          </Button>
        ) : null
      }
      style={{ marginBottom: 16 }}
    >
      {managers.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : managers.error ? (
        <Alert type="error" showIcon title={errorText(managers.error, t)} />
      ) : managers.data.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterpriseFile.noManagers')} />
      ) : (
        <List
          size="small"
          dataSource={managers.data}
          renderItem={(manager) => (
            <List.Item>
              <List.Item.Meta
                title={
                  <span>
                    {manager.displayName} <Typography.Text type="secondary">({manager.username})</Typography.Text>
                  </span>
                }
                description={
                  <Space wrap size={[8, 0]}>
                    {manager.phone && <span>{manager.phone}</span>}
                    <span>{t('enterpriseFile.boundAt', { at: formatDateTime(manager.boundAt) })}</span>
                    <Tag>{t(`enterpriseFile.via.${manager.via}`)}</Tag>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
      <InviteModal invite={invite} onClose={() => setInvite(null)} />
    </Card>
  );
}

/** 404 (absent or out of scope: the server answers the same for both) in words a person understands. */
function EnterpriseNotFound({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t('enterpriseFile.notFoundTitle')}
      subTitle={t('enterpriseFile.notFoundDesc')}
      extra={
        <Link to={readOnly ? '/' : '/enterprises'}>
          <Button type="primary">{readOnly ? t('common.backHome') : t('enterpriseFile.backToList')}</Button>
        </Link>
      }
    />
  );
}

/**
 * The enterprise file (一企一档): header, profile, contacts, tags, managers and the timeline.
 * `readOnly` is the enterprise user's view of their own file: no edit, no invites.
 */
export function EnterpriseFile({ id, readOnly = false }: { id: string; readOnly?: boolean }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const can = useCan();
  const [editing, setEditing] = useState(false);
  const query = useQuery({ queryKey: enterpriseKey(id), queryFn: () => getEnterprise(id) });

  if (query.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (query.error) {
    if (isApiError(query.error, 'NOT_FOUND') || isApiError(query.error, 'VALIDATION_FAILED')) return <EnterpriseNotFound readOnly={readOnly} />;
    return <Result status="error" title={errorText(query.error, t)} extra={<Button onClick={() => void query.refetch()}>{t('common.retry')}</Button>} />;
  }
  const enterprise = query.data;
  return (
    <article aria-label={enterprise.name}>
      <Header enterprise={enterprise} readOnly={readOnly} onEdit={() => setEditing(true)} />
      <Row gutter={16}>
        <Col xs={24} lg={16}>
          <Profile enterprise={enterprise} />
          {isPhone && <Contacts enterprise={enterprise} />}
          {isPhone && <EnterpriseAppealsCard enterpriseId={enterprise.id} />}
          <Card title={t('enterpriseFile.timeline')} style={{ marginBottom: 16 }}>
            <EnterpriseTimeline enterpriseId={enterprise.id} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          {!isPhone && <EnterpriseAppealsCard enterpriseId={enterprise.id} />}
          {!isPhone && <Contacts enterprise={enterprise} />}
          {!readOnly && can('visits:read') && <LastVisitCard enterprise={enterprise} />}
          <Card title={t('enterpriseFile.tags')} style={{ marginBottom: 16 }}>
            <TagList tags={enterprise.tags} empty={t('enterpriseFile.noTags')} />
          </Card>
          <Managers enterprise={enterprise} readOnly={readOnly} />
        </Col>
      </Row>
      {editing && <EnterpriseFormModal open={editing} enterprise={enterprise} onClose={() => setEditing(false)} />}
    </article>
  );
}
