import { CloseOutlined, FileExcelOutlined, FileImageOutlined, FileOutlined, FilePdfOutlined, FileWordOutlined, PaperClipOutlined } from '@ant-design/icons';
import type { Appeal, AppealAttachment } from '@qinqing/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, List, Progress, Typography, Upload } from 'antd';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format';
import { useMe } from '../../app/session';
import { errorText } from '../../app/errors';
import { appealKey, downloadAttachment, fetchAttachment, uploadAttachment } from './appeals.api';
import {
  admitFile,
  attachmentAccept,
  attachmentSlots,
  fileProblemText,
  formatFileSize,
  isImage,
  MAX_ATTACHMENTS,
  uploadErrorText,
  uploadInTurn,
  type UploadItem,
} from './attachment-model';

const THUMB = 48;

/**
 * A small square JPEG of an image as a data: URL. The picture is decoded by script (createImageBitmap) and drawn on
 * a canvas, so the page's Content-Security-Policy (img-src 'self' data:) holds and a phone keeps a few kilobytes per
 * thumbnail in memory instead of the whole photo.
 */
async function thumbnailOf(blob: Blob): Promise<string> {
  const bitmap = await createImageBitmap(blob);
  try {
    const side = Math.min(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = THUMB * 2;
    canvas.height = THUMB * 2;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.8);
  } finally {
    bitmap.close();
  }
}

function FileIcon({ name, contentType }: { name: string; contentType?: string }) {
  const lower = name.toLowerCase();
  const style = { fontSize: 28, color: '#8c8c8c' };
  if (contentType === 'application/pdf' || lower.endsWith('.pdf')) return <FilePdfOutlined style={{ ...style, color: '#cf1322' }} aria-hidden />;
  if (lower.endsWith('.docx')) return <FileWordOutlined style={{ ...style, color: '#1d5fbf' }} aria-hidden />;
  if (lower.endsWith('.xlsx')) return <FileExcelOutlined style={{ ...style, color: '#3ba272' }} aria-hidden />;
  if ((contentType && isImage(contentType)) || /\.(png|jpe?g)$/.test(lower)) return <FileImageOutlined style={style} aria-hidden />;
  return <FileOutlined style={style} aria-hidden />;
}

/** An image's thumbnail (fetched with the session cookie, or read from the chosen file), an icon for the rest. */
function Thumbnail({ name, contentType, cacheKey, source }: { name: string; contentType: string; cacheKey: readonly string[]; source: () => Promise<Blob> }) {
  const image = isImage(contentType);
  const thumbnail = useQuery({
    queryKey: ['appeal-attachment-thumbnails', ...cacheKey],
    queryFn: async () => thumbnailOf(await source()),
    enabled: image && typeof createImageBitmap === 'function',
    // Attachments never change: a thumbnail made once serves until the page is left.
    staleTime: Infinity,
    retry: false,
  });
  return (
    <span style={{ width: THUMB, height: THUMB, flex: 'none', display: 'inline-flex', alignItems: 'center', justifyContent: 'center', borderRadius: 4, overflow: 'hidden', background: '#f5f5f5' }}>
      {thumbnail.data ? <img src={thumbnail.data} alt={name} width={THUMB} height={THUMB} data-testid="attachment-thumbnail" /> : <FileIcon name={name} contentType={contentType} />}
    </span>
  );
}

/** One row of a file list: picture, name (a button when it can be opened), a line below and what can be done. */
function FileRow({ picture, name, onOpen, openLabel, below, extra }: { picture: ReactNode; name: string; onOpen?: () => void; openLabel?: string; below: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 12, alignItems: 'center', width: '100%', minWidth: 0 }}>
      {onOpen ? (
        <button type="button" onClick={onOpen} aria-hidden tabIndex={-1} style={{ padding: 0, border: 0, background: 'none', cursor: 'pointer', lineHeight: 0 }}>
          {picture}
        </button>
      ) : (
        picture
      )}
      <div style={{ flex: 1, minWidth: 0 }}>
        {onOpen ? (
          <Button type="link" onClick={onOpen} aria-label={openLabel} style={{ padding: 0, height: 'auto', textAlign: 'start', whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
            {name}
          </Button>
        ) : (
          <Typography.Text style={{ overflowWrap: 'anywhere' }}>{name}</Typography.Text>
        )}
        <div>{below}</div>
      </div>
      {extra}
    </div>
  );
}

function UploadProgress({ item }: { item: UploadItem }) {
  const { t } = useTranslation();
  if (item.status === 'failed') {
    return (
      <Typography.Text type="danger" role="alert" style={{ fontSize: 12 }}>
        {t('appeals.attachments.statuses.failed')}：{uploadErrorText(item.error, t)}
      </Typography.Text>
    );
  }
  if (item.status === 'waiting' || item.status === 'done') {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatFileSize(item.file.size)} · {t(`appeals.attachments.statuses.${item.status}`)}
      </Typography.Text>
    );
  }
  return <Progress percent={item.percent} size="small" status="active" aria-label={t('appeals.attachments.progressLabel', { name: item.file.name })} />;
}

