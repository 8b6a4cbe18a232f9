import { computeCheckCharacter, computeOrgCodeCheckCharacter, creditCodeAlphabet, type EnterpriseStatus, type Role } from '@qinqing/contracts';
import { referenceData } from '../reference/reference.js';
import { type DemoOrganisation, demoOrganisations, demoStaff } from './demo-accounts.js';
import { type Rng, affinePermutation, intBetween, logNormal, mix32, pick, rngFor, weightedPicker } from './demo-random.js';
import {
  type DemoIndustry,
  type Sector,
  companyPrefixes,
  contactTitles,
  demoIndustries,
  demoTags,
  givenNameCharacters,
  mobilePrefixes,
  roads,
  sectorFoundedFrom,
  sectorParks,
  sectorRevenueFactor,
  surnames,
  tradeNameCharacters,
} from './demo-vocabulary.js';

/** The seed article's figures (截至 6 月 25 日): 929 industrial enterprises, 4,723 managers using the platform. */
export const DEFAULT_ENTERPRISES = 929;
export const DEFAULT_MANAGERS = 4723;
export const DEFAULT_SEED = 20220625;
/** Each 驻企指导员 looks after about this many enterprises. */
export const ENTERPRISES_PER_INSTRUCTOR = 30;
/** Names and credit codes stay unique up to this size (see tradeName and orgCodeBody). */
export const MAX_ENTERPRISES = 3_000_000;

export const CHONGFU = '330483107';

export interface DemoWorldOptions {
  enterprises?: number;
  /** Manager accounts, the demo `enterprise` account included. Default: 4,723 for the real town, proportional otherwise. */
  managers?: number;
  seed?: number;
}

export interface DemoContact {
  name: string;
  title: string;
  phone: string;
}

/** One enterprise as a form or an import would give it (CreateEnterpriseInput fields). */
export interface DemoEnterprise {
  index: number;
  creditCode: string;
  name: string;
  formerNames: string[];
  legalRepresentative: string;
  /** 万元 */
  registeredCapital: number;
  establishedOn: string;
  industryCode: string;
  sector: Sector;
  regionCode: string;
  /** Annual main-business revenue, 万元; null once deregistered. */
  revenue: number | null;
  /** 亩 */
  landArea: number;
  park: string | null;
  address: string;
  contacts: DemoContact[];
  tags: string[];
  status: EnterpriseStatus;
}

export interface DemoPerson {
  username: string;
  displayName: string;
  phone: string;
}

export interface DemoWorld {
  seed: number;
  enterpriseCount: number;
  managerCount: number;
  instructorCount: number;
  /** Government, departments, outside units, banks, the Shaoxing districts and the demo enterprise's own organisation. */
  organisations: DemoOrganisation[];
  /** The town's leaders besides the demo `leader` account. */
  leaders: DemoPerson[];
  /** Handlers of the units appeals go to, and more officers (demoStaff with generated names). */
  staff: Array<DemoPerson & { organisation: string; role: Role }>;
  enterprise(index: number): DemoEnterprise;
  /** Enterprises [from, to): the unit of a chunked load. */
  enterprises(from: number, to: number): DemoEnterprise[];
  /** Manager slots of an enterprise: [first, first + count). Slot 0 is the demo `enterprise` account. */
  managersOf(index: number): { first: number; count: number };
  /** Manager account of slot j ≥ 1 (usernames m00001 …). */
  manager(slot: number): DemoPerson;
  /** A second enterprise the manager of slot j also manages (about 3 % of managers run two firms), or null. */
  secondEnterpriseOf(slot: number, enterpriseIndex: number): number | null;
  /** Instructor of an enterprise; 0 is the demo `instructor` account. */
  instructorOf(index: number): number;
  /** Instructor account k ≥ 1. */
  instructor(k: number): DemoPerson;
}

const STREAM = { enterprise: 1, manager: 2, instructor: 3, leader: 4, staff: 5 } as const;

/** Managers in proportion to the real town (4,723 for 929) when not given. */
export function defaultManagerCount(enterprises: number): number {
  return enterprises === DEFAULT_ENTERPRISES ? DEFAULT_MANAGERS : Math.max(1, Math.round((enterprises * DEFAULT_MANAGERS) / DEFAULT_ENTERPRISES));
}

