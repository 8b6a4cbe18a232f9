import { PassThrough, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import type { CellValue } from './columns.js';
import { type ZipEntry, entryData, listZipEntries } from './zip-guard.js';

/** A cell as the importer reads it: text, or the number a numeric cell holds (a credit code typed as a number loses digits). */
export type ReadCell = string | number;

/**
 * The first worksheet's rows, each with its sheet row number, streamed from the zip with a stateful UTF-8
 * decoder. (exceljs's streaming WorkbookReader decodes each inflated chunk on its own and garbles a Chinese
 * character cut by a chunk boundary — exceljs issues #2063/#2084, open in 4.4.0 — so it is not used to read.)
 * Cached formula results are read, never formulas; styles are not needed (成立日期 numbers are day serials).
 */
export async function* readXlsxRows(bytes: Buffer, onProgress?: (fraction: number) => void): AsyncGenerator<{ row: number; cells: ReadCell[] }> {
  const entries = listZipEntries(bytes);
  if (!Array.isArray(entries)) throw new Error('not an xlsx file');
  const byName = new Map(entries.map((entry) => [entry.name.replace(/^\//, ''), entry]));
  const sheet = byName.get(await firstSheetPath(bytes, byName));
  if (!sheet) throw new Error('the workbook has no worksheet');

  const shared: string[] = [];
  const sharedEntry = byName.get('xl/sharedStrings.xml');
  if (sharedEntry) {
    let current: string[] | null = null;
    let inText = false;
    let phonetic = 0;
    for await (const events of xmlEvents(bytes, sharedEntry)) {
      for (const event of events) {
        if (event.kind === 'open') {
          if (event.name === 'si') current = [];
          else if (event.name === 'rPh') phonetic += 1;
          else if (event.name === 't' && phonetic === 0) inText = true;
        } else if (event.kind === 'close') {
          if (event.name === 'si') {
            shared.push((current ?? []).join(''));
            current = null;
          } else if (event.name === 'rPh') phonetic -= 1;
          else if (event.name === 't') inText = false;
        } else if (inText && current) current.push(event.text);
      }
    }
  }

  let rowNumber = 0;
  let cells: ReadCell[] = [];
  let column = 0;
  let type = '';
  let text: string[] = [];
  let collecting = false;
  for await (const events of xmlEvents(bytes, sheet, onProgress)) {
    const rows: Array<{ row: number; cells: ReadCell[] }> = [];
    for (const event of events) {
      if (event.kind === 'open') {
        switch (event.name) {
          case 'row':
            rowNumber = event.attributes.r ? Number(event.attributes.r) : rowNumber + 1;
            cells = [];
            column = 0;
            break;
          case 'c':
            column = event.attributes.r ? columnIndex(event.attributes.r) : column + 1;
            type = event.attributes.t ?? 'n';
            text = [];
            break;
          case 'v':
          case 't':
            collecting = true;
            break;
        }
      } else if (event.kind === 'close') {
        switch (event.name) {
          case 'v':
          case 't':
            collecting = false;
            break;
          case 'c':
            cells[column - 1] = cellValue(type, text.join(''), shared);
            break;
          case 'row':
            for (let index = 0; index < cells.length; index += 1) cells[index] ??= '';
            rows.push({ row: rowNumber, cells });
            break;
        }
      } else if (collecting) text.push(event.text);
    }
    yield* rows;
  }
}

function cellValue(type: string, text: string, shared: string[]): ReadCell {
  switch (type) {
    case 's':
      return shared[Number(text)] ?? '';
    case 'inlineStr':
    case 'str':
      return text;
    case 'b':
      return text === '1' ? 'TRUE' : 'FALSE';
    case 'e':
      return '';
    case 'd':
      return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
    default: {
      if (text === '') return '';
      const value = Number(text);
      return Number.isFinite(value) ? value : text;
    }
  }
}

/** "AB12" → 28 */
function columnIndex(reference: string): number {
  let index = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index;
}

/** The first sheet in workbook order (workbook.xml + its relationships), else the lowest-numbered sheet file. */
async function firstSheetPath(bytes: Buffer, byName: Map<string, ZipEntry>): Promise<string> {
  const fallback = [...byName.keys()].filter((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name)).sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))[0] ?? '';
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) return fallback;
  let relationId: string | undefined;
  for await (const events of xmlEvents(bytes, workbook)) {
    for (const event of events) {
      if (!relationId && event.kind === 'open' && event.name === 'sheet') relationId = event.attributes['r:id'] ?? Object.entries(event.attributes).find(([key]) => key.endsWith(':id'))?.[1];
    }
  }
  let target: string | undefined;
  for await (const events of xmlEvents(bytes, rels)) {
    for (const event of events) {
      if (event.kind === 'open' && event.name === 'Relationship' && event.attributes.Id === relationId) target = event.attributes.Target;
    }
  }
  if (!target) return fallback;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

type XmlEvent = { kind: 'open'; name: string; attributes: Record<string, string> } | { kind: 'close'; name: string } | { kind: 'text'; text: string };

/** SAX events of one zip entry, a batch per inflated chunk; names lose their namespace prefix (x:row → row). */
async function* xmlEvents(bytes: Buffer, entry: ZipEntry, onProgress?: (fraction: number) => void): AsyncGenerator<XmlEvent[]> {
  const data = entryData(bytes, entry);
  if (!data || (entry.method !== 0 && entry.method !== 8)) throw new Error(`cannot read ${entry.name}`);
  const parser = new SaxesParser();
  let events: XmlEvent[] = [];
  let failure: Error | null = null;
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  parser.on('opentag', (tag) => {
    events.push({ kind: 'open', name: local(tag.name), attributes: tag.attributes as Record<string, string> });
    if (tag.isSelfClosing) events.push({ kind: 'close', name: local(tag.name) });
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) events.push({ kind: 'close', name: local(tag.name) });
  });
  parser.on('text', (text) => events.push({ kind: 'text', text }));
  parser.on('cdata', (text) => events.push({ kind: 'text', text }));
  parser.on('error', (error) => {
    failure = error;
  });
  const decoder = new StringDecoder('utf8');
  const chunks: AsyncIterable<Buffer> = entry.method === 0 ? Readable.from([data]) : Readable.from([data]).pipe(createInflateRaw());
  let inflated = 0;
  for await (const chunk of chunks) {
    inflated += chunk.length;
    parser.write(decoder.write(chunk));
    if (failure) throw failure;
    onProgress?.(Math.min(1, inflated / Math.max(1, entry.uncompressed)));
    yield events;
    events = [];
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw failure;
  yield events;
}

/** Excel's day serial (1900 system) → YYYY-MM-DD, for date columns typed as plain numbers. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return null;
  const ms = Math.round((serial - 25569) * 86_400_000);
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Write rows to an xlsx stream with exceljs's streaming WorkbookWriter: rows are committed as they come, so a
 * large export never sits in memory as a workbook. Text columns are written as text (codes keep their zeros).
 */
export function xlsxStream(sheetName: string, header: string[], rows: AsyncIterable<CellValue[]> | Iterable<CellValue[]>): Readable {
  const output = new PassThrough();
  void (async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = header.map((title) => ({ header: title, width: Math.max(12, title.length * 2 + 4) }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const cells of rows) sheet.addRow(cells).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}
