import { ArrowLeftOutlined } from '@ant-design/icons';
import type { Appeal, AppealPart } from '@qinqing/contracts';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Empty, Result, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../app/api-client';
import { errorText } from '../../app/errors';
import { formatDateTime } from '../../app/format';
import { useCan, useMe } from '../../app/session';
import { useIsPhone } from '../../components/use-is-narrow';
import { ActionModal, RatingCardForm } from './action-modal';
import { availableActions, isDanger, isPrimary, splitActions, type AvailableAction } from './appeal-actions';
import { AttachmentList, AttachmentsCard, readFailedUploads } from './appeal-attachments';
import { AppealHistory } from './appeal-history';
import { appealPath, caseDeadline } from './appeal-model';
import { AppealFlags, AppealStatusTag, DueDate, PartStatusTag } from './appeal-tags';
import { appealKey, getAppeal } from './appeals.api';
import { useAppealCategories } from './use-appeal-lookups';

function ActionButtons({ actions, onPick }: { actions: AvailableAction[]; onPick: (action: AvailableAction) => void }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  if (actions.length === 0) return null;
  return (
    <Space wrap size={8}>
      {actions.map((action) => (
        <Button
          key={`${action.kind}:${action.partId ?? ''}`}
          type={isPrimary(action.kind) ? 'primary' : 'default'}
          danger={isDanger(action.kind)}
          size={isPhone ? 'large' : 'middle'}
          onClick={() => onPick(action)}
        >
          {t(`appeals.actions.${action.kind}`)}
        </Button>
      ))}
    </Space>
  );
}

/** Where the enterprise's name leads: the file for those who read the registry, "我的企业" for its own users. */
function EnterpriseName({ appeal }: { appeal: Appeal }) {
  const can = useCan();
  if (can('enterprises:claim')) return <Link to="/my-enterprise">{appeal.enterpriseName}</Link>;
  if (can('enterprises:read')) return <Link to={`/enterprises/${encodeURIComponent(appeal.enterpriseId)}`}>{appeal.enterpriseName}</Link>;
  return <>{appeal.enterpriseName}</>;
}

function Header({ appeal, actions, onPick }: { appeal: Appeal; actions: AvailableAction[]; onPick: (action: AvailableAction) => void }) {
  const { t } = useTranslation();
  const categories = useAppealCategories();
  const deadline = caseDeadline(appeal);
  const category = categories.categories.find((candidate) => candidate.code === appeal.categoryCode);
  return (
    <Card style={{ marginBottom: 16 }}>
      <Space wrap size={[8, 4]}>
        <Typography.Text copyable={{ text: appeal.number }} style={{ fontFamily: 'monospace' }}>
          {appeal.number}
        </Typography.Text>
        <AppealStatusTag status={appeal.status} />
        <AppealFlags supervised={appeal.supervised} urgent={appeal.urgency === 'urgent'} />
        {appeal.overdue && <Tag color="red">{t('appeals.overdue')}</Tag>}
      </Space>
      <Typography.Title level={2} style={{ margin: '8px 0 12px', fontSize: 20, overflowWrap: 'anywhere' }}>
        {appeal.title}
      </Typography.Title>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, xl: 3 }}
        items={[
          { key: 'enterprise', label: t('appeals.enterprise'), children: <EnterpriseName appeal={appeal} /> },
          {
            key: 'category',
            label: t('appeals.category'),
            children: category ? t('appeals.form.categoryOption', { name: categories.name(category.code), days: String(category.deadlineDays) }) : appeal.categoryCode,
          },
          { key: 'due', label: t('appeals.due'), children: <DueDate date={deadline?.date ?? null} estimated={deadline?.estimated} overdue={appeal.overdue} /> },
          { key: 'submitted', label: t('appeals.detail.submittedBy'), children: `${appeal.submittedByName ?? '—'} · ${formatDateTime(appeal.createdAt)}` },
          { key: 'origin', label: t('appeals.detail.origin'), children: t(`appeals.origins.${appeal.origin.kind}`) },
          {
            key: 'contact',
            label: t('appeals.detail.contact'),
            children: [appeal.contactName, appeal.contactPhone].filter(Boolean).join(' ') || '—',
          },
          { key: 'units', label: t('appeals.units'), children: appeal.units.length ? appeal.units.join('、') : '—' },
        ]}
      />
      {actions.length > 0 && (
        <div style={{ marginTop: 12 }} role="group" aria-label={t('appeals.detail.actions')}>
          <ActionButtons actions={actions} onPick={onPick} />
        </div>
      )}
    </Card>
  );
}

