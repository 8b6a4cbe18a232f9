import { createInstance } from 'i18next';
import { describe, expect, it, vi } from 'vitest';
import { enUS } from '../../app/locales/en-US';
import { zhCN } from '../../app/locales/zh-CN';

// The app's i18n module sets up the document; these tests read the same catalogues without it.
vi.mock('../../app/i18n', () => ({ currentLanguage: () => 'zh-CN' }));

const { ApiError } = await import('../../app/api-client');
const { admitFile, attachmentSlots, fileProblem, fileProblemText, formatFileSize, isImage, MAX_ATTACHMENT_BYTES, uploadErrorText, uploadInTurn } = await import('./attachment-model');
type UploadItem = import('./attachment-model').UploadItem;

const i18n = createInstance();
await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, lng: 'zh-CN', nsSeparator: false, interpolation: { escapeValue: false }, showSupportNotice: false });
const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');
const MB = 1024 * 1024;

describe('files checked before they are sent', () => {
  it('takes PDF, JPG, PNG, .docx and .xlsx by name, in any case, up to 10 MB', () => {
    for (const name of ['现场.PNG', 'photo.jpg', 'IMG_0001.jpeg', '报告.pdf', '合同.docx', '台账.XLSX']) expect(fileProblem({ name, size: 2 * MB })).toBeNull();
    expect(fileProblem({ name: '旧合同.doc', size: 1000 })).toBe('type');
    expect(fileProblem({ name: 'IMG_0002.HEIC', size: 1000 })).toBe('type');
    expect(fileProblem({ name: 'no-extension', size: 1000 })).toBe('type');
    expect(fileProblem({ name: 'photo.png.exe', size: 1000 })).toBe('type');
    expect(fileProblem({ name: 'big.jpg', size: MAX_ATTACHMENT_BYTES })).toBeNull();
    expect(fileProblem({ name: 'big.jpg', size: MAX_ATTACHMENT_BYTES + 1 })).toBe('size');
    expect(fileProblem({ name: 'empty.pdf', size: 0 })).toBe('empty');
  });

  it('stops at ten per appeal, counting those chosen and those already attached', () => {
    const photo = { name: 'a.jpg', size: 10 };
    expect(admitFile(photo, 9)).toBeNull();
    expect(admitFile(photo, 10)).toBe('count');
    expect(admitFile(photo, 3, 6)).toBeNull();
    expect(admitFile(photo, 3, 7)).toBe('count');
    // The file's own problem is named first.
    expect(admitFile({ name: 'a.gif', size: 10 }, 10)).toBe('type');
  });

  it('says what is wrong in Chinese, naming the allowed types and the 10 MB limit, and in English', () => {
    expect(fileProblemText('type', { name: '旧合同.doc', size: 1 }, zh)).toBe('「旧合同.doc」的类型不能上传：只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件');
    expect(fileProblemText('size', { name: '厂房.jpg', size: 12.5 * MB }, zh)).toBe('「厂房.jpg」有 12.5 MB，超过了 10 MB');
    expect(fileProblemText('count', { name: '第11张.jpg', size: 1 }, zh)).toBe('每件诉求最多 10 个附件，「第11张.jpg」未添加');
    expect(fileProblemText('size', { name: 'site.jpg', size: 11 * MB }, en)).toBe('“site.jpg” is 11 MB, more than 10 MB');
  });

  it('writes sizes as a person reads them', () => {
    expect(formatFileSize(812)).toBe('812 B');
    expect(formatFileSize(2048)).toBe('2 KB');
    expect(formatFileSize(12_595)).toBe('12.3 KB');
    expect(formatFileSize(4.5 * MB)).toBe('4.5 MB');
  });

  it('previews PNG and JPEG only', () => {
    expect(isImage('image/png')).toBe(true);
    expect(isImage('image/jpeg')).toBe(true);
    expect(isImage('application/pdf')).toBe(false);
  });
});

