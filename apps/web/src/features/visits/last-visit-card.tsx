import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { VisitFormModal } from './visit-form';
import { getLastVisit, lastVisitKey } from './visits.api';

/** On the enterprise file: 最近走访：日期，走访人（单位）, the next plan, and a link to all of the enterprise's visits. */
export function LastVisitCard({ enterprise }: { enterprise: { id: string; name: string; creditCode: string } }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [planning, setPlanning] = useState(false);
  const query = useQuery({ queryKey: lastVisitKey(enterprise.id), queryFn: () => getLastVisit(enterprise.id) });
  const listPath = `/visits?view=list&enterpriseId=${encodeURIComponent(enterprise.id)}`;
  return (
    <Card
      title={t('visits.lastVisitTitle')}
      style={{ marginBottom: 16 }}
      extra={
        can('visits:write') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setPlanning(true)}>
            {t('visits.create')}
          </Button>
        )
      }
    >
      {query.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} />
      ) : query.error ? (
        <Alert type="error" showIcon title={errorText(query.error, t)} />
      ) : (
        <Space direction="vertical" size={4} style={{ width: '100%' }}>
          <Typography.Text data-testid="last-visit">
            {query.data.lastVisit ? (
              <Link to={`/visits/${encodeURIComponent(query.data.lastVisit.visitId)}`}>
                {t('visits.lastVisitText', {
                  date: query.data.lastVisit.visitedOn,
                  visitor: query.data.lastVisit.organisationName ? `${query.data.lastVisit.visitorName}（${query.data.lastVisit.organisationName}）` : query.data.lastVisit.visitorName,
                })}
              </Link>
            ) : (
              t('visits.neverVisited')
            )}
          </Typography.Text>
          {query.data.nextPlan && (
            <Typography.Text type="secondary">
              {t('visits.nextPlan', {
                date: query.data.nextPlan.plannedOn,
                visitor: query.data.nextPlan.organisationName ? `${query.data.nextPlan.visitorName}（${query.data.nextPlan.organisationName}）` : query.data.nextPlan.visitorName,
              })}
            </Typography.Text>
          )}
          <Link to={listPath}>{t('visits.allVisits', { n: String(query.data.doneCount) })}</Link>
        </Space>
      )}
      {planning && (
        <VisitFormModal
          mode={{ kind: 'create', enterprise }}
          onClose={() => setPlanning(false)}
          onSaved={(visit) => {
            setPlanning(false);
            navigate(`/visits/${encodeURIComponent(visit.id)}`);
          }}
        />
      )}
    </Card>
  );
}
