import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('loadConfig', () => {
  it('gives embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.dataDir).toBe('.phoenix/data');
    expect(config.kv.redisUrl).toBeUndefined();
    expect(config.http.corsOrigins).toEqual([]);
  });

  it('parses lists, numbers and URLs', () => {
    const config = loadConfig({
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      DATABASE_URL: 'postgres://u@localhost:5432/db',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_REQUESTS: 'false',
    });
    expect(config.http.port).toBe(8080);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.database.url).toBe('postgres://u@localhost:5432/db');
    expect(config.log.requests).toBe(false);
  });

  it('caps the uploads a process receives at once: 8 unless set, at least 1', () => {
    expect(loadConfig({}).media.uploadsInFlight).toBe(8);
    expect(loadConfig({ CHAMPION_UPLOADS_IN_FLIGHT: '2' }).media.uploadsInFlight).toBe(2);
    for (const value of ['0', '1.5', 'many']) {
      expect(() => loadConfig({ CHAMPION_UPLOADS_IN_FLIGHT: value })).toThrow(
        /CHAMPION_UPLOADS_IN_FLIGHT: expected a positive integer/,
      );
    }
  });

  it('waits 30 s for the next bytes of an upload unless set, at least 1 s', () => {
    expect(loadConfig({}).media.uploadIdleSeconds).toBe(30);
    expect(loadConfig({ CHAMPION_UPLOAD_IDLE_SECONDS: '5' }).media.uploadIdleSeconds).toBe(5);
    for (const value of ['0', '0.5', 'soon']) {
      expect(() => loadConfig({ CHAMPION_UPLOAD_IDLE_SECONDS: value })).toThrow(
        /CHAMPION_UPLOAD_IDLE_SECONDS: expected a positive integer/,
      );
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.url).toBeUndefined();
  });

  it('names every malformed variable and what was expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as ConfigError).message).toMatch(/PORT: expected a port number/);
    expect((error as ConfigError).message).toMatch(
      /DATABASE_URL: expected a URL starting with postgres/,
    );
  });
});
