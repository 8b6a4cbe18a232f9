// The demo town's vocabulary: 崇福镇's industries (GB/T 4754-2017 codes), the words its company names are made
// of, its villages, parks and roads. Facts about the town come from the seed article
// (../shared/seed/chongfu-shaoxing-article.zh.txt); the people and companies built from them are fictitious.

/** Industry sectors of the town, by weight in the enterprise count (fur and leather first, as in 崇福). */
export type Sector = 'fur' | 'textile' | 'metal' | 'machinery' | 'optics' | 'fibre' | 'other';

export interface DemoIndustry {
  code: string;
  sector: Sector;
  /** Share of the town's enterprises, in per mille of the total weight. */
  weight: number;
  /** Words that name the business in a company name (桐乡市 + 字号 + word + 有限公司). */
  words: readonly string[];
}

export const demoIndustries: readonly DemoIndustry[] = [
  // 皮革、毛皮 (19): 崇福 is 中国皮草名城.
  { code: '1931', sector: 'fur', weight: 80, words: ['皮草', '毛皮', '裘皮', '皮毛'] },
  { code: '1932', sector: 'fur', weight: 140, words: ['皮草服饰', '裘皮服装', '皮草时装', '服饰'] },
  { code: '1939', sector: 'fur', weight: 60, words: ['皮草制品', '毛皮制品', '裘革制品', '皮毛饰品'] },
  { code: '1910', sector: 'fur', weight: 10, words: ['制革', '皮革'] },
  { code: '1921', sector: 'fur', weight: 10, words: ['皮革服装', '皮衣'] },
  // 纺织、印染、针织 (17, 18)
  { code: '1713', sector: 'textile', weight: 30, words: ['印染', '染整'] },
  { code: '1752', sector: 'textile', weight: 40, words: ['印染', '染整', '纺织印染'] },
  { code: '1751', sector: 'textile', weight: 40, words: ['纺织', '织造', '化纤织造'] },
  { code: '1761', sector: 'textile', weight: 40, words: ['针织', '经编', '针纺织'] },
  { code: '1763', sector: 'textile', weight: 20, words: ['针织制品', '针织'] },
  { code: '1722', sector: 'textile', weight: 10, words: ['毛纺', '毛织'] },
  { code: '1779', sector: 'textile', weight: 10, words: ['家纺', '纺织品'] },
  { code: '1829', sector: 'textile', weight: 20, words: ['针织服饰', '服装'] },
  { code: '1830', sector: 'textile', weight: 20, words: ['袜业', '针织服饰'] },
  // 弹簧与金属制品 (33, 348x)
  { code: '3483', sector: 'metal', weight: 50, words: ['弹簧', '弹簧制造'] },
  { code: '3484', sector: 'metal', weight: 40, words: ['机械', '精密机械', '五金机械'] },
  { code: '3482', sector: 'metal', weight: 20, words: ['紧固件', '标准件'] },
  { code: '3399', sector: 'metal', weight: 10, words: ['五金', '金属制品'] },
  { code: '3360', sector: 'metal', weight: 10, words: ['表面处理', '热处理'] },
  { code: '3311', sector: 'metal', weight: 10, words: ['钢结构', '金属结构'] },
  // 精密机械 (34, 35)
  { code: '3425', sector: 'machinery', weight: 20, words: ['精密机床附件', '机床部件'] },
  { code: '3421', sector: 'machinery', weight: 10, words: ['数控机床', '机床'] },
  { code: '3444', sector: 'machinery', weight: 10, words: ['液压', '液压机械'] },
  { code: '3453', sector: 'machinery', weight: 20, words: ['齿轮', '传动机械'] },
  { code: '3412', sector: 'machinery', weight: 10, words: ['动力机械', '内燃机配件'] },
  { code: '3551', sector: 'machinery', weight: 15, words: ['纺织机械', '针织机械'] },
  { code: '3552', sector: 'machinery', weight: 10, words: ['皮革机械', '皮草机械'] },
  { code: '3499', sector: 'machinery', weight: 5, words: ['智能装备', '自动化设备'] },
  // 光学与电子 (39, 40)
  { code: '4040', sector: 'optics', weight: 20, words: ['光学', '精密光学', '光学仪器'] },
  { code: '3976', sector: 'optics', weight: 20, words: ['光电', '光电科技'] },
  { code: '3982', sector: 'optics', weight: 10, words: ['电子', '电路板'] },
  { code: '3983', sector: 'optics', weight: 10, words: ['传感科技', '传感器'] },
  { code: '3813', sector: 'optics', weight: 10, words: ['电机', '微电机'] },
  { code: '3831', sector: 'optics', weight: 10, words: ['电线电缆', '线缆'] },
  // 化学纤维 (28)
  { code: '2822', sector: 'fibre', weight: 30, words: ['化纤', '涤纶', '新材料'] },
  { code: '2826', sector: 'fibre', weight: 10, words: ['氨纶', '化纤'] },
  { code: '2829', sector: 'fibre', weight: 10, words: ['化纤', '纤维科技'] },
  // 其他
  { code: '2929', sector: 'other', weight: 30, words: ['塑料制品', '塑胶'] },
  { code: '2921', sector: 'other', weight: 10, words: ['塑料薄膜', '包装材料'] },
  { code: '2913', sector: 'other', weight: 10, words: ['橡胶制品', '橡塑'] },
  { code: '26', sector: 'other', weight: 10, words: ['化工', '助剂'] },
  { code: '22', sector: 'other', weight: 10, words: ['纸业', '纸制品'] },
  { code: '23', sector: 'other', weight: 10, words: ['印刷', '包装印刷'] },
  { code: '21', sector: 'other', weight: 10, words: ['家具', '木业'] },
  { code: '30', sector: 'other', weight: 10, words: ['建材', '新型建材'] },
  { code: '13', sector: 'other', weight: 10, words: ['食品', '农产品加工'] },
];

