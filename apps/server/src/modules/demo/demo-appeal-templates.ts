// What 崇福's enterprises ask the town for, as templates of the demo's appeals (诉求). The kinds of problem are the
// seed article's (电力杆线迁移, 地下管网接入, 外贸货物出口, 员工子女入托入学, financing, policy redemption) and the
// everyday ones of a manufacturing town; each goes to the unit that really handles it. Fictitious cases.

import type { DemoEnterprise } from './demo-world.js';
import { type Rng, intBetween, pick } from './demo-random.js';
import { parks } from './demo-vocabulary.js';

/** Keys of demoOrganisations that handle appeals. */
export type UnitKey =
  | 'econ'
  | 'land'
  | 'tax'
  | 'market'
  | 'ecology'
  | 'investment'
  | 'safety'
  | 'labour'
  | 'customs'
  | 'power'
  | 'water'
  | 'gas'
  | 'school'
  | 'kindergarten'
  | 'furAssociation'
  | 'cecep';

/** Short names of the units, as a leader's instruction names them. */
export const unitShort: Record<UnitKey, string> = {
  econ: '经发中心',
  land: '自然资源和规划所',
  tax: '税务所',
  market: '市场监管所',
  ecology: '环境监管所',
  investment: '招商服务中心',
  safety: '安监所',
  labour: '人力社保服务中心',
  customs: '海关办事处',
  power: '供电所',
  water: '水务公司',
  gas: '燃气公司',
  school: '中心小学',
  kindergarten: '中心幼儿园',
  furAssociation: '皮毛协会',
  cecep: '产业园管理公司',
};

/** The appeal categories of the appeals migration. */
export type CategoryCode = 'policy' | 'financing' | 'land' | 'utilities' | 'environment' | 'workforce' | 'export' | 'permits' | 'other';

export interface AppealTemplate {
  key: string;
  category: CategoryCode;
  /** Relative frequency among the town's appeals. */
  weight: number;
  lead: UnitKey;
  /** The lead's share of the work when another unit joins (会办). */
  leadPart?: string;
  /** A second unit with its own part, on this share of the cases. */
  joint?: { unit: UnitKey; part: string; chance: number };
  /** A unit the case is sometimes first sent to by mistake; it returns it (退单) with this reason. */
  wrong?: { unit: UnitKey; reason: string };
  /** Only enterprises that fit (fur firms, exporters, firms in a park). */
  fits?: (enterprise: DemoEnterprise) => boolean;
  /** Weight factor by month (1–12): schooling in summer, financing before 春节. */
  season?: (month: number) => number;
  /** Share of the cases marked urgent. */
  urgent?: number;
  /** Title (≤ 80 characters) and description, in the enterprise's own words, in a month (1–12). */
  text: (enterprise: DemoEnterprise, rng: Rng, month: number) => { title: string; description: string };
  /** Answers by unit. */
  answers: Partial<Record<UnitKey, readonly string[]>>;
  /** What the unit waits for when it pauses the clock. */
  pause?: string;
  /** Why the unit asks for more time. */
  extension?: string;
}

const isExporter = (enterprise: DemoEnterprise) => enterprise.tags.includes('外贸出口');
const products: Record<DemoEnterprise['sector'], readonly string[]> = {
  fur: ['皮草服装', '裘皮大衣', '毛皮饰品'],
  textile: ['针织面料', '印染坯布', '袜子'],
  metal: ['弹簧', '紧固件', '五金件'],
  machinery: ['机床附件', '齿轮箱', '纺织机械配件'],
  optics: ['光学镜片', '光电元件', '传感器'],
  fibre: ['涤纶长丝', '化纤原料', '功能性纤维'],
  other: ['塑料制品', '包装材料', '橡胶制品'],
};
const countries = ['俄罗斯', '哈萨克斯坦', '韩国', '意大利', '美国', '越南', '德国', '阿联酋'];
const where = (enterprise: DemoEnterprise) => (enterprise.park ? `${enterprise.park}（${enterprise.address.replace('桐乡市崇福镇', '')}）` : enterprise.address.replace('桐乡市', ''));
const summer = (month: number) => (month >= 6 && month <= 8 ? 5 : month === 9 ? 2 : 0.15);

