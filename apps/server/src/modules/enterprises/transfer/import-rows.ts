import { checkCreditCode, createEnterpriseInputSchema } from '@qinqing/contracts';
import type { Actor } from '../../../platform/actor.js';
import { describeIssue } from '../../../platform/http/error-handler.js';
import { translatePhrase } from '../../../platform/messages.js';
import { isWithinRegion } from '../enterprises.access.js';
import type { EnterpriseRow } from '../enterprises.repository.js';
import { type EnterpriseValues, checkEnterpriseInput, diffValues } from '../enterprise-input.js';
import { type Cells, type ColumnKey, cellsToInput, columnOfField, columnOfHeader, headerOf, requiredColumns, unescapeCell } from './columns.js';
import { type ReadCell, excelSerialToDate } from './xlsx.js';

export const MAX_LISTED_ERRORS = 1000;
export const MAX_ROWS = 200_000;
const CHUNK = 500;

export type Bilingual = { 'zh-CN': string; 'en-US': string };
/** One problem as stored: the row as the user sees it in the file (header = 1), the Chinese header, the message. */
export interface StoredImportError {
  row: number;
  column: string;
  message: Bilingual;
}

export type RowAction = 'new' | 'updated' | 'unchanged';
export interface CheckedRow {
  row: number;
  values: EnterpriseValues;
  action: RowAction;
}

export interface ImportSummary {
  total: number;
  new: number;
  updated: number;
  unchanged: number;
  invalid: number;
}

export interface CheckDeps {
  /** The importer: whose region bounds what the file may create or change. */
  actor: Pick<Actor, 'regionCode'>;
  /** Existing enterprises by normalised credit code. */
  findExisting(codes: string[]): Promise<Map<string, EnterpriseRow>>;
  /** Valid rows, a chunk at a time, while the file has had no error yet. */
  onRows(rows: CheckedRow[]): Promise<void>;
  /** After each chunk: rows read so far and problems found so far. */
  onProgress?(rowsRead: number, errorCount: number): Promise<void>;
}

const bilingual = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, 'en-US': en });

/**
 * Check every row of an import file without writing anything: each row is read, validated exactly as a form
 * would be (checkEnterpriseInput), matched to an existing enterprise by normalised credit code and classed
 * new / updated / unchanged. Errors name the row and the Chinese header of the column.
 */
