import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { EnterpriseFile } from './enterprise-file';

/** /enterprises/:id — the enterprise file as officers, leaders and instructors see it. */
export function EnterprisePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  return (
    <>
      <Button
        type="link"
        icon={<ArrowLeftOutlined />}
        style={{ paddingInline: 0, marginBottom: 8 }}
        // Back to the list as it was (filters live in its URL) when we came from it.
        onClick={() => (window.history.length > 1 && window.history.state?.idx > 0 ? navigate(-1) : navigate('/enterprises'))}
      >
        {t('enterpriseFile.backToList')}
      </Button>
      <EnterpriseFile key={id} id={id} />
    </>
  );
}
