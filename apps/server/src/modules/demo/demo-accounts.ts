import { type Role, requiresTotp } from '@qinqing/contracts';
import type { OrganisationKind } from '@qinqing/contracts';

export interface DemoOrganisation {
  key: string;
  name: string;
  kind: OrganisationKind;
  regionCode: string | null;
  parent?: string;
}

/**
 * The demo town's organisations: 崇福镇 and 桐乡市, the town's departments (with the labour office and the customs
 * post that export appeals go to), outside units (power, water, gas, a school, a kindergarten, the fur association,
 * the 中节能 park's manager), 12 banks, and the Shaoxing districts as neighbouring regions. Names are real
 * units' kinds; the data is fictitious. `fur` is renamed after the generated enterprise it stands for.
 */
export const demoOrganisations: DemoOrganisation[] = [
  { key: 'tongxiang', name: '桐乡市人民政府', kind: 'government', regionCode: '330483' },
  { key: 'chongfu', name: '崇福镇人民政府', kind: 'government', regionCode: '330483107', parent: 'tongxiang' },
  { key: 'econ', name: '崇福镇经济发展服务中心', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'land', name: '崇福镇自然资源和规划所', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'tax', name: '国家税务总局桐乡市税务局崇福税务所', kind: 'department', regionCode: '330483107' },
  { key: 'market', name: '桐乡市市场监督管理局崇福市场监督管理所', kind: 'department', regionCode: '330483107' },
  { key: 'ecology', name: '嘉兴市生态环境局桐乡分局崇福环境监管所', kind: 'department', regionCode: '330483107' },
  { key: 'investment', name: '崇福镇招商服务中心', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'safety', name: '崇福镇应急管理和安全生产监管所', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'statistics', name: '崇福镇统计站', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'labour', name: '崇福镇人力社保服务中心', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'customs', name: '嘉兴海关桐乡办事处', kind: 'department', regionCode: '330483' },
  { key: 'power', name: '国网桐乡市供电公司崇福供电所', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'water', name: '桐乡市崇福水务有限公司', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'gas', name: '桐乡市崇福燃气有限公司', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'school', name: '崇福镇中心小学', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'kindergarten', name: '崇福镇中心幼儿园', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'furAssociation', name: '崇福皮毛协会', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'cecep', name: '中节能（桐乡）产业园管理有限公司', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'discipline', name: '崇福镇纪律检查委员会', kind: 'supervision', regionCode: '330483107', parent: 'chongfu' },
  // The 12 financial institutions of the town's 政银企对接会.
  { key: 'icbc', name: '中国工商银行桐乡崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'abc', name: '中国农业银行桐乡崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'boc', name: '中国银行桐乡崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'ccb', name: '中国建设银行桐乡崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'bocom', name: '交通银行桐乡崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'rcb', name: '浙江桐乡农村商业银行崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'psbc', name: '中国邮政储蓄银行桐乡市崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'czbank', name: '浙商银行嘉兴桐乡支行', kind: 'bank', regionCode: '330483' },
  { key: 'jxbank', name: '嘉兴银行桐乡支行', kind: 'bank', regionCode: '330483' },
  { key: 'tailong', name: '浙江泰隆商业银行桐乡崇福小微企业专营支行', kind: 'bank', regionCode: '330483107' },
  { key: 'czcb', name: '浙江稠州商业银行嘉兴桐乡支行', kind: 'bank', regionCode: '330483' },
  { key: 'hzbank', name: '杭州银行嘉兴桐乡支行', kind: 'bank', regionCode: '330483' },
  // Neighbouring regions: the seed article's second half is about 绍兴's districts.
  { key: 'shaoxing', name: '绍兴市人民政府', kind: 'government', regionCode: '330600' },
  { key: 'yuecheng', name: '绍兴市越城区人民政府', kind: 'government', regionCode: '330602', parent: 'shaoxing' },
  { key: 'keqiao', name: '绍兴市柯桥区人民政府', kind: 'government', regionCode: '330603', parent: 'shaoxing' },
  { key: 'shangyu', name: '绍兴市上虞区人民政府', kind: 'government', regionCode: '330604', parent: 'shaoxing' },
  { key: 'xinchang', name: '新昌县人民政府', kind: 'government', regionCode: '330624', parent: 'shaoxing' },
  { key: 'zhuji', name: '诸暨市人民政府', kind: 'government', regionCode: '330681', parent: 'shaoxing' },
  { key: 'shengzhou', name: '嵊州市人民政府', kind: 'government', regionCode: '330683', parent: 'shaoxing' },
  { key: 'fur', name: '桐乡市崇福演示皮草有限公司', kind: 'enterprise', regionCode: '330483107' },
];

/** One demo account per role, named after the role. */
export const demoAccounts: Array<{ username: Role; displayName: string; organisation: string; phone: string }> = [
  { username: 'officer', displayName: '经发中心 王敏', organisation: 'econ', phone: '13905730101' },
  { username: 'handler', displayName: '供电所 李强', organisation: 'power', phone: '13905730102' },
  { username: 'instructor', displayName: '驻企指导员 陈杰', organisation: 'econ', phone: '13905730103' },
  { username: 'leader', displayName: '镇领导 周建国', organisation: 'chongfu', phone: '13905730104' },
  { username: 'enterprise', displayName: '企业负责人 沈丽', organisation: 'fur', phone: '13905730105' },
  { username: 'bank', displayName: '农行客户经理 许涛', organisation: 'abc', phone: '13905730106' },
  { username: 'supervisor', displayName: '纪委 吴静', organisation: 'discipline', phone: '13905730107' },
  { username: 'sysadmin', displayName: '系统管理员 张伟', organisation: 'econ', phone: '13905730108' },
  { username: 'secadmin', displayName: '安全管理员 刘洋', organisation: 'econ', phone: '13905730109' },
  { username: 'auditadmin', displayName: '审计管理员 杨帆', organisation: 'econ', phone: '13905730110' },
];

export const demoTotpRoles = demoAccounts.filter((account) => requiresTotp([account.username])).map((account) => account.username);

/**
 * Staff of the units appeals are dispatched to (one handler each; the demo `handler` is the power supply station's)
 * and two more officers of the 经发中心. Generated names, unknown passwords: the appeal history acts as them.
 */
export const demoStaff: Array<{ username: string; organisation: string; role: Role; title: string }> = [
  { username: 'officer02', organisation: 'econ', role: 'officer', title: '经发中心 ' },
  { username: 'officer03', organisation: 'econ', role: 'officer', title: '经发中心 ' },
  { username: 'handler-econ', organisation: 'econ', role: 'handler', title: '经发中心企业服务科 ' },
  { username: 'handler-land', organisation: 'land', role: 'handler', title: '自然资源和规划所 ' },
  { username: 'handler-tax', organisation: 'tax', role: 'handler', title: '崇福税务所 ' },
  { username: 'handler-market', organisation: 'market', role: 'handler', title: '崇福市场监管所 ' },
  { username: 'handler-ecology', organisation: 'ecology', role: 'handler', title: '崇福环境监管所 ' },
  { username: 'handler-investment', organisation: 'investment', role: 'handler', title: '招商服务中心 ' },
  { username: 'handler-safety', organisation: 'safety', role: 'handler', title: '安监所 ' },
  { username: 'handler-labour', organisation: 'labour', role: 'handler', title: '人力社保服务中心 ' },
  { username: 'handler-customs', organisation: 'customs', role: 'handler', title: '桐乡办事处 ' },
  { username: 'handler-water', organisation: 'water', role: 'handler', title: '水务公司 ' },
  { username: 'handler-gas', organisation: 'gas', role: 'handler', title: '燃气公司 ' },
  { username: 'handler-school', organisation: 'school', role: 'handler', title: '中心小学 ' },
  { username: 'handler-kindergarten', organisation: 'kindergarten', role: 'handler', title: '中心幼儿园 ' },
  { username: 'handler-fur', organisation: 'furAssociation', role: 'handler', title: '皮毛协会 ' },
  { username: 'handler-cecep', organisation: 'cecep', role: 'handler', title: '中节能产业园 ' },
];
