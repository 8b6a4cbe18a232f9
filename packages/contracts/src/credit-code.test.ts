import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCreditCode,
  computeCheckCharacter,
  computeOrgCodeCheckCharacter,
  creditCodeAlphabet,
  normaliseCreditCode,
} from './credit-code.js';

const codes = (result: { errors?: { code: string }[]; warnings?: { code: string }[] }, key: 'errors' | 'warnings') =>
  result[key]!.map((issue) => issue.code);

describe('checkCreditCode: domain-rules §1 vectors', () => {
  it.each([
    ['91350100M000100Y43', '企业', '350100'],
    ['91110000600037341L', '企业', '110000'],
    ['91330483MA2JD4KX7Y', '企业', '330483'],
    ['91330603MA2BC7QR1Y', '企业', '330603'],
    ['92330681MA2D8U5W1Q', '个体工商户', '330681'],
    ['93330604MA29N3LY4A', '农民专业合作社', '330604'],
  ])('%s is valid', (code, typeName, division) => {
    const result = checkCreditCode(code);
    expect(result).toMatchObject({ normalised: code, valid: true, errors: [], warnings: [], divisionCode: division });
    expect(result.registrationType?.name).toBe(typeName);
    expect(result.expectedCheckCharacter).toBeUndefined();
  });

  it('accepts a padded lower-case code after normalising', () => {
    const result = checkCreditCode(' 91330483ma2jd4kx7y ');
    expect(result).toMatchObject({ normalised: '91330483MA2JD4KX7Y', valid: true, errors: [], warnings: [] });
  });

  it.each([
    ['91110000600037341N', 'L'],
    ['91350100M000100Y44', '3'],
  ])('%s has a bad check character (expected %s)', (code, expected) => {
    const result = checkCreditCode(code);
    expect(result.valid).toBe(false);
    expect(codes(result, 'errors')).toEqual(['CHECK_CHARACTER']);
    expect(result.expectedCheckCharacter).toBe(expected);
    expect(result.errors[0].message).toContain(`应为 ${expected}`);
    expect(result.errors[0].messageEn).toContain(`should be ${expected}`);
  });

  it('rejects illegal characters and names them', () => {
    const result = checkCreditCode('9111000060003IOZSV');
    expect(result.valid).toBe(false);
    expect(codes(result, 'errors')).toEqual(['CHARACTERS']);
    for (const ch of ['I', 'O', 'Z', 'S', 'V']) expect(result.errors[0].message).toContain(ch);
    expect(result.expectedCheckCharacter).toBeUndefined();
  });

  it('rejects the wrong length', () => {
    const result = checkCreditCode('91330483MA2JD4KX7');
    expect(result.valid).toBe(false);
    expect(codes(result, 'errors')).toEqual(['LENGTH']);
    expect(result.errors[0].message).toContain('17');
  });

  it('warns, but does not reject, when only position 17 is wrong (expected 7)', () => {
    const result = checkCreditCode('91330483MA2JD4KX09');
    expect(result.valid).toBe(true);
    expect(result.errors).toEqual([]);
    expect(codes(result, 'warnings')).toEqual(['ORG_CODE_CHECK']);
    expect(result.warnings[0].message).toContain('应为 7');
  });

  it('reproduces the standard worked example: weighted sum 1640 with the listed weights', () => {
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const sum = [...'91350100M000100Y4'].reduce((s, ch, i) => s + creditCodeAlphabet.indexOf(ch) * weights[i], 0);
    expect(sum).toBe(1640);
    expect(computeCheckCharacter('91350100M000100Y4')).toBe(creditCodeAlphabet[31 - (1640 % 31)]);
  });
});

describe('checkCreditCode: other findings', () => {
  it('warns on an unknown (position 1, position 2) pair but stays valid', () => {
    const first17 = '9433048300000000' + computeOrgCodeCheckCharacter('00000000');
    const result = checkCreditCode(first17 + computeCheckCharacter(first17));
    expect(result.valid).toBe(true);
    expect(codes(result, 'warnings')).toEqual(['UNKNOWN_TYPE']);
    expect(result.registrationType).toBeUndefined();
  });

  it('knows the usual registration types', () => {
    const typeOf = (pair: string) => {
      const first17 = `${pair}330483MA2JD4KX7`;
      return checkCreditCode(first17 + computeCheckCharacter(first17)).registrationType;
    };
    expect(typeOf('11')).toMatchObject({ code: '11', name: '机关', authority: '机构编制' });
    expect(typeOf('12')).toMatchObject({ name: '事业单位' });
    expect(typeOf('51')).toMatchObject({ name: '社会团体', authority: '民政' });
    expect(typeOf('N2')).toMatchObject({ name: '村级集体经济组织', authority: '农业' });
  });

  it('rejects letters in the division code (positions 3–8)', () => {
    const first17 = '9133A483MA2JD4KX7';
    const result = checkCreditCode(first17 + computeCheckCharacter(first17));
    expect(result.valid).toBe(false);
    expect(codes(result, 'errors')).toEqual(['CHARACTERS']);
    expect(result.divisionCode).toBeUndefined();
  });

  it('reports length and characters together, and no check result, for junk', () => {
    const result = checkCreditCode('hello world');
    expect(codes(result, 'errors')).toEqual(['LENGTH', 'CHARACTERS']);
    expect(result.warnings).toEqual([]);
    expect(checkCreditCode('').errors.map((e) => e.code)).toEqual(['LENGTH']);
  });

  it('has a Chinese and an English message for every finding', () => {
    for (const input of ['91110000600037341N', '9111000060003IOZSV', '91330483MA2JD4KX7', '91330483MA2JD4KX09']) {
      const result = checkCreditCode(input);
      for (const issue of [...result.errors, ...result.warnings]) {
        expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
        expect(issue.messageEn).toMatch(/^[\x20-\x7e–]+$/);
      }
    }
  });
});