const pickIndustry = weightedPicker(demoIndustries);
const pickPrefix = weightedPicker(companyPrefixes);
const parkPickers = Object.fromEntries(Object.entries(sectorParks).map(([sector, choices]) => [sector, weightedPicker(choices)])) as unknown as Record<Sector, (rng: Rng) => { park: string | null }>;

let villages: Array<{ code: string; name: string; weight: number }> | undefined;
/** 崇福镇's communities and villages from the shipped division table; industry sits mostly in the villages. */
function chongfuVillages() {
  villages ??= referenceData()
    .regions.filter((region) => region.parent === CHONGFU)
    .map((region) => ({ code: region.code, name: region.name.replace(/(社区居委会|村委会)$/, ''), weight: region.name.endsWith('社区居委会') ? 1 : 3 }));
  return villages;
}

let villagePicker: ((rng: Rng) => { code: string; name: string }) | undefined;
function pickVillage() {
  villagePicker ??= weightedPicker(chongfuVillages());
  return villagePicker;
}

function personName(rng: Rng): string {
  const given = rng() < 0.3 ? pick(rng, givenNameCharacters) : pick(rng, givenNameCharacters) + pick(rng, givenNameCharacters);
  return pick(rng, surnames) + given;
}

function mobile(rng: Rng): string {
  return pick(rng, mobilePrefixes) + String(intBetween(rng, 0, 99_999_999)).padStart(8, '0');
}

