import type { CreateEnterpriseInput, EnterpriseScale, EnterpriseStatus } from '@qinqing/contracts';
import { maskPhone } from '../../../platform/audit/masking.js';
import { type EnterpriseRow, type StoredContact, parseList } from '../enterprises.repository.js';

/**
 * The columns of the import template, the export and the importer — one list, so export → import round-trips.
 * Headers are Chinese (the data language); lists inside a cell are separated by `；`.
 */
export const columns = [
  { key: 'creditCode', header: '统一社会信用代码', example: '91330483MA2B3C4D11' },
  { key: 'name', header: '企业名称', example: '桐乡市崇福示例皮草有限公司' },
  { key: 'formerNames', header: '曾用名', example: '桐乡市示例皮革厂；崇福示例裘皮厂' },
  { key: 'legalRepresentative', header: '法定代表人', example: '沈建国' },
  { key: 'registeredCapital', header: '注册资本（万元）', example: 500 },
  { key: 'establishedOn', header: '成立日期', example: '2012-05-18' },
  { key: 'industryCode', header: '行业代码', example: '1931' },
  { key: 'regionCode', header: '行政区划代码', example: '330483107200' },
  { key: 'revenue', header: '主营业务收入（万元）', example: 3200 },
  { key: 'scaleOverride', header: '规模调整', example: '' },
  { key: 'scaleOverrideReason', header: '规模调整理由', example: '' },
  { key: 'landArea', header: '用地面积（亩）', example: 25.5 },
  { key: 'park', header: '所在园区', example: '崇福皮草产业园' },
  { key: 'address', header: '地址', example: '浙江省桐乡市崇福镇示例路 8 号' },
  { key: 'contactName', header: '联系人', example: '沈丽' },
  { key: 'contactTitle', header: '联系人职务', example: '总经理' },
  { key: 'contactPhone', header: '联系电话', example: '13800001234' },
  { key: 'tags', header: '标签', example: '高新技术企业；出口型' },
  { key: 'status', header: '经营状态', example: '在营' },
] as const;

export type ColumnKey = (typeof columns)[number]['key'];
export type Cells = Partial<Record<ColumnKey, string>>;
export const headers: string[] = columns.map((column) => column.header);
export const requiredColumns: ColumnKey[] = ['creditCode', 'name', 'industryCode', 'regionCode'];
const numericColumns: ColumnKey[] = ['registeredCapital', 'revenue', 'landArea'];

export const statusLabels: Record<EnterpriseStatus, string> = { operating: '在营', suspended: '停产', deregistered: '注销' };
export const scaleLabels: Record<EnterpriseScale, string> = { above: '规上', below: '规下' };
const statusByLabel = new Map(Object.entries(statusLabels).map(([status, label]) => [label, status as EnterpriseStatus]));
const scaleByLabel = new Map(Object.entries(scaleLabels).map(([scale, label]) => [label, scale as EnterpriseScale]));

const LIST_SEPARATOR = '；';

/** A header as people type it: spaces dropped, half-width parentheses made full-width. */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').replace(/\s/g, '').replace(/\(/g, '（').replace(/\)/g, '）');
}
const columnByHeader = new Map(columns.map((column) => [normaliseHeader(column.header), column.key as ColumnKey]));
export function columnOfHeader(header: string): ColumnKey | undefined {
  return columnByHeader.get(normaliseHeader(header));
}
export const headerOf = Object.fromEntries(columns.map((column) => [column.key, column.header])) as Record<ColumnKey, string>;

// Spreadsheet formula injection: a cell starting with one of these runs as a formula in Excel/WPS. Exports
// prefix such cells with ' ; a leading ' itself is doubled, so the importer can strip exactly one and
// round-trip every value.
const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeCell(value: string): string {
  return FORMULA_START.test(value) || value.startsWith("'") ? `'${value}` : value;
}

export function unescapeCell(value: string): string {
  return value.length > 1 && value.startsWith("'") && (FORMULA_START.test(value.slice(1)) || value[1] === "'") ? value.slice(1) : value;
}

function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value.split(/[；;]/).map((part) => part.trim());
}

/** One problem in one cell, in both languages (the import's errors are stored and shown later). */
export interface CellProblem {
  column: ColumnKey | '';
  message: { 'zh-CN': string; 'en-US': string };
}

function problem(column: ColumnKey, zh: string, en: string): CellProblem {
  return { column, message: { 'zh-CN': zh, 'en-US': en } };
}

