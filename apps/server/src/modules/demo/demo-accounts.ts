import { type Role, requiresTotp } from '@qinqing/contracts';
import type { OrganisationKind } from '@qinqing/contracts';

/** The demo town's organisations (崇福镇, 桐乡市). Names are real units' kinds; the data is fictitious. */
export const demoOrganisations: Array<{ key: string; name: string; kind: OrganisationKind; regionCode: string | null; parent?: string }> = [
  { key: 'tongxiang', name: '桐乡市人民政府', kind: 'government', regionCode: '330483' },
  { key: 'chongfu', name: '崇福镇人民政府', kind: 'government', regionCode: '330483107', parent: 'tongxiang' },
  { key: 'econ', name: '崇福镇经济发展服务中心', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'land', name: '崇福镇自然资源和规划所', kind: 'department', regionCode: '330483107', parent: 'chongfu' },
  { key: 'tax', name: '国家税务总局桐乡市税务局崇福税务所', kind: 'department', regionCode: '330483107' },
  { key: 'power', name: '国网桐乡市供电公司崇福供电所', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'water', name: '桐乡市崇福水务有限公司', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'school', name: '崇福镇中心小学', kind: 'outside_unit', regionCode: '330483107' },
  { key: 'discipline', name: '崇福镇纪律检查委员会', kind: 'supervision', regionCode: '330483107', parent: 'chongfu' },
  { key: 'abc', name: '中国农业银行桐乡崇福支行', kind: 'bank', regionCode: '330483107' },
  { key: 'rcb', name: '浙江桐乡农村商业银行崇福支行', kind: 'bank', regionCode: '330483107' },
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