export const appealTemplates: readonly AppealTemplate[] = [
  {
    key: 'power-line',
    category: 'utilities',
    weight: 9,
    lead: 'power',
    leadPart: '线路迁改方案与施工',
    joint: { unit: 'land', part: '核对用地红线与杆线路径', chance: 0.35 },
    urgent: 0.3,
    text: (e, rng) => ({
      title: pick(rng, ['厂区扩建涉及10kV线路迁改', '新厂房用地内10kV架空线需迁改', '申请迁移厂区内10kV电力杆线']),
      description: `我公司位于${where(e)}，${pick(rng, ['新建厂房', '二期扩建', '技改项目'])}用地内有一条10kV架空线路横穿，${pick(rng, ['影响桩基施工', '塔吊无法进场作业', '厂房无法按图施工'])}。恳请供电部门尽快现场踏勘，出具迁改方案并明确施工时间。`,
    }),
    answers: {
      power: [
        '已会同企业现场踏勘，迁改方案已确定：新立电杆3基，线路改走厂区东侧围墙外，计划两周内完成施工，停电时间提前三天通知企业。',
        '迁改方案已通过审核，施工队已进场，线路于本周末停电切改，届时不影响企业正常生产。',
      ],
      land: ['已核对用地红线，新杆线路径不占用企业用地及规划道路，同意按方案实施。'],
    },
    extension: '迁改涉及停电计划，需报县公司统一安排',
  },
  {
    key: 'power-capacity',
    category: 'utilities',
    weight: 6,
    lead: 'power',
    text: (e, rng) => {
      const kva = pick(rng, [630, 800, 1000, 1250, 1600, 2000]);
      return {
        title: pick(rng, [`新增生产线申请用电增容至${kva}kVA`, `申请变压器增容至${kva}kVA`, '扩产急需增加用电容量', '新设备到厂前需完成增容送电']),
        description: `我公司新购${pick(rng, ['定型机', '数控加工中心', '注塑机', '空压机组'])}${intBetween(rng, 2, 8)}台，现有变压器容量不足，申请增容至${kva}kVA，希望在设备到厂前完成送电。`,
      };
    },
    answers: {
      power: ['增容申请已受理，供电方案已答复企业，配变扩容工程已排入本月计划，预计设备到厂前完成送电。', '已完成现场勘查并出具供电方案，企业确认后即安排施工，业扩报装全程由客户经理跟踪。'],
    },
    pause: '等待企业提交用电设备清单及负荷计算书',
  },
  {
    key: 'power-outage',
    category: 'utilities',
    weight: 4,
    lead: 'power',
    urgent: 0.6,
    text: (_e, rng) => ({
      title: pick(rng, ['厂区近期频繁停电影响生产', '车间线路经常跳闸，请求排查', '电压不稳导致设备频繁报警', '夜班时段多次停电，请求排查线路']),
      description: `近一个月厂区已停电${intBetween(rng, 3, 6)}次，每次半小时到两小时不等，${pick(rng, ['染缸内的布整缸报废', '数控设备反复报警重启', '订单交期受到影响'])}，请供电所排查原因并尽快解决。`,
    }),
    answers: { power: ['经排查为支线老化及树障引起，已更换故障线段并清理树障，近期运行稳定，后续纳入重点巡视。', '已在该线路加装故障指示器并调整保护定值，停电原因已消除。'] },
  },
  {
    key: 'sewage',
    category: 'environment',
    weight: 7,
    lead: 'water',
    leadPart: '确定接驳点并实施纳管',
    joint: { unit: 'ecology', part: '核定排放标准与排污许可', chance: 0.4 },
    wrong: { unit: 'ecology', reason: '污水管网接入由水务公司负责实施，请改派水务公司。' },
    text: (e, rng) => ({
      title: pick(rng, ['新厂区污水纳管申请', '申请接入镇污水管网', '厂区生产废水接入污水管网']),
      description: `我公司${pick(rng, ['新厂区', '扩建车间', '搬迁后的新厂'])}位于${where(e)}，附近污水主管尚未接入厂区，目前生产废水只能暂存外运，成本较高，申请尽快接入镇污水管网。`,
    }),
    answers: {
      water: ['已确定在厂区北侧道路的检查井接驳，接管工程纳入本月施工计划，完工后通知企业办理排水许可。', '接驳方案已与企业确认，施工已完成并通水验收，企业可正常排放。'],
      ecology: ['已核定企业纳管排放执行间接排放标准，排污许可证变更已指导企业网上申报。'],
    },
    pause: '等待企业提供厂区排水管线图',
  },
  {
    key: 'gas',
    category: 'utilities',
    weight: 4,
    lead: 'gas',
    text: (_e, rng) => ({
      title: pick(rng, ['定型机“煤改气”申请天然气接入', '新车间燃气管道接入申请', '燃气开户通气进度咨询', '导热油炉改用天然气需接管']),
      description: `我公司计划将${pick(rng, ['两台导热油炉', '定型机热源', '食堂和烘干线'])}改用天然气，需要从厂区门口的中压管道接入，请燃气公司尽快出具接入方案和报价。`,
    }),
    answers: { gas: ['已完成现场勘查并出具接入方案，管道施工约需十个工作日，企业确认后即开工。', '燃气管道已接入厂区并完成置换通气，已指导企业落实用气安全管理。'] },
    pause: '等待企业确认用气量和设备参数',
  },
  {
    key: 'water',
    category: 'utilities',
    weight: 3,
    lead: 'water',
    text: (_e, rng) => ({
      title: pick(rng, ['厂区自来水水压不足', '申请增设消防用水管道', '高峰时段车间断水', '申请工业用水扩容']),
      description: `厂区${pick(rng, ['高峰时段水压偏低', '三楼以上车间经常断水', '消防水池补水太慢'])}，影响生产和消防安全，请水务公司协助解决。`,
    }),
    answers: { water: ['经检测为进水管管径偏小，已为企业更换DN100进水管，水压恢复正常。', '已调整片区管网运行压力，并指导企业加装二次供水设施。'] },
  },
  {
    key: 'discharge-permit',
    category: 'environment',
    weight: 3,
    lead: 'ecology',
    text: (_e, rng) => ({
      title: pick(rng, ['排污许可证变更咨询', '技改项目环评审批咨询', '新增生产线是否需要重新环评']),
      description: `我公司${pick(rng, ['新增两条生产线', '调整生产工艺', '扩大产能'])}，不清楚是否需要重新办理环评或变更排污许可，请环境监管所给予指导。`,
    }),
    answers: { ecology: ['经核实，本次技改不新增污染物排放总量，无需重新环评，已指导企业办理排污许可证变更。', '已上门指导，项目需编制环境影响报告表，已协助企业对接技术服务单位并开通审批绿色通道。'] },
  },
  {
    key: 'customs',
    category: 'export',
    weight: 6,
    lead: 'customs',
    leadPart: '指导申报，协调查验放行',
    joint: { unit: 'econ', part: '对接船期与物流', chance: 0.4 },
    fits: isExporter,
    urgent: 0.5,
    text: (e, rng) => ({
      title: pick(rng, ['出口货物报关受阻，请求协调', '一批出口货物查验时间长，担心误船期']),
      description: `我公司一批发往${pick(rng, countries)}的${pick(rng, products[e.sector])}共${intBetween(rng, 2, 9)}个集装箱，报关时被要求补充${pick(rng, ['成分检测报告', '商品归类说明', '原产地证明'])}，船期临近，恳请协调尽快放行。`,
    }),
    answers: {
      customs: ['已指导企业补充申报材料，货物已完成查验并放行，赶上原定船期。', '已开通“提前申报”绿色通道，企业补齐材料后当日放行。'],
      econ: ['已联系嘉兴港相关货代协调改配后一班船期，企业损失已降到最低。'],
    },
  },
  {
    key: 'logistics',
    category: 'export',
    weight: 3,
    lead: 'econ',
    fits: isExporter,
    text: (_e, rng) => ({
      title: pick(rng, ['出口集装箱订舱难、运费上涨', '希望协调海铁联运班列舱位', '海运运费大涨，订单面临延期交货']),
      description: `近期${pick(rng, ['欧线', '中东线', '东南亚线'])}订舱困难，运费比上季度上涨${intBetween(rng, 20, 60)}%，我公司${intBetween(rng, 3, 12)}个柜的订单面临延期交货，希望政府帮助对接物流资源。`,
    }),
    answers: { econ: ['已对接本地重点货代企业和嘉兴港，为企业争取到下月固定舱位，并告知省级外贸运费补助政策。', '已将企业纳入海铁联运班列服务名单，舱位已落实。'] },
  },
  {
    key: 'export-rebate',
    category: 'export',
    weight: 3,
    lead: 'tax',
    wrong: { unit: 'econ', reason: '出口退税审核由税务所办理，请改派崇福税务所。' },
    fits: isExporter,
    text: (_e, rng) => ({
      title: pick(rng, ['出口退税进度咨询', '出口退税迟迟未到账', '申请加快办理出口退税']),
      description: `我公司${pick(rng, ['一季度', '上半年', '去年四季度'])}申报的出口退税约${intBetween(rng, 30, 300)}万元至今未到账，资金周转比较紧张，请帮忙了解进度。`,
    }),
    answers: { tax: ['经查，企业申报资料中有两份报关单信息不一致，已指导更正，退税款已于本周办结到账。', '企业为一类出口企业，退税已按规定在三个工作日内办结，款项已到账。'] },
  },
  {
    key: 'schooling',
    category: 'workforce',
    weight: 7,
    lead: 'school',
    leadPart: '安排员工子女插班入学',
    joint: { unit: 'kindergarten', part: '随迁幼儿入园', chance: 0.25 },
    season: summer,
    text: (_e, rng, month) => {
      const children = intBetween(rng, 2, 9);
      const term = month >= 3 && month <= 9 ? '今年秋季' : '下学期';
      return {
        title: pick(rng, [`${children}名外地员工子女申请就近入学`, `外地骨干员工子女${term}入学申请`, `员工子女入学（${children}人）请求协调`]),
        description: `我公司有${children}名外地骨干员工的子女${term}需在崇福就读小学（${pick(rng, ['一至三年级', '一年级新生', '三至五年级插班'])}），员工已在本地缴纳社保满一年，希望镇里帮助协调就近入学，稳定员工队伍。`,
      };
    },
    answers: {
      school: ['已按新居民子女积分入学政策审核材料，符合条件的学生已全部安排入学，开学前通知家长报到。', '已协调安排在中心小学及其分校区就读，入学通知书已发放。'],
      kindergarten: ['随迁幼儿已安排在中心幼儿园小班，入园手续已办妥。'],
    },
    pause: '等待员工补交居住证和社保缴纳证明',
  },
  {
    key: 'kindergarten',
    category: 'workforce',
    weight: 3,
    lead: 'kindergarten',
    wrong: { unit: 'school', reason: '幼儿入园由中心幼儿园统筹安排，请改派中心幼儿园。' },
    season: summer,
    text: (_e, rng) => ({
      title: pick(rng, ['员工子女入园申请', '外地员工孩子申请就近入园', '员工子女幼儿园学位协调']),
      description: `我公司${intBetween(rng, 2, 6)}名员工的孩子今年满三周岁，希望就近进入镇中心幼儿园，请帮助协调学位。`,
    }),
    answers: { kindergarten: ['已为符合条件的幼儿安排学位，入园通知已发送家长。', '中心幼儿园学位已满，已协调安排至就近的普惠性幼儿园，家长已确认。'] },
  },
  {
    key: 'recruitment',
    category: 'workforce',
    weight: 4,
    lead: 'labour',
    season: (month) => (month === 2 || month === 3 ? 3 : 1),
    text: (_e, rng, month) => {
      const workers = intBetween(rng, 10, 60);
      const afterFestival = month <= 3;
      return {
        title: `${afterFestival ? '节后' : '订单增加'}招工难，急需${workers}名${pick(rng, ['普工', '挡车工', '数控操作工', '缝纫工'])}`,
        description: `${afterFestival ? '订单增加，但节后返岗率不高' : '新接了几笔大订单，人手明显不足'}，目前缺员约${workers}人，希望人社部门帮助对接劳务资源，并了解招工补贴政策。`,
      };
    },
    answers: { labour: ['已将企业岗位纳入本月专场招聘会和线上招聘平台，并对接两家劳务合作基地，企业可申领一次性招工补贴。', '已组织专场招聘，企业现场达成意向38人，后续继续跟踪。'] },
  },
  {
    key: 'training-subsidy',
    category: 'workforce',
    weight: 2,
    lead: 'labour',
    text: () => ({ title: '职工技能培训补贴申报咨询', description: '我公司今年组织了叉车、电工等技能培训，想了解职业技能提升补贴的申报条件和流程。' }),
    answers: { labour: ['已向企业详细说明补贴标准和申报流程，并指导企业在线提交了申报材料。'] },
  },
  {
    key: 'land-quota',
    category: 'land',
    weight: 5,
    lead: 'land',
    leadPart: '用地指标与规划条件',
    joint: { unit: 'investment', part: '项目准入与投资协议', chance: 0.5 },
    wrong: { unit: 'investment', reason: '新增用地指标由自然资源和规划所负责，请改派。' },
    text: (_e, rng) => {
      const mu = intBetween(rng, 8, 45);
      return {
        title: pick(rng, [`技改扩产申请新增用地约${mu}亩`, `扩产项目用地指标申请（约${mu}亩）`, '新项目落地需要工业用地指标']),
        description: `我公司订单持续增长，现有厂房已满负荷，计划投资约${intBetween(rng, 3, 20) * 1000}万元扩产，需要新增工业用地约${mu}亩，希望了解用地指标安排和供地时间。`,
      };
    },
    answers: {
      land: ['项目已纳入年度用地计划，地块规划条件已出具，预计下季度挂牌出让，已告知企业准备竞买材料。', '经核实，企业可通过“零土地”技改在现有厂区加层扩建，容积率调整已按程序办理。'],
      investment: ['项目亩均投资强度和亩均税收承诺符合准入标准，投资协议文本已与企业对接。'],
    },
    extension: '用地指标需报市级统筹安排',
  },
  {
    key: 'property-certificate',
    category: 'land',
    weight: 3,
    lead: 'land',
    text: (_e, rng) => ({
      title: pick(rng, ['厂房不动产权证办理遇到问题', '历史遗留厂房办证咨询']),
      description: `我公司${pick(rng, ['2012年', '2015年', '2018年'])}建成的${pick(rng, ['仓库', '二号车间', '办公楼'])}因当时手续不全至今未办理不动产权证，影响银行抵押融资，希望给予指导。`,
    }),
    answers: { land: ['已按历史遗留问题处置办法梳理所缺材料，指导企业补办规划核实，办证材料已受理。'] },
    pause: '等待企业补充房屋测绘报告',
  },
  {
    key: 'idle-plant',
    category: 'land',
    weight: 2,
    lead: 'investment',
    text: (_e, rng) => ({
      title: pick(rng, ['闲置厂房希望对接优质项目', '低效厂房盘活咨询']),
      description: `我公司有约${intBetween(rng, 2, 12) * 1000}平方米厂房闲置，希望招商中心帮助对接合适的租赁或合作项目。`,
    }),
    answers: { investment: ['已将厂房信息录入招商载体库，并推荐两家意向企业实地考察。'] },
  },
  {
    key: 'subsidy-redemption',
    category: 'policy',
    weight: 6,
    lead: 'econ',
    text: (_e, rng) => ({
      title: pick(rng, ['技改项目补助资金何时兑现', '去年的工业投资奖励兑现咨询', '政策兑现进度咨询', '数字化改造补助申领材料咨询', '小升规奖励兑现咨询']),
      description: `我公司${pick(rng, ['去年完成的智能化技改项目', '上年度新增设备投资', '数字化车间项目'])}已通过验收，按政策可享受补助约${intBetween(rng, 10, 120)}万元，想了解兑现时间和还需提供哪些材料。`,
    }),
    answers: { econ: ['补助资金已列入本批次兑现清单，预计本月底拨付到企业账户，无需另行提交材料。', '已核对申报材料，还需补充设备发票清单，企业补齐后纳入下一批兑现。'] },
  },
  {
    key: 'tech-sme',
    category: 'policy',
    weight: 3,
    lead: 'econ',
    text: (_e, rng) => ({
      title: pick(rng, ['申报浙江省科技型中小企业咨询', '科技型中小企业入库及科技贷款咨询']),
      description: '我公司有几项实用新型专利，想申报浙江省科技型中小企业，了解申报条件以及可享受的科技贷款贴息、补贴等政策。',
    }),
    answers: { econ: ['已上门指导企业完成科技型中小企业网上申报，入库后可享受科技贷款免收抵押担保费或基准利率，以及市镇财政3万元补贴。'] },
  },
  {
    key: 'high-tech',
    category: 'policy',
    weight: 2,
    lead: 'econ',
    fits: (e) => ['machinery', 'optics', 'metal', 'fibre'].includes(e.sector),
    text: () => ({ title: '高新技术企业认定申报辅导', description: '我公司今年计划申报高新技术企业，研发费用归集和知识产权方面还有疑问，希望安排辅导。' }),
    answers: { econ: ['已邀请科技服务机构上门辅导，企业研发费用归集口径已理顺，申报材料按期提交。'] },
  },
  {
    key: 'rd-deduction',
    category: 'policy',
    weight: 2,
    lead: 'tax',
    text: (_e, rng) => ({ title: pick(rng, ['研发费用加计扣除政策咨询', '研发费用预缴时能否加计扣除']), description: '想了解研发费用加计扣除的最新比例、可以在预缴时享受吗，以及需要留存哪些备查资料。' }),
    answers: { tax: ['已向企业说明研发费用按100%加计扣除，可在预缴申报时享受，并提供了留存备查资料清单。'] },
  },
  {
    key: 'fur-support',
    category: 'policy',
    weight: 3,
    lead: 'econ',
    leadPart: '研究扶持政策',
    joint: { unit: 'furAssociation', part: '收集行业开工与订单情况', chance: 0.6 },
    fits: (e) => e.sector === 'fur',
    text: () => ({
      title: '皮草企业开工不足，希望出台扶持政策',
      description: '受消费观念转变和外需下降影响，我们和不少同行开工率不足三成，负责人信心不足，希望镇里适时出台支持皮毛企业发展的政策，在展会、电商和融资上给予帮助。',
    }),
    answers: {
      econ: ['已将皮毛行业困难向镇党委政府专题汇报，正在研究展会补贴和电商转型扶持措施，政策出台后第一时间推送企业。'],
      furAssociation: ['协会已汇总会员企业开工率和订单情况，形成行业情况报告报镇政府。'],
    },
  },
  {
    key: 'loan',
    category: 'financing',
    weight: 5,
    lead: 'econ',
    season: (month) => (month === 12 || month === 1 ? 2.5 : 1),
    text: (_e, rng, month) => {
      const amount = pick(rng, [200, 300, 500, 800, 1000, 1500, 2000]);
      return {
        title: pick(rng, [`流动资金贷款需求${amount}万元`, `采购原料需融资约${amount}万元`, '希望对接低利率信用贷款']),
        description: `${month >= 11 || month === 1 ? '年底前' : '近期'}需支付${pick(rng, month >= 11 || month === 1 ? ['原材料货款', '设备尾款', '员工工资和年终奖'] : ['原材料货款', '设备尾款', '新接订单的备料款'])}，资金缺口约${amount}万元，希望对接合适的银行产品，利率最好在4%以内。`,
      };
    },
    answers: { econ: ['已将需求推送至市银行金融服务团，农行、农商行已上门对接，企业已获授信并放款。', '已组织银企对接，企业选择了信用贷产品，审批中。'] },
  },
  {
    key: 'acceptance-bills',
    category: 'financing',
    weight: 2,
    lead: 'econ',
    text: () => ({
      title: '商业承兑汇票贴现难，希望盘活',
      description: '我公司回款中商业承兑汇票占比较高，缺乏流通性，贴现很难，希望银行能有相应的业务让这笔资金盘活。',
    }),
    answers: { econ: ['已对接两家银行的供应链票据业务，企业部分商票已办理贴现，后续纳入常态化对接。'] },
  },
  {
    key: 'special-equipment',
    category: 'permits',
    weight: 3,
    lead: 'market',
    text: (_e, rng) => ({
      title: pick(rng, ['特种设备定期检验预约', '叉车和压力容器年检咨询']),
      description: `我公司${intBetween(rng, 2, 8)}台${pick(rng, ['叉车', '压力容器', '起重机'])}检验即将到期，想预约检验并了解是否可以集中上门检验。`,
    }),
    answers: { market: ['已协调特检机构安排上门集中检验，检验日期已告知企业。'] },
  },
  {
    key: 'fire-acceptance',
    category: 'permits',
    weight: 3,
    lead: 'safety',
    text: (_e, rng) =>
      pick(rng, [
        { title: '新建车间消防验收咨询', description: '我公司新车间即将完工，想了解消防验收的流程和需要提前准备的材料，避免影响投产。' },
        { title: '新厂房消防设计审查咨询', description: '我公司准备新建一幢丙类厂房，想提前了解消防设计审查的要求，避免施工后返工。' },
        { title: '安全生产标准化创建辅导', description: '我公司今年要创建安全生产标准化三级企业，希望安监所安排上门辅导。' },
      ]),
    answers: { safety: ['已上门开展指导，列出整改建议三条，企业整改后即可申请验收。', '已安排专家上门辅导，企业按清单完善后可按期完成。'] },
  },
  {
    key: 'park-repair',
    category: 'other',
    weight: 2,
    lead: 'cecep',
    fits: (e) => e.park === parks.cecep,
    text: (_e, rng) => ({
      title: pick(rng, ['园区厂房屋顶漏水维修', '园区道路照明损坏', '园区停车位不足']),
      description: '园区公共设施出现问题，影响员工上下班和正常生产，请园区管理公司尽快处理。',
    }),
    answers: { cecep: ['已安排物业维修，问题已处理完毕并回访企业。'] },
  },
  {
    key: 'drainage',
    category: 'other',
    weight: 2,
    lead: 'water',
    season: (month) => (month >= 5 && month <= 9 ? 2.5 : 0.5),
    text: () => ({ title: '企业门口道路雨天积水严重', description: '每逢下雨厂门口道路积水很深，货车进出困难，员工上下班也不安全，请相关部门疏通排水。' }),
    answers: { water: ['已对该路段雨水管进行疏通清淤，并新增两处雨水口，积水问题已解决。'] },
  },
];

