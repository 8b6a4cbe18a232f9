import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../app/errors';
import { useCan } from '../../app/session';
import { toAppealSearchParams } from './appeal-list-state';
import { appealsKey, countAppeals } from './appeals.api';

/** The enterprise file's 诉求 card: how many of its appeals are open, a link to them and 提交诉求. */
export function EnterpriseAppealsCard({ enterpriseId }: { enterpriseId: string }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const canRead = can('appeals:read');
  const open = useQuery({
    queryKey: [...appealsKey, 'list', 'open-count', enterpriseId],
    queryFn: () => countAppeals({ enterpriseId, state: 'open' }),
    enabled: canRead,
  });
  if (!canRead && !can('appeals:submit')) return null;
  const listPath = `/appeals?${toAppealSearchParams({ enterpriseId, state: 'open', page: 1, pageSize: 20 }).toString()}`;
  return (
    <Card
      title={t('appeals.card.title')}
      style={{ marginBottom: 16 }}
      extra={
        can('appeals:submit') ? (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/appeals/new?enterpriseId=${encodeURIComponent(enterpriseId)}`)}>
            {t('appeals.submit')}
          </Button>
        ) : null
      }
    >
      {canRead &&
        (open.isPending ? (
          <Skeleton active paragraph={false} />
        ) : open.error ? (
          <Typography.Text type="danger">{errorText(open.error, t)}</Typography.Text>
        ) : (
          <Space wrap>
            <Typography.Text data-testid="open-appeals">{open.data === 0 ? t('appeals.card.none') : t('appeals.card.open', { n: String(open.data) })}</Typography.Text>
            <Link to={open.data === 0 ? `/appeals?enterpriseId=${encodeURIComponent(enterpriseId)}` : listPath}>{t('appeals.card.view')}</Link>
          </Space>
        ))}
    </Card>
  );
}
