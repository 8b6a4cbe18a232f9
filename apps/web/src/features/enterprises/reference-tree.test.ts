import { describe, expect, it } from 'vitest';
import { buildCascaderOptions, pathLabel, pathTo, type TreeEntry } from './reference-tree';

const industries: TreeEntry[] = [
  { code: 'A', name: '农、林、牧、渔业', level: 1, parent: null },
  { code: 'C', name: '制造业', level: 1, parent: null },
  { code: '01', name: '农业', level: 2, parent: 'A' },
  { code: '17', name: '纺织业', level: 2, parent: 'C' },
  { code: '171', name: '棉纺织及印染精加工', level: 3, parent: '17' },
  { code: '1713', name: '棉印染精加工', level: 4, parent: '171' },
  { code: '19', name: '皮革、毛皮、羽毛及其制品和制鞋业', level: 2, parent: 'C' },
];

describe('cascader options from a reference table', () => {
  it('nests 门类 → 大类 → 中类 → 小类 in table order', () => {
    expect(buildCascaderOptions(industries)).toEqual([
      { value: 'A', label: '农、林、牧、渔业', children: [{ value: '01', label: '农业' }] },
      {
        value: 'C',
        label: '制造业',
        children: [
          { value: '17', label: '纺织业', children: [{ value: '171', label: '棉纺织及印染精加工', children: [{ value: '1713', label: '棉印染精加工' }] }] },
          { value: '19', label: '皮革、毛皮、羽毛及其制品和制鞋业' },
        ],
      },
    ]);
  });

  it('cuts the tree at a level and makes orphans roots', () => {
    expect(buildCascaderOptions(industries, 2).find((option) => option.value === 'C')?.children?.[0]).toEqual({ value: '17', label: '纺织业' });
    const regions: TreeEntry[] = [
      { code: '330483', name: '桐乡市', level: 3, parent: '330400' },
      { code: '330483107', name: '崇福镇', level: 4, parent: '330483' },
    ];
    expect(buildCascaderOptions(regions)).toEqual([{ value: '330483', label: '桐乡市', children: [{ value: '330483107', label: '崇福镇' }] }]);
  });

  it('finds the path and label of a code at any level', () => {
    expect(pathTo(industries, '1713')).toEqual(['C', '17', '171', '1713']);
    expect(pathTo(industries, 'C')).toEqual(['C']);
    expect(pathTo(industries, '9999')).toEqual([]);
    expect(pathTo(industries, undefined)).toEqual([]);
    expect(pathLabel(industries, '171')).toBe('制造业 / 纺织业 / 棉纺织及印染精加工');
  });

  it('does not loop on a cycle in bad data', () => {
    expect(pathTo([{ code: 'x', name: 'x', level: 1, parent: 'y' }, { code: 'y', name: 'y', level: 1, parent: 'x' }], 'x')).toEqual(['y', 'x']);
  });
});