export async function checkImportRows(records: AsyncIterable<{ row: number; cells: ReadCell[] }>, deps: CheckDeps) {
  const errors: StoredImportError[] = [];
  let errorCount = 0;
  const invalidRows = new Set<number>();
  const summary: ImportSummary = { total: 0, new: 0, updated: 0, unchanged: 0, invalid: 0 };
  const addError = (row: number, column: ColumnKey | '', message: Bilingual) => {
    errorCount += 1;
    invalidRows.add(row);
    if (errors.length < MAX_LISTED_ERRORS) errors.push({ row, column: column ? headerOf[column] : '', message });
  };
  const result = () => ({ errors, errorCount, summary: { ...summary, invalid: invalidRows.size } });

  let columnIndex: Array<ColumnKey | undefined> | null = null;
  const firstRowOf = new Map<string, number>();
  let chunk: Array<{ row: number; cells: Cells; numericCode: boolean }> = [];

  const flush = async () => {
    if (chunk.length === 0) return;
    const pending = chunk;
    chunk = [];
    const existing = await deps.findExisting([...new Set(pending.map((item) => checkCreditCode(item.cells.creditCode ?? '').normalised))]);
    const valid: CheckedRow[] = [];
    for (const item of pending) {
      const checked = checkRow(item, existing);
      if (checked) valid.push(checked);
    }
    if (errorCount === 0 && valid.length) await deps.onRows(valid);
  };

  const checkRow = (item: { row: number; cells: Cells; numericCode: boolean }, existingByCode: Map<string, EnterpriseRow>): CheckedRow | null => {
    const { row, cells } = item;
    if (item.numericCode) {
      addError(row, 'creditCode', bilingual('此列被存为数字，已丢失位数；请把该列设为“文本”格式后重新填写', 'stored as a number, which loses digits; format the column as text and type the codes again'));
      return null;
    }
    const code = checkCreditCode(cells.creditCode ?? '').normalised;
    const existing = code ? existingByCode.get(code) : undefined;
    const { input, problems } = cellsToInput(cells);
    for (const problem of problems) addError(row, problem.column, problem.message);
    // A code an administrator already accepted despite its check character (is_credit_code_override) stays accepted.
    const parsed = createEnterpriseInputSchema.safeParse({ ...input, overrideCreditCodeCheck: existing?.is_credit_code_override === 1 });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.');
        if (problems.some((problem) => problem.column === columnOfField(field))) continue;
        const isBlank = issue.code === 'too_small' && Number((issue as { minimum?: number }).minimum) === 1;
        const say = (locale: 'zh-CN' | 'en-US') => (isBlank ? translatePhrase('required', locale) : describeIssue(issue as never, locale));
        addError(row, columnOfField(field), bilingual(say('zh-CN'), say('en-US')));
      }
      return null;
    }
    const checked = checkEnterpriseInput(parsed.data, { mayOverride: existing?.is_credit_code_override === 1 });
    if (!checked.ok) {
      for (const issue of checked.issues) {
        addError(row, columnOfField(issue.field), issue.localized ?? bilingual(translatePhrase(issue.message, 'zh-CN'), translatePhrase(issue.message, 'en-US')));
      }
      return null;
    }
    if (problems.length) return null;
    const { values } = checked.result;
    const first = firstRowOf.get(values.credit_code);
    if (first !== undefined) {
      addError(row, 'creditCode', bilingual(`与第 ${first} 行的统一社会信用代码重复`, `the same credit code as row ${first}`));
      return null;
    }
    firstRowOf.set(values.credit_code, row);
    const region = deps.actor.regionCode;
    if (!region || !isWithinRegion(values.region_code, region) || (existing && !isWithinRegion(existing.region_code, region))) {
      addError(row, 'regionCode', bilingual('不在您的管辖范围内', 'outside your region'));
      return null;
    }
    const action: RowAction = !existing ? 'new' : Object.keys(diffValues(existing as EnterpriseValues, values)).length ? 'updated' : 'unchanged';
    summary[action] += 1;
    return { row, values, action };
  };

  for await (const record of records) {
    if (!columnIndex) {
      columnIndex = record.cells.map((cell) => columnOfHeader(String(cell)));
      record.cells.forEach((cell, index) => {
        if (String(cell).trim() && !columnIndex![index]) addError(record.row, '', bilingual(`不认识的列“${String(cell).trim()}”，请使用导入模板`, `unknown column “${String(cell).trim()}”; use the import template`));
      });
      for (const key of requiredColumns) {
        if (!columnIndex.includes(key)) addError(record.row, key, bilingual('缺少此列，请使用导入模板', 'this column is missing; use the import template'));
      }
      if (errorCount > 0) return result();
      continue;
    }
    const cells: Cells = {};
    let numericCode = false;
    let isEmpty = true;
    record.cells.forEach((raw, index) => {
      const key = columnIndex![index];
      if (!key) return;
      let value: string;
      if (typeof raw === 'number') {
        if (key === 'creditCode' && raw >= 1e15) numericCode = true;
        value = key === 'establishedOn' ? (excelSerialToDate(raw) ?? String(raw)) : String(raw);
      } else {
        value = unescapeCell(raw.trim()).trim();
      }
      if (value) isEmpty = false;
      cells[key] = value;
    });
    if (isEmpty) continue;
    summary.total += 1;
    if (summary.total > MAX_ROWS) {
      addError(record.row, '', bilingual(`一次最多导入 ${MAX_ROWS} 行，请拆分文件`, `at most ${MAX_ROWS} rows per import; split the file`));
      summary.total -= 1;
      break;
    }
    chunk.push({ row: record.row, cells, numericCode });
    if (chunk.length >= CHUNK) {
      await flush();
      await deps.onProgress?.(summary.total, errorCount);
    }
  }
  await flush();
  if (!columnIndex) addError(1, '', bilingual('文件是空的，请使用导入模板', 'the file is empty; use the import template'));
  return result();
}
