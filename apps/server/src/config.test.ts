import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has defaults for a laptop: port 8080 on loopback, SQLite, 等保 passwords', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', QINQING_DEMO: false, QINQING_PASSWORD_PROFILE: 'dengbao' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'eighty', QINQING_SECRET_KEY: 'short', QINQING_PASSWORD_PROFILE: 'weak' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('QINQING_SECRET_KEY: must be 32 hexadecimal characters');
      expect(message).toContain('QINQING_PASSWORD_PROFILE');
    }
  });

  it('reads flags in the usual spellings', () => {
    expect(loadConfig({ QINQING_DEMO: '1' }).QINQING_DEMO).toBe(true);
    expect(loadConfig({ QINQING_DEMO: 'true' }).QINQING_DEMO).toBe(true);
    expect(loadConfig({ QINQING_DEMO: '0' }).QINQING_DEMO).toBe(false);
    expect(() => loadConfig({ QINQING_DEMO: 'maybe' })).toThrow(/QINQING_DEMO/);
  });

  it('allows robot webhooks on DingTalk and 浙政钉 unless told otherwise, as a trimmed lower-case list', () => {
    expect(loadConfig({}).QINQING_WEBHOOK_HOSTS).toEqual(['oapi.dingtalk.com', 'openplatform.dg-work.cn']);
    expect(loadConfig({ QINQING_WEBHOOK_HOSTS: ' OAPI.dingtalk.com , 127.0.0.1,' }).QINQING_WEBHOOK_HOSTS).toEqual(['oapi.dingtalk.com', '127.0.0.1']);
    expect(() => loadConfig({ QINQING_WEBHOOK_HOSTS: 'evil.example.com/path' })).toThrow(/QINQING_WEBHOOK_HOSTS/);
    expect(() => loadConfig({ QINQING_PUBLIC_URL: 'ftp://qinqing.example.cn' })).toThrow(/QINQING_PUBLIC_URL/);
    expect(loadConfig({ QINQING_PUBLIC_URL: 'https://qinqing.example.cn' }).QINQING_PUBLIC_URL).toBe('https://qinqing.example.cn');
  });
});