function Outcome({ appeal }: { appeal: Appeal }) {
  const { t } = useTranslation();
  return (
    <>
      {appeal.declineReason && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('appeals.detail.declineReason')} description={appeal.declineReason} />}
      {appeal.mergedIntoId && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('appeals.detail.mergedInto')}
          action={<Link to={appealPath(appeal.mergedIntoId)}>{t('appeals.detail.openMerged')}</Link>}
        />
      )}
      {appeal.rating && (
        <Alert
          type={appeal.rating === 'dissatisfied' ? 'error' : 'success'}
          showIcon
          style={{ marginBottom: 16 }}
          title={`${t('appeals.detail.rating')}：${t(`appeals.ratings.${appeal.rating}`)}`}
          description={
            <>
              {appeal.ratingComment && <div style={{ whiteSpace: 'pre-wrap' }}>{appeal.ratingComment}</div>}
              {appeal.redoCount > 0 && <div>{t('appeals.detail.redoCount', { n: String(appeal.redoCount) })}</div>}
            </>
          }
        />
      )}
    </>
  );
}

/** One unit's part (会办): its deadline, pause, extension request, answer with its files, and that unit's buttons. */
function PartCard({ appealId, part, actions, onPick }: { appealId: string; part: AppealPart; actions: AvailableAction[]; onPick: (action: AvailableAction) => void }) {
  const { t } = useTranslation();
  const open = part.status === 'dispatched' || part.status === 'signed';
  const filesLabel = part.answer === null ? 'appeals.attachments.earlierAnswerFiles' : 'appeals.attachments.answerFiles';
  return (
    <Card
      size="small"
      style={{ marginBottom: 16, height: 'calc(100% - 16px)' }}
      title={
        <span style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
          {part.organisationName} {part.isLead && <Tag color="blue">{t('appeals.lead')}</Tag>}
        </span>
      }
      extra={<PartStatusTag status={part.status} />}
      role="region"
      aria-label={part.organisationName}
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          ...(part.part ? [{ key: 'part', label: t('appeals.detail.part'), children: part.part }] : []),
          { key: 'due', label: t('appeals.due'), children: <DueDate date={part.dueDate} estimated={part.dueEstimated && open} overdue={part.overdue} /> },
          { key: 'dispatched', label: t('appeals.detail.dispatchedAt'), children: formatDateTime(part.dispatchedAt) },
          ...(part.signedAt ? [{ key: 'signed', label: t('appeals.detail.signedAt'), children: formatDateTime(part.signedAt) }] : []),
          ...(part.answeredAt ? [{ key: 'answered', label: t('appeals.detail.answeredAt'), children: formatDateTime(part.answeredAt) }] : []),
          ...(part.pausedDays > 0 ? [{ key: 'pausedDays', label: t('appeals.detail.pausedDaysLabel'), children: t('appeals.detail.pausedDays', { days: String(part.pausedDays) }) }] : []),
          ...(part.returnCount > 0 ? [{ key: 'returns', label: t('appeals.detail.returnsLabel'), children: t('appeals.detail.returnCount', { n: String(part.returnCount) }) }] : []),
        ]}
      />
      {part.pausedSince && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('appeals.detail.pausedSince', { date: part.pausedSince })} />}
      {part.extensionRequest && (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 8 }}
          title={t('appeals.detail.extensionRequest', { unit: part.organisationName, days: String(part.extensionRequest.days), reason: part.extensionRequest.reason })}
        />
      )}
      {part.answer && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong>{t('appeals.detail.answer')}</Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 0 }}>{part.answer}</Typography.Paragraph>
        </div>
      )}
      {part.attachments.length > 0 && (
        // After 重办 the answer is cleared but the files the unit sent with it stay on its part, named as earlier ones.
        <div style={{ marginTop: 8 }} role="group" aria-label={`${part.organisationName} ${t(filesLabel)}`}>
          <Typography.Text strong>{`${t(filesLabel)}（${part.attachments.length}）`}</Typography.Text>
          <AttachmentList appealId={appealId} attachments={part.attachments} />
        </div>
      )}
      {actions.length > 0 && (
        <div style={{ marginTop: 12 }} role="group" aria-label={`${part.organisationName} ${t('appeals.detail.actions')}`}>
          <ActionButtons actions={actions} onPick={onPick} />
        </div>
      )}
    </Card>
  );
}