describe('normaliseCreditCode', () => {
  it.each([
    ['91330483-MA2JD4KX-7Y', '91330483MA2JD4KX7Y'],
    ['9133 0483 MA2J D4KX 7Y', '91330483MA2JD4KX7Y'],
    ['\t91330483ma2jd4kx7y\n', '91330483MA2JD4KX7Y'],
    ['９１３３０４８３ＭＡ２ＪＤ４ＫＸ７Ｙ', '91330483MA2JD4KX7Y'], // full-width digits and letters
    ['91330483\u3000MA2JD4KX\uFF0D7Y', '91330483MA2JD4KX7Y'], // ideographic space, full-width hyphen
    ['91330483\u2014MA2JD4KX\u20137y', '91330483MA2JD4KX7Y'], // em and en dashes
  ])('%j → %s', (input, expected) => {
    expect(normaliseCreditCode(input)).toBe(expected);
    expect(checkCreditCode(input).valid).toBe(true);
  });

  it('keeps other characters so that they are reported, not silently dropped', () => {
    expect(normaliseCreditCode('91330483MA2JD4KX7Y.')).toBe('91330483MA2JD4KX7Y.');
    expect(checkCreditCode('91330483MA2JD4KX7Y.').errors.map((e) => e.code)).toEqual(['LENGTH', 'CHARACTERS']);
  });
});

describe('computeCheckCharacter and computeOrgCodeCheckCharacter', () => {
  it('reproduce the check characters of the valid vectors', () => {
    for (const code of ['91350100M000100Y43', '91110000600037341L', '93330604MA29N3LY4A']) {
      expect(computeCheckCharacter(code.slice(0, 17))).toBe(code[17]);
    }
    expect(computeOrgCodeCheckCharacter('MA2JD4KX')).toBe('7');
    expect(computeOrgCodeCheckCharacter('60003734')).toBe('1');
  });

  it('refuse input that is not 17 (or 8) legal characters', () => {
    expect(() => computeCheckCharacter('9133048')).toThrow(RangeError);
    expect(() => computeCheckCharacter('91330483MA2JD4KXI')).toThrow(RangeError);
    expect(() => computeOrgCodeCheckCharacter('MA2JD4K')).toThrow(RangeError);
  });
});

describe('check character properties', () => {
  const alphabetChar = fc.constantFrom(...creditCodeAlphabet);
  const digit = fc.constantFrom(...'0123456789');
  // Positions 1–2 and 9–17 over the alphabet, 3–8 digits (the division code).
  const first17 = fc
    .tuple(fc.array(alphabetChar, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 6, maxLength: 6 }), fc.array(alphabetChar, { minLength: 9, maxLength: 9 }))
    .map(([type, division, rest]) => [...type, ...division, ...rest].join(''));

  it('a prefix with its computed check character is valid', () => {
    fc.assert(
      fc.property(first17, (prefix) => {
        const result = checkCreditCode(prefix + computeCheckCharacter(prefix));
        expect(result.valid).toBe(true);
        expect(result.errors).toEqual([]);
      }),
    );
  });

  it('changing any one character to another character of the alphabet makes the code invalid', () => {
    fc.assert(
      fc.property(first17, fc.nat(17), alphabetChar, (prefix, position, replacement) => {
        const code = prefix + computeCheckCharacter(prefix);
        fc.pre(code[position] !== replacement);
        const changed = code.slice(0, position) + replacement + code.slice(position + 1);
        const result = checkCreditCode(changed);
        expect(result.valid).toBe(false);
        expect(result.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it('for any 17 alphabet characters, the weighted sum including the check character is 0 mod 31', () => {
    const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    fc.assert(
      fc.property(fc.array(alphabetChar, { minLength: 17, maxLength: 17 }), (chars) => {
        const sum = chars.reduce((s, ch, i) => s + creditCodeAlphabet.indexOf(ch) * weights[i], 0);
        expect((sum + creditCodeAlphabet.indexOf(computeCheckCharacter(chars.join('')))) % 31).toBe(0);
      }),
    );
  });
});
