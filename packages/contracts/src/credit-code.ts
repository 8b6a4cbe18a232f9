// 统一社会信用代码 (unified social credit code, GB 32100-2015): normalisation and validation, domain-rules §1.
// Pure and dependency-free so that the server (API, import) and the web (forms) give the same answer.

/** The 31 characters a credit code may use (no I O S V Z); a character's value is its index. */
export const creditCodeAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const creditCodeLength = 18;

/** Position-18 weights: 3^(i−1) mod 31 for i = 1..17. */
const checkWeights = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

/** Position-17 weights (GB 11714 organisation code) over positions 9–16. */
const orgCodeWeights = [3, 7, 9, 10, 5, 8, 4, 2];

/** 登记管理部门 (position 1) and 机构类别 (position 2), GB 32100-2015 Annex A and its later additions (A, N). */
export const registrationTypes: Readonly<Record<string, { authority: string; name: string; nameEn: string }>> = {
  '11': { authority: '机构编制', name: '机关', nameEn: 'government organ' },
  '12': { authority: '机构编制', name: '事业单位', nameEn: 'public institution' },
  '13': { authority: '机构编制', name: '中央编办直接管理机构编制的群众团体', nameEn: 'mass organisation (central staffing office)' },
  '19': { authority: '机构编制', name: '其他', nameEn: 'other (staffing office)' },
  '21': { authority: '外交', name: '外国常驻新闻机构', nameEn: 'resident foreign news agency' },
  '29': { authority: '外交', name: '其他', nameEn: 'other (foreign affairs)' },
  '31': { authority: '司法行政', name: '律师执业机构', nameEn: 'law firm' },
  '32': { authority: '司法行政', name: '公证处', nameEn: 'notary office' },
  '33': { authority: '司法行政', name: '基层法律服务所', nameEn: 'grassroots legal service office' },
  '34': { authority: '司法行政', name: '司法鉴定机构', nameEn: 'judicial expertise institution' },
  '35': { authority: '司法行政', name: '仲裁委员会', nameEn: 'arbitration commission' },
  '39': { authority: '司法行政', name: '其他', nameEn: 'other (justice administration)' },
  '41': { authority: '文化', name: '外国在华文化中心', nameEn: 'foreign cultural centre' },
  '49': { authority: '文化', name: '其他', nameEn: 'other (culture)' },
  '51': { authority: '民政', name: '社会团体', nameEn: 'social organisation' },
  '52': { authority: '民政', name: '民办非企业单位', nameEn: 'private non-enterprise unit' },
  '53': { authority: '民政', name: '基金会', nameEn: 'foundation' },
  '59': { authority: '民政', name: '其他', nameEn: 'other (civil affairs)' },
  '61': { authority: '旅游', name: '外国旅游部门常驻代表机构', nameEn: 'foreign tourism office' },
  '62': { authority: '旅游', name: '港澳台地区旅游部门常驻内地（大陆）代表机构', nameEn: 'Hong Kong, Macao or Taiwan tourism office' },
  '69': { authority: '旅游', name: '其他', nameEn: 'other (tourism)' },
  '71': { authority: '宗教', name: '宗教活动场所', nameEn: 'place of religious activity' },
  '72': { authority: '宗教', name: '宗教院校', nameEn: 'religious school' },
  '79': { authority: '宗教', name: '其他', nameEn: 'other (religious affairs)' },
  '81': { authority: '工会', name: '基层工会', nameEn: 'grassroots trade union' },
  '89': { authority: '工会', name: '其他', nameEn: 'other (trade unions)' },
  '91': { authority: '工商', name: '企业', nameEn: 'enterprise' },
  '92': { authority: '工商', name: '个体工商户', nameEn: 'individual business' },
  '93': { authority: '工商', name: '农民专业合作社', nameEn: "farmers' cooperative" },
  A1: { authority: '中央军委改革和编制办公室', name: '军队事业单位', nameEn: 'military public institution' },
  A9: { authority: '中央军委改革和编制办公室', name: '其他', nameEn: 'other (military)' },
  N1: { authority: '农业', name: '组级集体经济组织', nameEn: 'group-level collective economic organisation' },
  N2: { authority: '农业', name: '村级集体经济组织', nameEn: 'village-level collective economic organisation' },
  N3: { authority: '农业', name: '乡镇级集体经济组织', nameEn: 'township-level collective economic organisation' },
  N9: { authority: '农业', name: '其他', nameEn: 'other (agriculture)' },
  Y1: { authority: '其他', name: '其他', nameEn: 'other' },
};

export type CreditCodeErrorCode = 'LENGTH' | 'CHARACTERS' | 'CHECK_CHARACTER';
export type CreditCodeWarningCode = 'ORG_CODE_CHECK' | 'UNKNOWN_TYPE';

/** One finding; `message` is Chinese (shown to users), `messageEn` its English equivalent. */
export interface CreditCodeIssue<Code extends string> {
  code: Code;
  message: string;
  messageEn: string;
}

export interface CreditCodeCheck {
  /** The input after `normaliseCreditCode`. */
  normalised: string;
  /** True when there are no errors (warnings do not make a code invalid). */
  valid: boolean;
  errors: CreditCodeIssue<CreditCodeErrorCode>[];
  warnings: CreditCodeIssue<CreditCodeWarningCode>[];
  /** The position-18 character the first 17 call for; set only when the check character is wrong. */
  expectedCheckCharacter?: string;
  /** Positions 1–2 when the pair is known. */
  registrationType?: { code: string; authority: string; name: string; nameEn: string };
  /** Positions 3–8: GB/T 2260 division code of the registering office, when they are 6 digits. */
  divisionCode?: string;
}