/** The appeal page (/appeals/:id): header, what was asked, the units' parts, the history and the open steps. */
export function AppealPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const [picked, setPicked] = useState<AvailableAction | null>(null);
  const query = useQuery({ queryKey: appealKey(id), queryFn: () => getAppeal(id), retry: (count, error) => !isApiError(error, 'NOT_FOUND') && count < 2 });

  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      style={{ paddingInline: 0, marginBottom: 8 }}
      onClick={() => (window.history.state?.idx > 0 ? navigate(-1) : navigate('/appeals'))}
    >
      {t('appeals.detail.back')}
    </Button>
  );

  if (query.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (query.error) {
    if (isApiError(query.error, 'NOT_FOUND') || isApiError(query.error, 'VALIDATION_FAILED')) {
      return (
        <Result
          status="404"
          title={t('appeals.detail.notFoundTitle')}
          subTitle={t('appeals.detail.notFoundDesc')}
          extra={
            <Link to="/appeals">
              <Button type="primary">{t('appeals.detail.back')}</Button>
            </Link>
          }
        />
      );
    }
    return <Result status="error" title={errorText(query.error, t)} extra={<Button onClick={() => void query.refetch()}>{t('common.retry')}</Button>} />;
  }

  const appeal = query.data;
  const actions = splitActions(availableActions(appeal.allowedActions, me.permissions));
  const rate = actions.appeal.find((action) => action.kind === 'rate');
  const headerActions = actions.appeal.filter((action) => action.kind !== 'rate');

  return (
    <article aria-label={`${appeal.number} ${appeal.title}`}>
      {back}
      <Header appeal={appeal} actions={headerActions} onPick={setPicked} />
      {rate && (
        <Card title={t('appeals.detail.rateTitle')} style={{ marginBottom: 16, borderColor: '#1d5fbf' }}>
          <Typography.Paragraph type="secondary">{t('appeals.detail.rateHint')}</Typography.Paragraph>
          <RatingCardForm appeal={appeal} action={rate} />
        </Card>
      )}
      <Outcome appeal={appeal} />
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('appeals.detail.description')} style={{ marginBottom: 16 }}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 0 }}>{appeal.description}</Typography.Paragraph>
          </Card>
          <AttachmentsCard appeal={appeal} failedUploads={readFailedUploads(location.state)} />
          <section aria-label={t('appeals.detail.parts')}>
            <Typography.Title level={3} style={{ fontSize: 16 }}>
              {t('appeals.detail.parts')}
            </Typography.Title>
            {appeal.parts.length === 0 ? (
              <Card style={{ marginBottom: 16 }}>
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.detail.noParts')} />
              </Card>
            ) : (
              <Row gutter={16}>
                {appeal.parts.map((part) => (
                  <Col key={part.id} xs={24} md={appeal.parts.length > 1 ? 12 : 24}>
                    <PartCard appealId={appeal.id} part={part} actions={actions.parts.get(part.id) ?? []} onPick={setPicked} />
                  </Col>
                ))}
              </Row>
            )}
          </section>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('appeals.detail.history')} style={{ marginBottom: 16 }}>
            <AppealHistory events={appeal.events} />
          </Card>
        </Col>
      </Row>
      {picked && <ActionModal key={`${picked.kind}:${picked.partId ?? ''}:${appeal.version}`} appeal={appeal} action={picked} onClose={() => setPicked(null)} />}
    </article>
  );
}
