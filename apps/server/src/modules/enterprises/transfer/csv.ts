import iconv from 'iconv-lite';

export const UTF8_BOM = '\uFEFF';

/**
 * The text of a csv file: UTF-8 (with or without BOM) when the bytes are valid UTF-8, else GBK — what Excel
 * and WPS on a Chinese Windows save as "CSV". Decoded as GB18030, GBK's superset, so nothing is lost.
 */
export function decodeCsv(bytes: Buffer): { text: string; encoding: 'utf-8' | 'gbk' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gbk' };
  }
}

/**
 * RFC 4180 records with their 1-based record number (what a spreadsheet shows as the row number): quoted fields
 * may hold commas, quotes ("") and line breaks; CRLF, LF and CR all end a record.
 */
export function* parseCsv(text: string): Generator<{ row: number; fields: string[] }> {
  let position = text.startsWith(UTF8_BOM) ? 1 : 0;
  const length = text.length;
  let row = 0;
  while (position < length) {
    const fields: string[] = [];
    row += 1;
    for (;;) {
      let value = '';
      if (text.charCodeAt(position) === 34 /* " */) {
        position += 1;
        for (;;) {
          const quote = text.indexOf('"', position);
          if (quote === -1) {
            value += text.slice(position);
            position = length;
            break;
          }
          value += text.slice(position, quote);
          position = quote + 1;
          if (text.charCodeAt(position) === 34) {
            value += '"';
            position += 1;
          } else break;
        }
        // Anything between the closing quote and the separator is kept, as spreadsheets do.
        while (position < length && !isSeparator(text.charCodeAt(position))) value += text[position++];
      } else {
        const start = position;
        while (position < length && !isSeparator(text.charCodeAt(position))) position += 1;
        value = text.slice(start, position);
      }
      fields.push(value);
      const code = text.charCodeAt(position);
      if (code === 44 /* , */) {
        position += 1;
        continue;
      }
      if (code === 13 /* \r */) position += text.charCodeAt(position + 1) === 10 ? 2 : 1;
      else if (code === 10 /* \n */) position += 1;
      break;
    }
    yield { row, fields };
  }
}

function isSeparator(code: number): boolean {
  return code === 44 || code === 10 || code === 13;
}

/** One csv line (CRLF-terminated), quoting fields that need it. */
export function csvLine(values: Array<string | number>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