/** Files chosen or being sent: each with its picture, size or progress, and (before sending) a remove button. */
function UploadList({ items, onRemove }: { items: readonly UploadItem[]; onRemove?: (uid: string) => void }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <List
      size="small"
      dataSource={[...items]}
      rowKey="uid"
      style={{ marginTop: 8 }}
      renderItem={(item) => (
        <List.Item style={{ paddingInline: 0 }}>
          <FileRow
            picture={<Thumbnail name={item.file.name} contentType={item.file.type} cacheKey={['chosen', item.uid]} source={async () => item.file} />}
            name={item.file.name}
            below={<UploadProgress item={item} />}
            extra={
              onRemove && item.status === 'waiting' ? (
                <Button type="text" icon={<CloseOutlined />} aria-label={t('appeals.attachments.remove', { name: item.file.name })} onClick={() => onRemove(item.uid)} />
              ) : null
            }
          />
        </List.Item>
      )}
    />
  );
}

/** Files refused before sending, each with its reason in the person's language. */
function Refused({ lines, onClose }: { lines: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  if (lines.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      closable={{ onClose }}
      style={{ marginTop: 8 }}
      title={t('appeals.attachments.refusedTitle')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {lines.map((line, index) => (
            <li key={index} style={{ overflowWrap: 'anywhere' }}>
              {line}
            </li>
          ))}
        </ul>
      }
    />
  );
}

let uidCounter = 0;
const nextUid = () => `chosen-${Date.now().toString(36)}-${(uidCounter += 1)}`;

/**
 * Chooses files and checks each before anything is sent (type by name, size, how many), holding the accepted
 * ones: antd's Upload only opens the chooser (`beforeUpload` returns false), the caller sends them.
 * `attached` is how many the appeal already has.
 */
function useFileChooser(attached: number, onAccepted: (items: UploadItem[]) => void, held: () => number) {
  const { t } = useTranslation();
  const [refused, setRefused] = useState<string[]>([]);
  // The files of one selection are offered one after another in the same task, before React re-renders: count
  // them as they come and hand the selection over once, after the last.
  const pending = useRef<{ accepted: UploadItem[]; refused: string[] } | null>(null);
  const beforeUpload = (file: File) => {
    if (!pending.current) {
      const selection = { accepted: [] as UploadItem[], refused: [] as string[] };
      pending.current = selection;
      queueMicrotask(() => {
        pending.current = null;
        setRefused(selection.refused);
        if (selection.accepted.length) onAccepted(selection.accepted);
      });
    }
    const current = pending.current;
    const problem = admitFile(file, held() + current.accepted.length, attached);
    if (problem) current.refused.push(fileProblemText(problem, file, t));
    else current.accepted.push({ uid: nextUid(), file, status: 'waiting', percent: 0 });
    // Held here; the caller sends it once the appeal exists (or at once on the appeal page).
    return false;
  };
  return { beforeUpload, refused, clearRefused: () => setRefused([]) };
}

/** The submit form's 附件 (and an answer's): photos and documents, chosen now and sent once the appeal (the answer) exists. */
export function AttachmentPicker({ items, onChange, sending, hint }: { items: UploadItem[]; onChange: (items: UploadItem[]) => void; sending: boolean; hint?: string }) {
  const { t } = useTranslation();
  const latest = useRef(items);
  latest.current = items;
  const chooser = useFileChooser(0, (accepted) => onChange([...latest.current, ...accepted]), () => latest.current.length);
  const full = items.length >= MAX_ATTACHMENTS;
  return (
    <div>
      <Upload accept={attachmentAccept} multiple showUploadList={false} beforeUpload={chooser.beforeUpload} disabled={sending || full}>
        <Button icon={<PaperClipOutlined />} disabled={sending || full}>
          {t('appeals.attachments.choose')}
        </Button>
      </Upload>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
        {full ? t('appeals.attachments.full', { max: String(MAX_ATTACHMENTS) }) : (hint ?? t('appeals.attachments.hint', { max: String(MAX_ATTACHMENTS) }))}
      </Typography.Paragraph>
      <Refused lines={chooser.refused} onClose={chooser.clearRefused} />
      <UploadList items={items} onRemove={sending ? undefined : (uid) => onChange(latest.current.filter((item) => item.uid !== uid))} />
    </div>
  );
}

/** 添加附件 on the appeal page: checks, then sends the chosen files one by one with their progress. */
function AddAttachments({ appeal, slots }: { appeal: Appeal; slots: number }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [items, setItems] = useState<UploadItem[]>([]);
  const busy = items.some((item) => item.status === 'waiting' || item.status === 'uploading');
  const queued = useRef(0);
  const chooser = useFileChooser(appeal.attachments.length, (accepted) => void send(accepted), () => queued.current);

  async function send(accepted: UploadItem[]) {
    queued.current += accepted.length;
    setItems((current) => [...current.filter((item) => item.status !== 'done'), ...accepted]);
    const patch = (uid: string, change: Partial<UploadItem>) => setItems((current) => current.map((item) => (item.uid === uid ? { ...item, ...change } : item)));
    await uploadInTurn(appeal.id, accepted, uploadAttachment, (uid, change) => {
      patch(uid, change);
      if (change.status === 'done') void queryClient.invalidateQueries({ queryKey: appealKey(appeal.id) });
    });
    queued.current -= accepted.length;
    // What went through shows in the list above; what failed stays here with its reason.
    setItems((current) => current.filter((item) => item.status !== 'done'));
  }

  return (
    <div style={{ marginTop: 12 }}>
      <Upload accept={attachmentAccept} multiple showUploadList={false} beforeUpload={chooser.beforeUpload} disabled={slots === 0 || busy}>
        <Button icon={<PaperClipOutlined />} disabled={slots === 0 || busy} loading={busy}>
          {t('appeals.attachments.add')}
        </Button>
      </Upload>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
        {slots === 0 ? t('appeals.attachments.full', { max: String(MAX_ATTACHMENTS) }) : t('appeals.attachments.hint', { max: String(MAX_ATTACHMENTS) })}
      </Typography.Paragraph>
      <Refused lines={chooser.refused} onClose={chooser.clearRefused} />
      <UploadList items={items} />
      {items.some((item) => item.status === 'failed') && !busy && (
        <Button size="small" type="link" style={{ paddingInline: 0 }} onClick={() => setItems([])}>
          {t('appeals.attachments.dismiss')}
        </Button>
      )}
    </div>
  );
}

/** Files that did not reach a just-submitted appeal (the form hands them over in the location's state). */
export interface FailedUpload {
  name: string;
  reason: string;
}

export function readFailedUploads(state: unknown): FailedUpload[] {
  const list = (state as { failedUploads?: unknown } | null)?.failedUploads;
  if (!Array.isArray(list)) return [];
  return list.filter((entry): entry is FailedUpload => typeof entry?.name === 'string' && typeof entry?.reason === 'string');
}

/** Files of an appeal — its own or a unit's answer's (name, size, who, when; a click saves it, images show a thumbnail). */
export function AttachmentList({ appealId, attachments }: { appealId: string; attachments: readonly AppealAttachment[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState<string | null>(null);

  const download = async (attachment: AppealAttachment) => {
    setDownloading(attachment.id);
    try {
      await downloadAttachment(appealId, attachment);
    } catch (error) {
      void message.error(errorText(error, t));
    } finally {
      setDownloading(null);
    }
  };

  return (
    <List
      size="small"
      dataSource={[...attachments]}
      rowKey="id"
      renderItem={(attachment) => (
        <List.Item style={{ paddingInline: 0 }}>
          <FileRow
            picture={<Thumbnail name={attachment.filename} contentType={attachment.contentType} cacheKey={[appealId, attachment.id]} source={() => fetchAttachment(appealId, attachment.id)} />}
            name={attachment.filename}
            onOpen={() => void download(attachment)}
            openLabel={t('appeals.attachments.download', { name: attachment.filename })}
            below={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[formatFileSize(attachment.size), attachment.uploadedByName, formatDateTime(attachment.createdAt)].filter(Boolean).join(' · ')}
                {downloading === attachment.id ? ` · ${t('appeals.attachments.downloading')}` : ''}
              </Typography.Text>
            }
          />
        </List.Item>
      )}
    />
  );
}

/** The appeal page's 附件: the appeal's own files, and 添加附件 while the appeal is open. */
export function AttachmentsCard({ appeal, failedUploads }: { appeal: Appeal; failedUploads: FailedUpload[] }) {
  const { t } = useTranslation();
  const me = useMe();
  const slots = attachmentSlots(appeal, me.permissions);

  return (
    <Card title={`${t('appeals.attachments.title')}${appeal.attachments.length ? `（${appeal.attachments.length}）` : ''}`} style={{ marginBottom: 16 }} role="region" aria-label={t('appeals.attachments.title')}>
      {failedUploads.length > 0 && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          style={{ marginBottom: 12 }}
          title={t('appeals.attachments.failedTitle')}
          description={
            <>
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {failedUploads.map((failed, index) => (
                  <li key={index} style={{ overflowWrap: 'anywhere' }}>
                    {failed.name}：{failed.reason}
                  </li>
                ))}
              </ul>
              {slots !== null && <div>{t('appeals.attachments.failedHint')}</div>}
            </>
          }
        />
      )}
      {appeal.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.attachments.none')} style={{ margin: '8px 0' }} />
      ) : (
        <AttachmentList appealId={appeal.id} attachments={appeal.attachments} />
      )}
      {slots !== null && <AddAttachments appeal={appeal} slots={slots} />}
    </Card>
  );
}
