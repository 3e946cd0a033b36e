// The terminal settings a browser remembers: what localStorage holds is untrusted, so
// anything malformed falls back to the defaults, and a change reaches every listener.
import { describe, expect, it } from 'vitest';
import { SettingsStore, type KeyValueStorage } from '../../web/src/terminal-settings.ts';

function storage(initial: Record<string, string> = {}): KeyValueStorage {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

function settingsWith(stored: Record<string, string>) {
  const local = storage(stored);
  return { store: new SettingsStore(local), local };
}

describe('terminal settings', () => {
  it('starts from the defaults in a new browser', () => {
    const { store } = settingsWith({});
    expect(store.get()).toEqual({ fontSize: 14, screenReader: false, webgl: true });
  });

  it('keeps what was saved, and ignores what is malformed or out of range', () => {
    const saved = {
      'nslab.terminal-settings': '{"fontSize":18,"screenReader":true,"webgl":false}',
    };
    expect(settingsWith(saved).store.get()).toEqual({
      fontSize: 18,
      screenReader: true,
      webgl: false,
    });
    const odd = { 'nslab.terminal-settings': '{"fontSize":400,"screenReader":"yes"}' };
    expect(settingsWith(odd).store.get()).toEqual({
      fontSize: 14,
      screenReader: false,
      webgl: true,
    });
    const broken = { 'nslab.terminal-settings': '{not json' };
    expect(settingsWith(broken).store.get().fontSize).toBe(14);
  });

  it('saves a change and tells every listener until it unsubscribes', () => {
    const { store, local } = settingsWith({});
    const heard: number[] = [];
    const stop = store.subscribe((s) => heard.push(s.fontSize));
    store.update({ fontSize: 16 });
    stop();
    store.update({ fontSize: 17 });
    expect(heard).toEqual([16]);
    expect(JSON.parse(local.getItem('nslab.terminal-settings') ?? '{}')).toMatchObject({
      fontSize: 17,
    });
  });
});