// Full-width ASCII forms (U+FF01–U+FF5E) as typed with a Chinese input method, mapped to ASCII.
const fullWidthForms = /[\uFF01-\uFF5E]/g;
// Whitespace (incl. U+3000 ideographic space, NBSP) and hyphens/dashes (incl. U+2010–U+2015, U+2212 minus).
const separators = /[\s\u00A0\u3000\-\u2010-\u2015\u2212]/g;

/** Strips spaces and hyphens (half- and full-width), maps full-width letters and digits to ASCII, upper-cases. */
export function normaliseCreditCode(input: string): string {
  return input
    .replace(fullWidthForms, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(separators, '')
    .toUpperCase();
}

/** The position-18 check character for 17 characters of the credit-code alphabet (e.g. to generate demo codes). */
export function computeCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = creditCodeAlphabet.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`'${first17[i]}' is not in the credit-code alphabet`);
    sum += value * checkWeights[i];
  }
  return creditCodeAlphabet[(31 - (sum % 31)) % 31];
}

/**
 * The GB 11714 check character (credit-code position 17) for an 8-character organisation-code body
 * (credit-code positions 9–16). Letters take their full value A=10 … Z=35 here, not the 31-character index.
 */
export function computeOrgCodeCheckCharacter(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`expected 8 characters, got ${body8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = parseInt(body8[i], 36);
    if (Number.isNaN(value)) throw new RangeError(`'${body8[i]}' is not a digit or letter`);
    sum += value * orgCodeWeights[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/** Validates a credit code per domain-rules §1: errors make it invalid, warnings only inform. */
export function checkCreditCode(input: string): CreditCodeCheck {
  const normalised = normaliseCreditCode(input);
  const errors: CreditCodeIssue<CreditCodeErrorCode>[] = [];
  const warnings: CreditCodeIssue<CreditCodeWarningCode>[] = [];
  const result: CreditCodeCheck = { normalised, valid: false, errors, warnings };

  if (normalised.length !== creditCodeLength) {
    errors.push({
      code: 'LENGTH',
      message: `统一社会信用代码应为 18 位，实际为 ${normalised.length} 位`,
      messageEn: `A unified social credit code has 18 characters; this one has ${normalised.length}`,
    });
  }

  const illegal = [...new Set([...normalised].filter((ch) => !creditCodeAlphabet.includes(ch)))];
  if (illegal.length > 0) {
    errors.push({
      code: 'CHARACTERS',
      message: `含有不允许的字符：${illegal.join(' ')}（只能使用数字和除 I、O、S、V、Z 以外的大写字母）`,
      messageEn: `Contains characters that are not allowed: ${illegal.join(' ')} (only digits and capital letters other than I, O, S, V, Z)`,
    });
  }

  const division = normalised.slice(2, 8);
  if (/^\d{6}$/.test(division)) {
    result.divisionCode = division;
  } else if (normalised.length >= 8 && illegal.length === 0) {
    errors.push({
      code: 'CHARACTERS',
      message: `第 3–8 位是登记管理机关行政区划码，应全为数字，实际为 ${division}`,
      messageEn: `Positions 3–8 are the registering office's division code and must be digits; found ${division}`,
    });
  }

  const typeCode = normalised.slice(0, 2);
  const type = Object.hasOwn(registrationTypes, typeCode) ? registrationTypes[typeCode] : undefined;
  if (type) {
    result.registrationType = { code: typeCode, ...type };
  } else if (typeCode.length === 2 && illegal.length === 0) {
    warnings.push({
      code: 'UNKNOWN_TYPE',
      message: `第 1–2 位 ${typeCode} 不是已知的登记管理部门和机构类别组合，请核实`,
      messageEn: `Positions 1–2 (${typeCode}) are not a known registering authority and entity type; please verify`,
    });
  }

  if (errors.length === 0) {
    const expected = computeCheckCharacter(normalised.slice(0, 17));
    if (expected !== normalised[17]) {
      result.expectedCheckCharacter = expected;
      errors.push({
        code: 'CHECK_CHARACTER',
        message: `校验码错误：第 18 位应为 ${expected}，实际为 ${normalised[17]}。请核对代码；确属合法的早期代码可由管理员审核后放行`,
        messageEn: `Wrong check character: position 18 should be ${expected}, not ${normalised[17]}. Check the code; an administrator can accept a legal early code with an audited override`,
      });
    }
    const expectedOrg = computeOrgCodeCheckCharacter(normalised.slice(8, 16));
    if (expectedOrg !== normalised[16]) {
      warnings.push({
        code: 'ORG_CODE_CHECK',
        message: `第 17 位（组织机构代码校验码）应为 ${expectedOrg}，实际为 ${normalised[16]}；部分早期合法代码如此，请核实`,
        messageEn: `Position 17 (the organisation code's check character) should be ${expectedOrg}, not ${normalised[16]}; some legal early codes are like this, please verify`,
      });
    }
  }

  result.valid = errors.length === 0;
  return result;
}
