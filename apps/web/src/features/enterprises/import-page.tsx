import { ArrowLeftOutlined, CheckOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import type { EnterpriseImport } from '@qinqing/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Progress, Result, Row, Space, Statistic, Steps, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../app/errors';
import { PageTitle } from '../../components/page-title';
import { useIsPhone } from '../../components/use-is-narrow';
import { commitImport, downloadImportTemplate, enterprisesKey, getImport, startImport } from './enterprises.api';
import { importPhase, importPollMs, importStep, isImportFile, shouldPoll, type ImportPhase } from './import-state';

const importKey = (id: string) => ['enterprise-imports', id] as const;

function TemplateStep() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);
  const download = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      await downloadImportTemplate(format);
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space wrap>
      <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => void download('xlsx')}>
        {t('enterpriseImport.downloadTemplate')}
      </Button>
      <Button type="link" loading={busy === 'csv'} onClick={() => void download('csv')}>
        {t('enterpriseImport.downloadCsvTemplate')}
      </Button>
    </Space>
  );
}

function UploadStep({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useMutation({ mutationFn: startImport, onSuccess: ({ id }) => onStarted(id) });
  return (
    <>
      <Upload.Dragger
        accept=".xlsx,.csv"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          if (!isImportFile(file.name)) {
            void message.error(t('enterpriseImport.wrongType'));
            return Upload.LIST_IGNORE;
          }
          upload.mutate(file);
          // We send the file ourselves (with the CSRF header) instead of antd's XHR.
          return false;
        }}
        aria-label={t('enterpriseImport.uploadLabel')}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p className="ant-upload-text">{t('enterpriseImport.uploadLabel')}</p>
        <p className="ant-upload-hint">{t('enterpriseImport.uploadHint')}</p>
      </Upload.Dragger>
      {upload.isPending && <Progress percent={0} status="active" aria-label={t('enterpriseImport.progress')} style={{ marginTop: 16 }} />}
      {upload.error && <Alert type="error" showIcon role="alert" title={errorText(upload.error, t)} style={{ marginTop: 16 }} />}
    </>
  );
}

function Summary({ job }: { job: EnterpriseImport }) {
  const { t } = useTranslation();
  if (!job.summary) return null;
  const { summary } = job;
  const figure = (title: string, value: number, color?: string) => (
    <Col xs={12} sm={6}>
      <Statistic title={title} value={value} styles={color ? { content: { color } } : undefined} />
    </Col>
  );
  return (
    <Card size="small" title={`${t('enterpriseImport.summaryTitle')} · ${t('enterpriseImport.total', { total: String(summary.total) })}`} style={{ marginBottom: 16 }}>
      <Row gutter={[16, 16]} data-testid="import-summary">
        {figure(t('enterpriseImport.new'), summary.new, '#1d5fbf')}
        {figure(t('enterpriseImport.updated'), summary.updated, '#3ba272')}
        {figure(t('enterpriseImport.unchanged'), summary.unchanged)}
        {figure(t('enterpriseImport.invalid'), summary.invalid, summary.invalid > 0 ? '#cf1322' : undefined)}
      </Row>
    </Card>
  );
}

function ErrorsTable({ job }: { job: EnterpriseImport }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      rowKey={(error) => `${error.row}-${error.column}-${error.message}`}
      dataSource={job.errors}
      pagination={job.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      aria-label={t('enterpriseImport.errorsTitle', { n: String(job.errors.length) })}
      columns={[
        { title: t('enterpriseImport.row'), dataIndex: 'row', width: 72 },
        { title: t('enterpriseImport.column'), dataIndex: 'column', width: 180 },
        { title: t('enterpriseImport.problem'), dataIndex: 'message' },
      ]}
    />
  );
}

