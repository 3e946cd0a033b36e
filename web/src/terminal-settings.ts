// The learner's terminal settings, remembered per browser (localStorage) and shared by every
// terminal of the page: a change in one toolbar reaches every open terminal at once.

export interface TerminalSettings {
  fontSize: number;
  /** xterm's screen-reader mode: an accessible copy of the screen for assistive technology. */
  screenReader: boolean;
  /** The WebGL renderer; the DOM renderer is the fallback when it is off or fails. */
  webgl: boolean;
}

export const FONT_SIZE_RANGE = { min: 10, max: 28 } as const;
const DEFAULTS: TerminalSettings = { fontSize: 14, screenReader: false, webgl: true };
const STORAGE_KEY = 'nslab.terminal-settings';

/** The part of localStorage used here; typed apart so the unit tests can hand in their own. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Whatever the storage holds is untrusted: anything malformed falls back to the default. */
function load(storage: KeyValueStorage | undefined): TerminalSettings {
  try {
    const raw = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') as Partial<
      Record<keyof TerminalSettings, unknown>
    >;
    const size = raw.fontSize;
    return {
      fontSize:
        typeof size === 'number' && size >= FONT_SIZE_RANGE.min && size <= FONT_SIZE_RANGE.max
          ? Math.round(size)
          : DEFAULTS.fontSize,
      screenReader:
        typeof raw.screenReader === 'boolean' ? raw.screenReader : DEFAULTS.screenReader,
      webgl: typeof raw.webgl === 'boolean' ? raw.webgl : DEFAULTS.webgl,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

type Listener = (settings: TerminalSettings) => void;

export class SettingsStore {
  private current: TerminalSettings;
  private readonly listeners = new Set<Listener>();

  /** Without storage (a browser that refuses it), settings hold for this page only. */
  constructor(private readonly storage: KeyValueStorage | undefined) {
    this.current = load(storage);
  }

  get(): TerminalSettings {
    return this.current;
  }

  update(change: Partial<TerminalSettings>): void {
    this.current = { ...this.current, ...change };
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.current));
    } catch {
      // Storage refused (private mode, full): the setting holds for this page only.
    }
    for (const listener of this.listeners) listener(this.current);
  }

  /** Calls back on every change; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Reading localStorage itself throws where the browser blocks site data. */
function browserStorage(): KeyValueStorage | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
  } catch {
    return undefined;
  }
}

export const terminalSettings = new SettingsStore(browserStorage());