function roundCapital(value: number): number {
  const steps = [10, 30, 50, 100, 200, 300, 500, 800, 1000, 1200, 1500, 2000, 3000, 5000, 6000, 8000, 10000, 15000, 20000, 30000, 50000];
  return steps.find((step) => step >= value) ?? 50000;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Build the demo town of 崇福镇 at any size; every value follows from the seed and the enterprise's index. */
export function buildDemoWorld(options: DemoWorldOptions = {}): DemoWorld {
  const seed = options.seed ?? DEFAULT_SEED;
  const enterpriseCount = options.enterprises ?? DEFAULT_ENTERPRISES;
  if (!Number.isInteger(enterpriseCount) || enterpriseCount < 1 || enterpriseCount > MAX_ENTERPRISES) {
    throw new RangeError(`enterprises must be an integer from 1 to ${MAX_ENTERPRISES}`);
  }
  const managerCount = Math.max(1, options.managers ?? defaultManagerCount(enterpriseCount));
  const instructorCount = Math.max(1, Math.round(enterpriseCount / ENTERPRISES_PER_INSTRUCTOR));

  const characters = tradeNameCharacters;
  const twoCharacterNames = characters.length ** 2;
  const permuteTwo = affinePermutation(twoCharacterNames, seed ^ 0x2);
  const permuteThree = affinePermutation(characters.length ** 3, seed ^ 0x3);
  /** Distinct indices get distinct 字号, hence distinct company names. */
  function tradeName(index: number): string {
    if (index < twoCharacterNames) {
      const n = permuteTwo(index);
      return characters[Math.floor(n / characters.length)] + characters[n % characters.length];
    }
    const n = permuteThree(index - twoCharacterNames);
    const size = characters.length;
    return characters[Math.floor(n / size / size)] + characters[Math.floor(n / size) % size] + characters[n % size];
  }

  // Organisation-code bodies (credit-code positions 9–16): 'MA2' + 5 characters for firms registered since
  // 2015, an 8-digit pre-2015 organisation code before. Each is a bijection of the index, so codes never repeat.
  const modernSpace = 31 ** 5;
  const permuteModern = affinePermutation(modernSpace, seed ^ 0x5);
  const oldPrefixes = ['14', '25', '60', '66', '70', '72', '73', '74', '75', '77', '79'];
  const permuteOld = affinePermutation(oldPrefixes.length * 1_000_000, seed ^ 0x7);
  function orgCodeBody(index: number, modern: boolean): string {
    if (modern) {
      let n = permuteModern(index);
      let tail = '';
      for (let k = 0; k < 5; k++) {
        tail = creditCodeAlphabet[n % 31] + tail;
        n = Math.floor(n / 31);
      }
      return `MA2${tail}`;
    }
    const n = permuteOld(index);
    return oldPrefixes[Math.floor(n / 1_000_000)] + String(n % 1_000_000).padStart(6, '0');
  }

  /** The draws that decide size (used twice: to share out the managers, and to build the enterprise). */
  function coreOf(index: number) {
    const rng = rngFor(seed, STREAM.enterprise, index);
    let industry: DemoIndustry = pickIndustry(rng);
    // The demo `enterprise` account's firm: a fur-garment maker, as 崇福 is known for.
    if (index === 0) industry = demoIndustries.find((entry) => entry.code === '1932')!;
    const sizeDraw = rng();
    const landArea = round1(sizeDraw < 0.72 ? 5 + 25 * rng() ** 1.6 : sizeDraw < 0.92 ? 30 + 50 * rng() : 50 + 250 * rng() ** 1.5);
    const drawnPerMu = logNormal(rng, 62, 0.75) * sectorRevenueFactor[industry.sector];
    // The demo firm is a 规上 one (about 3,600 万元 a year), so its file shows the above-scale views.
    const revenuePerMu = index === 0 ? Math.max(drawnPerMu, 3600 / landArea) : drawnPerMu;
    const statusDraw = rng();
    const suspendedShare = industry.sector === 'fur' ? 0.12 : 0.04;
    const status: EnterpriseStatus = index === 0 ? 'operating' : statusDraw < 0.015 ? 'deregistered' : statusDraw < 0.015 + suspendedShare ? 'suspended' : 'operating';
    const fullRevenue = landArea * revenuePerMu;
    const revenue = status === 'deregistered' ? null : round1(status === 'suspended' ? fullRevenue * 0.15 : fullRevenue);
    return { rng, industry, landArea, revenuePerMu, status, revenue };
  }

  function enterprise(index: number): DemoEnterprise {
    const { rng, industry, landArea, revenuePerMu, status, revenue } = coreOf(index);
    const { sector } = industry;
    const foundedFrom = sectorFoundedFrom[sector];
    const year = Math.min(2024, foundedFrom + Math.floor((2025 - foundedFrom) * rng() ** 0.9));
    const establishedOn = `${year}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-${String(intBetween(rng, 1, 28)).padStart(2, '0')}`;
    const isIndividual = index !== 0 && (revenue ?? 0) < 800 && rng() < 0.08;
    const large = (revenue ?? 0) >= 20_000;
    const prefix = isIndividual ? '桐乡市崇福镇' : large && rng() < 0.6 ? '浙江' : pickPrefix(rng).prefix;
    const trade = tradeName(index);
    const word = pick(rng, industry.words);
    const form = isIndividual ? pick(rng, ['厂', '加工厂', '经营部']) : large && rng() < 0.5 ? '股份有限公司' : '有限公司';
    const name = `${prefix}${trade}${word}${form}`;
    const formerNames = !isIndividual && year < 2010 && rng() < 0.25 ? [`桐乡市崇福${trade}${{ fur: '皮毛', textile: '针织', metal: '五金', fibre: '化纤', optics: '电子', machinery: '机械', other: '综合' }[sector]}厂`] : [];

    const body = orgCodeBody(index, year >= 2015);
    const division = prefix === '浙江' || prefix === '嘉兴' ? '330400' : '330483';
    const first17 = `${isIndividual ? '92' : '91'}${division}${body}${computeOrgCodeCheckCharacter(body)}`;
    const creditCode = first17 + computeCheckCharacter(first17);

    const village = pickVillage()(rng);
    const { park } = parkPickers[sector](rng);
    const address = park || rng() < 0.5 ? `桐乡市崇福镇${pick(rng, roads)}${intBetween(rng, 1, 999)}号` : `桐乡市崇福镇${village.name}${intBetween(rng, 1, 12)}组${intBetween(rng, 1, 99)}号`;

    const legalRepresentative = personName(rng);
    const contacts: DemoContact[] = [{ name: legalRepresentative, title: rng() < 0.5 ? '总经理' : '董事长', phone: mobile(rng) }];
    if (rng() < 0.6) contacts.push({ name: personName(rng), title: pick(rng, contactTitles.slice(2)), phone: mobile(rng) });
    const registeredCapital = roundCapital((revenue ?? landArea * 40) * (0.05 + 0.4 * rng()));

    const isAbove = (revenue ?? 0) >= 2000;
    const tech = sector === 'machinery' || sector === 'optics' || sector === 'metal';
    const tags: string[] = [];
    if (isAbove && tech && rng() < 0.15) tags.push(demoTags.specialised);
    if (rng() < (tech ? 0.3 : 0.06) * (isAbove ? 1.5 : 0.6)) tags.push(demoTags.highTech);
    if (rng() < (tech ? 0.2 : 0.08)) tags.push(demoTags.techSme);
    if (status === 'operating' && revenuePerMu >= 120) tags.push(demoTags.perMuA);
    if (status !== 'deregistered' && revenuePerMu < 25) tags.push(demoTags.perMuD);
    if (rng() < (sector === 'fur' ? 0.45 : sector === 'textile' ? 0.3 : 0.12)) tags.push(demoTags.export);
    if (status === 'operating' && revenue !== null && revenue >= 1000 && revenue < 2000 && rng() < 0.6) tags.push(demoTags.growing);

    return {
      index,
      creditCode,
      name,
      formerNames,
      legalRepresentative,
      registeredCapital,
      establishedOn,
      industryCode: industry.code,
      sector,
      regionCode: village.code,
      revenue,
      landArea,
      park,
      address,
      contacts,
      tags,
      status,
    };
  }

  // Managers: one each, and the rest shared out by size (a 规上 firm has more managers than a workshop).
  // Prefix sums over all enterprises: 8 bytes per enterprise, so a million stays small.
  const firstManager = new Float64Array(enterpriseCount + 1);
  {
    const weights = new Float64Array(enterpriseCount);
    let totalWeight = 0;
    for (let index = 0; index < enterpriseCount; index++) {
      const { revenue } = coreOf(index);
      weights[index] = Math.sqrt(Math.max(revenue ?? 0, 50) / 50);
      totalWeight += weights[index];
    }
    const everyoneGetsOne = managerCount >= enterpriseCount;
    const base = (index: number) => (everyoneGetsOne || index === 0 ? 1 : 0);
    const rest = managerCount - (everyoneGetsOne ? enterpriseCount : 1);
    let cumulativeWeight = 0;
    let assigned = 0;
    for (let index = 0; index < enterpriseCount; index++) {
      cumulativeWeight += weights[index];
      const upTo = index === enterpriseCount - 1 ? rest : Math.floor((cumulativeWeight / totalWeight) * rest);
      firstManager[index + 1] = firstManager[index] + base(index) + (upTo - assigned);
      assigned = upTo;
    }
  }

  function person(stream: number, index: number, username: string, prefix: string): DemoPerson {
    const rng = rngFor(seed, stream, index);
    return { username, displayName: `${prefix}${personName(rng)}`, phone: mobile(rng) };
  }

  const managerWidth = Math.max(5, String(managerCount).length);
  const instructorWidth = Math.max(3, String(instructorCount).length);
  const permuteForInstructors = enterpriseCount > 1 ? affinePermutation(enterpriseCount, seed ^ 0x11) : () => 0;
  const demoEnterprise = enterprise(0);

  const leaderTitles = ['镇党委书记', '镇长', '镇人大主席', '镇党委副书记', '副镇长（工业经济）', '副镇长（招商）'];

  return {
    seed,
    enterpriseCount,
    managerCount,
    instructorCount,
    organisations: demoOrganisations.map((org) => (org.key === 'fur' ? { ...org, name: demoEnterprise.name } : org)),
    leaders: leaderTitles.map((title, k) => person(STREAM.leader, k, `leader${String(k + 1).padStart(2, '0')}`, `${title} `)),
    staff: demoStaff.map((member, k) => ({ ...person(STREAM.staff, k, member.username, member.title), organisation: member.organisation, role: member.role })),
    enterprise: (index) => (index === 0 ? demoEnterprise : enterprise(index)),
    enterprises: (from, to) => {
      const list: DemoEnterprise[] = [];
      for (let index = from; index < Math.min(to, enterpriseCount); index++) list.push(index === 0 ? demoEnterprise : enterprise(index));
      return list;
    },
    managersOf: (index) => ({ first: firstManager[index], count: firstManager[index + 1] - firstManager[index] }),
    manager: (slot) => person(STREAM.manager, slot, `m${String(slot).padStart(managerWidth, '0')}`, ''),
    secondEnterpriseOf: (slot, enterpriseIndex) => (slot > 0 && enterpriseIndex > 0 && mix32(seed ^ Math.imul(slot, 0x45d9f3b)) % 100 < 3 ? enterpriseIndex - 1 : null),
    instructorOf: (index) => permuteForInstructors(index) % instructorCount,
    instructor: (k) => person(STREAM.instructor, k, `instructor${String(k).padStart(instructorWidth, '0')}`, '驻企指导员 '),
  };
}
