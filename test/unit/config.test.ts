import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultOrigins, loadConfig } from '../../server/config.ts';
import { REPO_ROOT } from '../../server/repo-root.ts';
import path from 'node:path';

const KEYS = [
  'NSLAB_HOST',
  'NSLAB_PORT',
  'NSLAB_INSTANCE',
  'NSLAB_TOKEN',
  'NSLAB_ALLOWED_ORIGINS',
  'NSLAB_GRACE_MS',
] as const;

describe('loadConfig', () => {
  let saved: Partial<Record<(typeof KEYS)[number], string>>;

  beforeEach(() => {
    saved = {};
    for (const key of KEYS) {
      const value = process.env[key];
      if (value !== undefined) saved[key] = value;
      Reflect.deleteProperty(process.env, key);
    }
  });

  afterEach(() => {
    for (const key of KEYS) {
      const value = saved[key];
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  });

  it('has defaults for a learner on their own machine', () => {
    const config = loadConfig();
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.instance).toBe('default');
    expect(config.graceMs).toBe(30_000);
    expect(config.allowedOrigins).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(config.repoRoot).toBe(REPO_ROOT);
    expect(REPO_ROOT).toBe(path.resolve(import.meta.dirname, '../..'));
  });

  it('generates a long random token unless one is given', () => {
    const a = loadConfig().token;
    const b = loadConfig().token;
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    process.env.NSLAB_TOKEN = 'fixed';
    expect(loadConfig().token).toBe('fixed');
  });

  it.each(['abc', '-1', '65536', '80.5', '1e9', 'NaN', 'Infinity'])(
    'rejects NSLAB_PORT=%j',
    (port) => {
      process.env.NSLAB_PORT = port;
      expect(() => loadConfig()).toThrow(/NSLAB_PORT must be an integer between 0 and 65535/);
    },
  );

  it.each([
    ['0', 0],
    ['9000', 9000],
    ['65535', 65535],
  ])('accepts NSLAB_PORT=%j', (port, want) => {
    process.env.NSLAB_PORT = port;
    expect(loadConfig().port).toBe(want);
  });

  it('treats an empty NSLAB_PORT as unset', () => {
    process.env.NSLAB_PORT = '';
    expect(loadConfig().port).toBe(8080);
  });

  it.each(['Bad', 'has space', '-leading-dash', '', 'a'.repeat(33), 'under_score', '../x'])(
    'rejects NSLAB_INSTANCE=%j',
    (instance) => {
      process.env.NSLAB_INSTANCE = instance;
      expect(() => loadConfig()).toThrow(/NSLAB_INSTANCE must match/);
    },
  );

  it('accepts a well-formed NSLAB_INSTANCE', () => {
    process.env.NSLAB_INSTANCE = 'workshop-2';
    expect(loadConfig().instance).toBe('workshop-2');
  });

  it('rejects an out-of-range NSLAB_GRACE_MS', () => {
    process.env.NSLAB_GRACE_MS = '-5';
    expect(() => loadConfig()).toThrow(/NSLAB_GRACE_MS/);
  });

  it('reads a comma-separated origin list', () => {
    process.env.NSLAB_ALLOWED_ORIGINS = 'http://a.example:1, http://b.example:2 ,';
    expect(loadConfig().allowedOrigins).toEqual(['http://a.example:1', 'http://b.example:2']);
  });

  it('derives the origins from the port it will listen on', () => {
    process.env.NSLAB_PORT = '9001';
    expect(loadConfig().allowedOrigins).toEqual(['http://127.0.0.1:9001', 'http://localhost:9001']);
  });

  it('lets overrides win over the environment', () => {
    process.env.NSLAB_PORT = 'not-a-port';
    process.env.NSLAB_INSTANCE = 'BAD';
    const config = loadConfig({ port: 1234, instance: 'ok', token: 't' });
    expect(config).toMatchObject({ port: 1234, instance: 'ok', token: 't' });
  });

  it('validates an instance given as an override too', () => {
    expect(() => loadConfig({ instance: 'Not OK' })).toThrow(/NSLAB_INSTANCE/);
  });
});

describe('defaultOrigins', () => {
  it('lists 127.0.0.1 and localhost for 127.0.0.1', () => {
    expect(defaultOrigins('127.0.0.1', 8080)).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
    ]);
  });

  it('never lists the wildcard address 0.0.0.0 as an origin', () => {
    const origins = defaultOrigins('0.0.0.0', 8080);
    expect(origins).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(origins.join(' ')).not.toContain('0.0.0.0');
  });

  it('never lists the IPv6 wildcard either', () => {
    expect(defaultOrigins('::', 3000)).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
  });

  it('adds a named host and brackets an IPv6 address', () => {
    expect(defaultOrigins('lab.example', 80)).toEqual([
      'http://lab.example:80',
      'http://127.0.0.1:80',
      'http://localhost:80',
    ]);
    expect(defaultOrigins('::1', 8080)).toContain('http://[::1]:8080');
  });
});