function JobView({ id, onRestart }: { id: string; onRestart: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: importKey(id),
    queryFn: () => getImport(id),
    refetchInterval: (query) => (shouldPoll(query.state.data) ? importPollMs : false),
    staleTime: 0,
  });
  const commit = useMutation({
    mutationFn: () => commitImport(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: importKey(id) }),
  });
  const phase: ImportPhase = job.data ? importPhase(job.data) : 'parsing';
  useEffect(() => {
    // The registry changed: lists, counts and files show the imported rows next time.
    if (phase === 'committed') void queryClient.invalidateQueries({ queryKey: enterprisesKey });
  }, [phase, queryClient]);

  if (job.error) {
    return <Result status="error" title={errorText(job.error, t)} extra={<Button onClick={onRestart}>{t('enterpriseImport.uploadAgain')}</Button>} />;
  }
  const data = job.data;
  const progress = (label: string) => (
    <div role="status">
      <Typography.Paragraph>{label}</Typography.Paragraph>
      <Progress percent={Math.round(data?.progress ?? 0)} status="active" aria-label={t('enterpriseImport.progress')} />
    </div>
  );

  if (phase === 'parsing') return progress(t('enterpriseImport.parsing', { filename: data?.filename ?? '' }));
  if (phase === 'committing' || (commit.isPending && phase === 'preview-ready')) return progress(t('enterpriseImport.committing'));
  if (!data) return null;

  if (phase === 'committed') {
    const summary = data.summary;
    return (
      <Result
        status="success"
        title={t('enterpriseImport.doneTitle')}
        subTitle={summary ? t('enterpriseImport.doneDesc', { new: String(summary.new), updated: String(summary.updated), unchanged: String(summary.unchanged) }) : undefined}
        extra={[
          <Link key="list" to="/enterprises">
            <Button type="primary">{t('enterpriseImport.toList')}</Button>
          </Link>,
          <Button key="again" onClick={onRestart}>
            {t('enterpriseImport.importAnother')}
          </Button>,
        ]}
      />
    );
  }
  if (phase === 'failed') {
    return (
      <>
        <Result
          status="error"
          title={t('enterpriseImport.failedTitle')}
          subTitle={t('enterpriseImport.failedDesc')}
          extra={
            <Button type="primary" icon={<ReloadOutlined />} onClick={onRestart}>
              {t('enterpriseImport.uploadAgain')}
            </Button>
          }
        />
        {data.errors.length > 0 && <ErrorsTable job={data} />}
      </>
    );
  }

  const hasErrors = phase === 'preview-errors';
  return (
    <>
      <Summary job={data} />
      {hasErrors ? (
        <>
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('enterpriseImport.errorsTitle', { n: String(data.errors.length || (data.summary?.invalid ?? 0)) })}
            description={t('enterpriseImport.errorsHelp')}
            style={{ marginBottom: 16 }}
          />
          <ErrorsTable job={data} />
        </>
      ) : (
        <Alert type="success" showIcon title={t('enterpriseImport.readyHelp')} style={{ marginBottom: 16 }} />
      )}
      {commit.error && <Alert type="error" showIcon role="alert" title={errorText(commit.error, t)} style={{ marginTop: 16 }} />}
      <Space wrap style={{ marginTop: 16 }}>
        <Button type="primary" icon={<CheckOutlined />} disabled={hasErrors} loading={commit.isPending} onClick={() => commit.mutate()}>
          {t('enterpriseImport.commit')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={onRestart}>
          {t('enterpriseImport.uploadAgain')}
        </Button>
      </Space>
    </>
  );
}

/** 导入: download the template, upload, watch the check, read the errors or confirm, watch the commit. */
export function ImportPage() {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  const navigate = useNavigate();
  // The job id lives in the URL, so a reload comes back to the same preview.
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  const step = id ? 2 : importStep('upload');

  return (
    <>
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0, marginBottom: 8 }} onClick={() => navigate('/enterprises')}>
        {t('enterpriseImport.back')}
      </Button>
      <PageTitle>{t('enterpriseImport.title')}</PageTitle>
      <Steps
        current={step}
        orientation={isPhone ? 'vertical' : 'horizontal'}
        size="small"
        style={{ marginBottom: 24 }}
        items={[
          { title: t('enterpriseImport.stepTemplate') },
          { title: t('enterpriseImport.stepUpload') },
          { title: t('enterpriseImport.stepCheck') },
        ]}
      />
      <Card style={{ marginBottom: 16 }} title={`1. ${t('enterpriseImport.stepTemplate')}`} size="small">
        <Typography.Paragraph type="secondary">{t('enterpriseImport.templateDesc')}</Typography.Paragraph>
        <TemplateStep />
      </Card>
      <Card title={`${id ? 3 : 2}. ${id ? t('enterpriseImport.stepCheck') : t('enterpriseImport.stepUpload')}`} size="small">
        {id ? <JobView key={id} id={id} onRestart={() => setParams({})} /> : <UploadStep onStarted={(started) => setParams({ id: started })} />}
      </Card>
    </>
  );
}