function parseNumber(value: string): number | null {
  const cleaned = value.replace(/[,，\s]/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** 2012-05-18, 2012/5/18, 2012.5.18, 2012年5月18日 → 2012-05-18; anything else is left for the schema to refuse. */
function parseDate(value: string): string {
  const match = value.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/);
  if (!match) return value;
  return `${match[1]}-${match[2].padStart(2, '0')}-${match[3].padStart(2, '0')}`;
}

/**
 * The cells of one row (already unescaped and trimmed) as the registry's input, or the problems of cells that
 * cannot even be read (a number column holding text, an unknown status). Domain checks come after.
 */
export function cellsToInput(cells: Cells): { input: CreateEnterpriseInput; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const text = (key: ColumnKey) => (cells[key] ? cells[key] : undefined);
  const numbers: Partial<Record<ColumnKey, number>> = {};
  for (const key of numericColumns) {
    const raw = text(key);
    if (raw === undefined) continue;
    const value = parseNumber(raw);
    if (value === null) problems.push(problem(key, '应为数字', 'must be a number'));
    else numbers[key] = value;
  }
  let scaleOverride: EnterpriseScale | undefined;
  const scaleText = text('scaleOverride');
  if (scaleText !== undefined) {
    scaleOverride = scaleByLabel.get(scaleText);
    if (!scaleOverride) problems.push(problem('scaleOverride', '应为“规上”或“规下”，不调整请留空', 'must be 规上 or 规下, or empty'));
  }
  let status: EnterpriseStatus | undefined;
  const statusText = text('status');
  if (statusText !== undefined) {
    status = statusByLabel.get(statusText);
    if (!status) problems.push(problem('status', '应为“在营”“停产”或“注销”', 'must be 在营, 停产 or 注销'));
  }
  const names = splitList(text('contactName'));
  const titles = splitList(text('contactTitle'));
  const phones = splitList(text('contactPhone'));
  const contacts: NonNullable<CreateEnterpriseInput['contacts']> = [];
  for (let index = 0; index < Math.max(names.length, titles.length, phones.length); index += 1) {
    const [name, title, phone] = [names[index] ?? '', titles[index] ?? '', phones[index] ?? ''];
    if (!name && !title && !phone) continue;
    contacts.push({ name, title: title || null, phone: phone || null });
  }
  const establishedOn = text('establishedOn');
  const input: CreateEnterpriseInput = {
    creditCode: cells.creditCode ?? '',
    name: cells.name ?? '',
    formerNames: splitList(text('formerNames')).filter(Boolean),
    legalRepresentative: text('legalRepresentative') ?? null,
    registeredCapital: numbers.registeredCapital ?? null,
    establishedOn: establishedOn ? parseDate(establishedOn) : null,
    industryCode: cells.industryCode ?? '',
    regionCode: cells.regionCode ?? '',
    revenue: numbers.revenue ?? null,
    scaleOverride: scaleOverride ?? null,
    scaleOverrideReason: text('scaleOverrideReason') ?? null,
    landArea: numbers.landArea ?? null,
    park: text('park') ?? null,
    address: text('address') ?? null,
    contacts,
    tags: splitList(text('tags')).filter(Boolean),
    status: status ?? 'operating',
  };
  return { input, problems };
}

/** Which column a field of CreateEnterpriseInput (as named in zod paths and domain issues) came from. */
export function columnOfField(field: string): ColumnKey | '' {
  const [head, , leaf] = field.split('.');
  if (head === 'contacts') return leaf === 'title' ? 'contactTitle' : leaf === 'phone' ? 'contactPhone' : 'contactName';
  if (head === 'overrideCreditCodeCheck') return 'creditCode';
  return (columns.some((column) => column.key === head) ? head : '') as ColumnKey | '';
}

export type CellValue = string | number;

/**
 * One enterprise row as export cells, in column order: numbers stay numbers (xlsx keeps them numeric), text is
 * escaped against formula injection, phones masked unless the caller may see them.
 */
export function rowToCells(row: EnterpriseRow, options: { revealPhones: boolean }): CellValue[] {
  const contacts = parseList<StoredContact>(row.contacts);
  const values: Record<ColumnKey, CellValue | null> = {
    creditCode: row.credit_code,
    name: row.name,
    formerNames: parseList<string>(row.former_names).join(LIST_SEPARATOR),
    legalRepresentative: row.legal_representative,
    registeredCapital: row.registered_capital,
    establishedOn: row.established_on,
    industryCode: row.industry_code,
    regionCode: row.region_code,
    revenue: row.revenue,
    scaleOverride: row.scale_override_reason ? scaleLabels[row.scale as EnterpriseScale] : null,
    scaleOverrideReason: row.scale_override_reason,
    landArea: row.land_area,
    park: row.park,
    address: row.address,
    contactName: contacts.map((contact) => contact.name).join(LIST_SEPARATOR),
    contactTitle: contacts.length > 1 || contacts[0]?.title ? contacts.map((contact) => contact.title ?? '').join(LIST_SEPARATOR) : '',
    contactPhone: contacts.length > 1 || contacts[0]?.phone ? contacts.map((contact) => (options.revealPhones ? (contact.phone ?? '') : (maskPhone(contact.phone) ?? ''))).join(LIST_SEPARATOR) : '',
    tags: parseList<string>(row.tags).join(LIST_SEPARATOR),
    status: statusLabels[row.status as EnterpriseStatus] ?? row.status,
  };
  return columns.map((column) => {
    const value = values[column.key];
    if (value === null || value === undefined) return '';
    return typeof value === 'number' ? value : escapeCell(value);
  });
}

/** The template's example row. */
export function exampleCells(): CellValue[] {
  return columns.map((column) => column.example);
}