/** Matters outside the appeals channel (domain-rules §5): declined with the reason. */
export const declinedMatters: ReadonlyArray<{ category: CategoryCode; title: string; description: string; reason: string }> = [
  {
    category: 'other',
    title: '与客户货款纠纷请求政府协调',
    description: '客户拖欠我公司货款近两百万元，多次催讨无果，希望政府出面协调。',
    reason: '该纠纷已进入诉讼程序，依法不属于诉求办理范围，请通过司法途径解决。',
  },
  {
    category: 'workforce',
    title: '员工工伤赔偿争议请求协调',
    description: '一名员工工伤后对赔偿金额有异议，双方协商不成，希望政府协调。',
    reason: '该争议已申请劳动仲裁，请按仲裁程序处理。',
  },
  {
    category: 'other',
    title: '反映邻厂违规占用我公司道路',
    description: '隔壁企业长期占用我公司厂区道路堆放货物，多次沟通无果。',
    reason: '企业已就此事向信访部门反映，按规定由信访渠道办理，不再重复受理。',
  },
  {
    category: 'financing',
    title: '希望政府为民间借贷提供担保',
    description: '我公司急需资金，有朋友愿意借款，希望政府提供担保。',
    reason: '政府部门不得为企业借款提供担保，已告知可通过政策性融资担保机构办理。',
  },
];

export const ratingComments = {
  satisfied: ['办理及时，非常满意', '服务很到位，谢谢', '问题解决了，感谢镇里', '反馈很快，点赞', '上门服务，很满意'],
  basically_satisfied: ['基本解决，希望进度再快一些', '问题解决了，但等的时间比较长', '答复比较笼统，总体还可以'],
  dissatisfied: ['问题还没有真正解决', '答复不具体，希望再协调', '拖了很久还没落实'],
} as const;