/** Revenue per 亩 relative to the town's median, by sector (chemical fibre is capital-heavy, fur is in a downturn). */
export const sectorRevenueFactor: Record<Sector, number> = { fur: 0.8, textile: 1.0, metal: 1.0, machinery: 1.15, optics: 1.35, fibre: 1.8, other: 0.85 };

/** Founding years by sector: fur and dyeing are old trades here, optics is young. */
export const sectorFoundedFrom: Record<Sector, number> = { fur: 1988, textile: 1990, metal: 1993, machinery: 1996, optics: 2004, fibre: 1998, other: 1992 };

/**
 * Characters of 字号 (trade names), paired two at a time (three for towns of more than 150² enterprises).
 * 150 characters: 22,500 two-character names, 3,375,000 three-character ones.
 */
export const tradeNameCharacters = [...new Set(
  '鑫隆兴华盛达宏伟恒昌荣丰泰源祥瑞嘉德金银新天宇海东南中永福顺通利康佳美锦绣亿万博远杰特品研裘格兰菱凯龙凤亚欧联合众信诚和安正汇明光辉星晨阳春秋润泽江河湖山峰林森宁灵秀精益科创力迅捷飞越腾跃雅尚臻卓弘振立成家业达顺鸿富贵吉如意乐群英豪雄威浩瀚晟昊旭曜煜琪瑶璐珂蓝青翔宝元亨茂盈裕旺昇升友邦帆航骏驰逸悦欣怡晶莹纬经纶织'.replace(/\s/g, ''),
)].slice(0, 150);

export const companyPrefixes = [
  { prefix: '桐乡市', weight: 85 },
  { prefix: '浙江', weight: 10 },
  { prefix: '嘉兴', weight: 5 },
] as const;

/** Surnames common in 桐乡 and 嘉兴, most frequent first. */
export const surnames = [...'沈徐张王陈李朱钱吴周陆姚顾屠蔡杨孙费俞褚金胡许曹凌汪范高马叶邵蒋施丁郁戴宋冯潘董'];
export const givenNameCharacters = [...'建国伟明华军平芳英丽敏静娟红燕霞杰强磊涛斌勇刚峰林鹏超辉亮波宇浩晨佳欣怡雯婷倩琳慧颖振岗芸露婷利清根宝荣富金兴海文忠良'];

export const contactTitles = ['总经理', '董事长', '办公室主任', '财务经理', '生产厂长', '销售经理', '行政主管'] as const;

export const mobilePrefixes = ['133', '135', '136', '137', '138', '139', '150', '151', '152', '157', '158', '159', '177', '180', '181', '182', '187', '188', '189', '199'] as const;

/** Parks of 崇福镇 and where each sector tends to be. `null` = outside any park (village workshops). */
export const parks = {
  industrial: '崇福镇工业园区',
  fur: '崇福皮草产业园',
  development: '桐乡经济开发区崇福分区',
  cecep: '中节能（桐乡）产业园',
  smallFirms: '崇福镇小微企业园',
} as const;

export const sectorParks: Record<Sector, Array<{ park: string | null; weight: number }>> = {
  fur: [{ park: parks.fur, weight: 60 }, { park: parks.industrial, weight: 20 }, { park: parks.smallFirms, weight: 5 }, { park: null, weight: 15 }],
  textile: [{ park: parks.industrial, weight: 55 }, { park: parks.development, weight: 15 }, { park: parks.smallFirms, weight: 10 }, { park: null, weight: 20 }],
  metal: [{ park: parks.industrial, weight: 35 }, { park: parks.development, weight: 25 }, { park: parks.smallFirms, weight: 20 }, { park: null, weight: 20 }],
  machinery: [{ park: parks.development, weight: 40 }, { park: parks.cecep, weight: 20 }, { park: parks.industrial, weight: 25 }, { park: parks.smallFirms, weight: 10 }, { park: null, weight: 5 }],
  optics: [{ park: parks.development, weight: 40 }, { park: parks.cecep, weight: 35 }, { park: parks.industrial, weight: 15 }, { park: null, weight: 10 }],
  fibre: [{ park: parks.industrial, weight: 60 }, { park: parks.development, weight: 30 }, { park: null, weight: 10 }],
  other: [{ park: parks.industrial, weight: 35 }, { park: parks.smallFirms, weight: 25 }, { park: null, weight: 40 }],
};

export const roads = [
  '崇德路', '崇德东路', '崇德西路', '世纪大道', '凤鸣路', '崇福大道', '中山路', '东环路', '西环路', '北环路', '南环路',
  '康庄路', '永安路', '兴业路', '工业大道', '振兴路', '迎宾路', '语溪路', '御驾桥路', '皮草城路', '崇北路', '崇南路',
  '华光路', '新桥路', '上市路', '芝村路', '湾里路', '运河路', '长虹路', '锦绣路',
] as const;

/** The tags the demo hands out (the registry accepts any). */
export const demoTags = {
  specialised: '专精特新',
  highTech: '高新技术企业',
  techSme: '科技型中小企业',
  perMuA: '亩均A类',
  perMuD: '亩均D类',
  export: '外贸出口',
  growing: '小升规培育',
} as const;
