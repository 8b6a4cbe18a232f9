// The shipped reference data: GB/T 4754-2017 industries and the statistical division subset (domain-rules §2–3).
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import industries from './industries.json';
import regions from './regions.json';

interface Entry {
  code: string;
  name: string;
  level: number;
  parent?: string;
  note?: string;
}

const industryList: Entry[] = industries;
const regionList: Entry[] = regions;
const byCode = <T extends Entry>(list: T[]) => new Map(list.map((e) => [e.code, e]));

describe('industries.json (GB/T 4754-2017)', () => {
  const industryByCode = byCode(industryList);
  const at = (level: number) => industryList.filter((e) => e.level === level);

  it('has unique codes, names, the known fields only, and is sorted (门类 first, then by code)', () => {
    expect(industryByCode.size).toBe(industryList.length);
    for (const e of industryList) {
      expect(e.name.trim()).toBe(e.name);
      expect(e.name.length).toBeGreaterThan(0);
      expect(Object.keys(e).every((key) => ['code', 'name', 'level', 'parent', 'note'].includes(key))).toBe(true);
    }
    const codes = industryList.map((e) => e.code);
    const letters = codes.filter((c) => /^[A-Z]$/.test(c));
    expect(codes.slice(0, letters.length)).toEqual(letters);
    expect(codes.slice(letters.length)).toEqual([...codes.slice(letters.length)].sort());
  });

  it('has the 20 门类 A–T with the names of §2', () => {
    expect(at(1).map((e) => `${e.code} ${e.name}`)).toEqual([
      'A 农、林、牧、渔业',
      'B 采矿业',
      'C 制造业',
      'D 电力、热力、燃气及水生产和供应业',
      'E 建筑业',
      'F 批发和零售业',
      'G 交通运输、仓储和邮政业',
      'H 住宿和餐饮业',
      'I 信息传输、软件和信息技术服务业',
      'J 金融业',
      'K 房地产业',
      'L 租赁和商务服务业',
      'M 科学研究和技术服务业',
      'N 水利、环境和公共设施管理业',
      'O 居民服务、修理和其他服务业',
      'P 教育',
      'Q 卫生和社会工作',
      'R 文化、体育和娱乐业',
      'S 公共管理、社会保障和社会组织',
      'T 国际组织',
    ]);
    for (const e of at(1)) expect(e.parent).toBeUndefined();
  });

  it('has the 97 大类 01–97, each under the 门类 its number range belongs to', () => {
    const ranges: Array<[string, number, number]> = [
      ['A', 1, 5], ['B', 6, 12], ['C', 13, 43], ['D', 44, 46], ['E', 47, 50], ['F', 51, 52], ['G', 53, 60],
      ['H', 61, 62], ['I', 63, 65], ['J', 66, 69], ['K', 70, 70], ['L', 71, 72], ['M', 73, 75], ['N', 76, 79],
      ['O', 80, 82], ['P', 83, 83], ['Q', 84, 85], ['R', 86, 90], ['S', 91, 96], ['T', 97, 97],
    ];
    const divisions = at(2);
    expect(divisions).toHaveLength(97);
    expect(divisions.map((e) => e.code)).toEqual(Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')));
    for (const e of divisions) {
      const n = Number(e.code);
      const [section] = ranges.find(([, from, to]) => n >= from && n <= to)!;
      expect(e.parent, `大类 ${e.code}`).toBe(section);
    }
  });

  it('names the 制造业 大类 as §2 lists them', () => {
    const names = '农副食品加工业 食品制造业 酒、饮料和精制茶制造业 烟草制品业 纺织业 纺织服装、服饰业 皮革、毛皮、羽毛及其制品和制鞋业 木材加工和木、竹、藤、棕、草制品业 家具制造业 造纸和纸制品业 印刷和记录媒介复制业 文教、工美、体育和娱乐用品制造业 石油、煤炭及其他燃料加工业 化学原料和化学制品制造业 医药制造业 化学纤维制造业 橡胶和塑料制品业 非金属矿物制品业 黑色金属冶炼和压延加工业 有色金属冶炼和压延加工业 金属制品业 通用设备制造业 专用设备制造业 汽车制造业 铁路、船舶、航空航天和其他运输设备制造业 电气机械和器材制造业 计算机、通信和其他电子设备制造业 仪器仪表制造业 其他制造业 废弃资源综合利用业 金属制品、机械和设备修理业'.split(' ');
    expect(names).toHaveLength(31);
    names.forEach((name, i) => expect(industryByCode.get(String(13 + i))?.name).toBe(name));
  });

  it('puts every 中类 and 小类 under an existing parent whose code is its prefix', () => {
    for (const e of industryList.filter((x) => x.level >= 3)) {
      expect(e.code, e.code).toMatch(e.level === 3 ? /^\d{3}$/ : /^\d{4}$/);
      const parent = industryByCode.get(e.parent!);
      expect(parent, `parent of ${e.code}`).toBeDefined();
      expect(parent!.level).toBe(e.level - 1);
      expect(e.code.startsWith(parent!.code)).toBe(true);
    }
  });

  it('ships whole 中类: each one included has its 小类', () => {
    for (const group of at(3)) {
      expect(industryList.some((e) => e.parent === group.code), `小类 of ${group.code}`).toBe(true);
    }
  });

  it.each([
    ['1713', '棉印染精加工', '171'],
    ['1752', '化纤织物染整精加工', '175'],
    ['1763', '针织或钩针编织品制造', '176'],
    ['1830', '服饰制造', '183'],
    ['1910', '皮革鞣制加工', '191'],
    ['1931', '毛皮鞣制加工', '193'],
    ['1932', '毛皮服装加工', '193'],
    ['1939', '其他毛皮制品加工', '193'],
    ['2822', '涤纶纤维制造', '282'],
    ['3483', '弹簧制造', '348'],
    ['3484', '机械零部件加工', '348'],
    ['3421', '金属切削机床制造', '342'],
    ['3976', '光电子器件制造', '397'],
    ['4040', '光学仪器制造', '404'],
  ])('has the demo industry %s %s', (code, name, parent) => {
    expect(industryByCode.get(code)).toMatchObject({ code, name, level: 4, parent });
  });
});

describe('regions.json (2022 统计用区划代码, Zhejiang subset)', () => {
  const regionByCode = byCode(regionList);
  // The significant part of a code: 330000 → 33, 330400 → 3304, 330483 → 330483, then 9 and 12 digits.
  const significant = (r: Entry) => r.code.slice(0, [2, 4, 6, 9, 12][r.level - 1]);

  it('is small, sorted by code, with unique codes of the right length per level', () => {
    expect(statSync(new URL('./regions.json', import.meta.url)).size).toBeLessThan(1024 * 1024);
    expect(regionByCode.size).toBe(regionList.length);
    const codes = regionList.map((r) => r.code);
    expect(codes).toEqual([...codes].sort());
    for (const r of regionList) {
      expect(r.code, r.code).toMatch([/^\d{2}0000$/, /^\d{4}00$/, /^\d{6}$/, /^\d{9}$/, /^\d{12}$/][r.level - 1]);
    }
  });

  it('puts every region under an existing parent one level up whose code is its prefix', () => {
    for (const r of regionList) {
      if (r.level === 1) {
        expect(r.parent).toBeUndefined();
        continue;
      }
      const parent = regionByCode.get(r.parent!);
      expect(parent, `parent of ${r.code}`).toBeDefined();
      expect(parent!.level).toBe(r.level - 1);
      expect(r.code.startsWith(significant(parent!))).toBe(true);
    }
  });

  it.each([
    ['330000', '浙江省', 1],
    ['330400', '嘉兴市', 2],
    ['330483', '桐乡市', 3],
    ['330483107', '崇福镇', 4],
    ['330483103', '石门镇', 4],
    ['330483107010', '中山社区居委会', 5],
    ['330483107200', '城郊村村委会', 5],
    ['330600', '绍兴市', 2],
    ['330602', '越城区', 3],
    ['330603', '柯桥区', 3],
    ['330604', '上虞区', 3],
    ['330624', '新昌县', 3],
    ['330681', '诸暨市', 3],
    ['330683', '嵊州市', 3],
  ])('§3: %s is %s', (code, name, level) => {
    expect(regionByCode.get(code)).toMatchObject({ code, name, level });
  });

  it('has all 11 prefecture cities of Zhejiang and the counties of 嘉兴 and 绍兴', () => {
    const cities = regionList.filter((r) => r.level === 2);
    expect(cities.map((r) => r.code)).toEqual(Array.from({ length: 11 }, (_, i) => `33${String(i + 1).padStart(2, '0')}00`));
    const countiesOf = (city: string) => regionList.filter((r) => r.parent === city).map((r) => r.name);
    expect(countiesOf('330400')).toEqual(['南湖区', '秀洲区', '嘉善县', '海盐县', '海宁市', '平湖市', '桐乡市']);
    expect(countiesOf('330600')).toEqual(['越城区', '柯桥区', '上虞区', '新昌县', '诸暨市', '嵊州市']);
  });

  it('has townships for 桐乡 and every 绍兴 county, named by their segment (街道 / 镇 / 乡)', () => {
    for (const county of ['330483', '330602', '330603', '330604', '330624', '330681', '330683']) {
      expect(regionList.some((r) => r.parent === county), `townships of ${county}`).toBe(true);
    }
    for (const township of regionList.filter((r) => r.level === 4)) {
      const segment = Number(township.code.slice(6));
      const kind = segment < 100 ? '街道' : segment < 200 ? '镇' : '乡';
      expect(township.name.endsWith(kind), `${township.code} ${township.name}`).toBe(true);
    }
  });

  it('has the villages of 崇福镇 and no other villages', () => {
    const villages = regionList.filter((r) => r.level === 5);
    expect(villages.length).toBeGreaterThan(20);
    for (const village of villages) expect(village.parent).toBe('330483107');
  });
});
