import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPersonalData, maskPhone } from './masking.js';

describe('masking', () => {
  it('masks a phone as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
  });

  it('keeps the first 3 and last 4 of an ID number', () => {
    expect(maskIdNumber('33048319900101123X')).toBe('330***********123X');
  });

  it('masks phones and IDs inside nested values and redacts secrets', () => {
    const masked = maskPersonalData({
      note: 'call 13812341234 about 33048319900101123X',
      password: 'Secret#123',
      nested: [{ phone: '13900001111', totpCode: '123456' }],
    });
    expect(masked).toEqual({
      note: 'call 138****1234 about 330***********123X',
      password: '[redacted]',
      nested: [{ phone: '139****1111', totpCode: '[redacted]' }],
    });
  });

  it('leaves credit codes alone, even all-digit ones in free text', () => {
    expect(maskPersonalData({ creditCode: '91330483MA2B12345X' })).toEqual({ creditCode: '91330483MA2B12345X' });
    expect(maskPersonalData({ credit_code: '913304836676195301' })).toEqual({ credit_code: '913304836676195301' });
    expect(maskPersonalData({ note: '代码 913304836676195301' })).toEqual({ note: '代码 913304836676195301' });
  });

  it('redacts webhook fields and credentials in URLs (a robot’s access_token, its signature)', () => {
    expect(maskPersonalData({ webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc' })).toEqual({ webhookUrl: '[redacted]' });
    expect(maskPersonalData({ note: 'sent to https://oapi.dingtalk.com/robot/send?access_token=abcdef123&timestamp=1&sign=xyz%3D failed' })).toEqual({
      note: 'sent to https://oapi.dingtalk.com/robot/send?access_token=[redacted]&timestamp=1&sign=[redacted] failed',
    });
  });
});