describe('who may add files to an appeal', () => {
  const attachments = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), filename: `${i}.png`, contentType: 'image/png', size: 1, uploadedByName: null, createdAt: '' }));
  const submitter = ['appeals:read', 'appeals:submit'];

  it('those who submit, while the appeal is open, up to ten', () => {
    expect(attachmentSlots({ status: 'pending', attachments: [] }, submitter)).toBe(10);
    expect(attachmentSlots({ status: 'answered', attachments: attachments(7) }, submitter)).toBe(3);
    expect(attachmentSlots({ status: 'in_progress', attachments: attachments(10) }, submitter)).toBe(0);
  });

  it('nobody once it is declined, rated, archived or merged, and never a reader or a handling unit', () => {
    for (const status of ['declined', 'rated', 'archived', 'merged'] as const) expect(attachmentSlots({ status, attachments: [] }, submitter)).toBeNull();
    expect(attachmentSlots({ status: 'pending', attachments: [] }, ['appeals:read', 'appeals:handle'])).toBeNull();
  });
});

describe('what the server said about an upload', () => {
  it('shows the file’s own problem as the server wrote it in the person’s language', () => {
    const type = new ApiError(400, 'VALIDATION_FAILED', '提交的内容有误，请检查标出的字段。', [{ field: 'file', message: '只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件' }]);
    expect(uploadErrorText(type, zh)).toBe('只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件');
    const tooLarge = new ApiError(413, 'PAYLOAD_TOO_LARGE', '提交的内容过大。', [{ field: 'file', message: '附件不能超过 10 MB' }]);
    expect(uploadErrorText(tooLarge, zh)).toBe('附件不能超过 10 MB');
  });

  it('explains a 413 without a body (a proxy) and a 409 (the appeal closed meanwhile) in its own words', () => {
    expect(uploadErrorText(new ApiError(413, 'PAYLOAD_TOO_LARGE', ''), zh)).toBe('附件不能超过 10 MB');
    expect(uploadErrorText(new ApiError(409, 'CONFLICT', '与现有数据冲突：诉求当前状态下不能执行此操作'), zh)).toBe('诉求已结束，不能再添加附件');
    expect(uploadErrorText(new ApiError(409, 'CONFLICT', ''), en)).toBe('This appeal is closed and takes no more attachments');
    expect(uploadErrorText(new ApiError(0, 'NETWORK', ''), zh)).toBe('无法连接服务器，请检查网络后重试。');
  });
});

describe('sending the chosen files', () => {
  const item = (uid: string): UploadItem => ({ uid, file: new File([uid], `${uid}.png`, { type: 'image/png' }), status: 'waiting', percent: 0 });

  it('sends them one after another with their progress, and a failure does not stop the rest', async () => {
    const log: string[] = [];
    const refused = new ApiError(400, 'VALIDATION_FAILED', '', [{ field: 'file', message: 'only PDF …' }]);
    let running = 0;
    const upload = async (appealId: string, file: File, { onProgress }: { onProgress: (fraction: number) => void }) => {
      running += 1;
      expect(running).toBe(1);
      log.push(`send ${appealId} ${file.name}`);
      onProgress(0.5);
      await new Promise((resolve) => setTimeout(resolve, 1));
      running -= 1;
      if (file.name === 'b.png') throw refused;
      return { id: file.name };
    };
    const states = new Map<string, Partial<UploadItem>[]>();
    const failed = await uploadInTurn('ap1', [item('a'), item('b'), item('c')], upload, (uid, patch) => states.set(uid, [...(states.get(uid) ?? []), patch]));
    expect(log).toEqual(['send ap1 a.png', 'send ap1 b.png', 'send ap1 c.png']);
    expect(failed.map((one) => [one.uid, one.error])).toEqual([['b', refused]]);
    expect(states.get('a')).toEqual([{ status: 'uploading', percent: 0, error: undefined }, { percent: 50 }, { status: 'done', percent: 100 }]);
    expect(states.get('b')?.at(-1)).toEqual({ status: 'failed', error: refused });
    expect(states.get('c')?.at(-1)).toEqual({ status: 'done', percent: 100 });
  });
});
