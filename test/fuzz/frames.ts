// Random and malformed terminal frames, each with the answer the protocol promises: text
// frames that are not a valid control message get exactly one `error` control, a ping gets
// a `pong`, a valid resize (any finite numbers: they are clamped) and every binary frame
// (keystrokes) get no control answer. Seeded, so a failing run can be replayed.

export type Expect = 'error' | 'pong' | 'none';

export interface FuzzFrame {
  kind: string;
  data: Buffer | string;
  binary: boolean;
  expect: Expect;
}

/** mulberry32: small, fast, good enough to pick fuzz cases reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNICODE = [
  'héllo',
  '日本語のテキスト',
  '🙂🚀👩‍💻',
  'مرحبا',
  '\u200b\u200d\u2060',
  'e\u0301\u0302\u0303',
  '\u0000\u0007\u001b[31m',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u2028\u2029',
  '𝕏𝔂𝖟',
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  80,
  24,
  9,
  10,
  500,
  501,
  1e9,
  -1e9,
  1e308,
  -1e308,
  5e-324,
  2 ** 53,
  -(2 ** 53),
  0.5,
  79.5,
  3.999,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
];

const BAD_VALUES = ['"80"', 'null', 'true', 'false', '[]', '{}', '"NaN"', '"Infinity"', '[80]'];
const NON_JSON = ['NaN', 'Infinity', '-Infinity', 'undefined', '0x50', '1e999e9', "'80'"];
const BAD_TYPES = [
  '"PING"',
  '"resize "',
  '" ping"',
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '"hasOwnProperty"',
  '"exit"',
  '"ready"',
  '"pong"',
  '""',
  '1',
  'null',
  '["ping"]',
  '{"type":"ping"}',
];

export class FrameSource {
  private readonly random: () => number;

  constructor(readonly seed: number) {
    this.random = prng(seed);
  }

  private int(max: number): number {
    return Math.floor(this.random() * max);
  }

  private pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('empty list');
    return item;
  }

  private bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  private number(): string {
    const r = this.random();
    if (r < 0.5) return String(this.pick(NUMBERS));
    if (r < 0.8) return String((this.random() - 0.5) * 10 ** this.int(12));
    // Exponent forms JSON accepts and JSON.parse keeps finite.
    return `${this.int(10)}.${this.int(1000)}e${this.pick(['', '-', '+'])}${this.int(300)}`;
  }

  private unicodeString(): string {
    let s = '';
    const n = 1 + this.int(6);
    for (let i = 0; i < n; i++) s += this.pick(UNICODE);
    return s;
  }

  /** A random JSON value that is never a valid control message. */
  private jsonValue(depth: number): string {
    const r = this.random();
    if (depth > 4 || r < 0.3) {
      return this.pick([
        () => this.number(),
        () => JSON.stringify(this.unicodeString()),
        () => 'null',
        () => 'true',
        () => '"ping"',
        () => '"resize"',
      ])();
    }
    if (r < 0.5) {
      const n = this.int(5);
      return `[${Array.from({ length: n }, () => this.jsonValue(depth + 1)).join(',')}]`;
    }
    const n = this.int(5);
    const keys = ['cols', 'rows', 'data', '__proto__', 'constructor', 'prototype', 'Type', 'TYPE'];
    const fields = Array.from(
      { length: n },
      () =>
        `${JSON.stringify(this.random() < 0.7 ? this.pick(keys) : this.unicodeString())}:${this.jsonValue(depth + 1)}`,
    );
    if (this.random() < 0.5) fields.push(`"type":${this.pick(BAD_TYPES)}`);
    return `{${fields.join(',')}}`;
  }

  next(): FuzzFrame {
    const r = this.random();
    if (r < 0.42) return this.binaryOrEmpty(r);
    if (r < 0.68) return this.resize(r);
    return this.text(r);
  }

  /** r below 0.42: binary frames, and the empty text frame. */
  private binaryOrEmpty(r: number): FuzzFrame {
    if (r < 0.25) {
      return {
        kind: 'binary random bytes',
        data: this.bytes(1 + this.int(64)),
        binary: true,
        expect: 'none',
      };
    }
    if (r < 0.28) {
      return {
        kind: 'binary random block',
        data: this.bytes(64 + this.int(4096)),
        binary: true,
        expect: 'none',
      };
    }
    if (r < 0.36) {
      return {
        kind: 'binary unicode',
        data: Buffer.from(this.unicodeString(), 'utf8'),
        binary: true,
        expect: 'none',
      };
    }
    if (r < 0.39)
      return { kind: 'binary empty', data: Buffer.alloc(0), binary: true, expect: 'none' };
    return { kind: 'text empty', data: '', binary: false, expect: 'error' };
  }

  /** r from 0.42 to 0.68: resizes, finite, infinite and malformed. */
  private resize(r: number): FuzzFrame {
    if (r < 0.54) {
      const ws = this.random() < 0.2 ? ' \n\t' : '';
      return {
        kind: 'resize finite (clamped)',
        data: `${ws}{"type":"resize","cols":${this.number()},"rows":${this.number()}}${ws}`,
        binary: false,
        expect: 'none',
      };
    }
    if (r < 0.57) {
      const inf = this.pick(['1e999', '-1e999']);
      return {
        kind: 'resize infinite',
        data:
          this.random() < 0.5
            ? `{"type":"resize","cols":${inf},"rows":24}`
            : `{"type":"resize","cols":80,"rows":${inf}}`,
        binary: false,
        expect: 'error',
      };
    }
    if (r < 0.65) {
      const bad = this.pick(BAD_VALUES);
      const variants = [
        `{"type":"resize","cols":${bad},"rows":24}`,
        `{"type":"resize","cols":80,"rows":${bad}}`,
        `{"type":"resize","cols":80}`,
        `{"type":"resize"}`,
        `{"type":"resize","__proto__":{"cols":80,"rows":24}}`,
      ];
      return {
        kind: 'resize malformed',
        data: this.pick(variants),
        binary: false,
        expect: 'error',
      };
    }
    const token = this.pick(NON_JSON);
    return {
      kind: 'resize NaN/Infinity tokens (not JSON)',
      data: `{"type":"resize","cols":${token},"rows":${token}}`,
      binary: false,
      expect: 'error',
    };
  }

  /** r from 0.68: pings, and text that is not a control message. */
  private text(r: number): FuzzFrame {
    if (r < 0.74) {
      const variants = [
        '{"type":"ping"}',
        ' {"type":"ping"} ',
        '{"type":"ping","extra":[1,2,3]}',
        '{"cols":1e9,"type":"ping"}',
      ];
      return { kind: 'ping', data: this.pick(variants), binary: false, expect: 'pong' };
    }
    if (r < 0.86)
      return {
        kind: 'text random JSON shape',
        data: this.jsonValue(0),
        binary: false,
        expect: 'error',
      };
    if (r < 0.94) {
      const garbage =
        this.random() < 0.5
          ? this.unicodeString()
          : this.bytes(1 + this.int(200)).toString('latin1');
      // A stray digit string parses as a number, still not a control message.
      return { kind: 'text garbage', data: garbage, binary: false, expect: 'error' };
    }
    if (r < 0.96) {
      const prefix = this.pick(['\ufeff', '\u0000', 'x', ']']);
      return {
        kind: 'text almost a ping',
        data: `${prefix}{"type":"ping"}`,
        binary: false,
        expect: 'error',
      };
    }
    if (r < 0.98) {
      const depth = 100 + this.int(9_000);
      const open = this.random() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      return {
        kind: 'text deep nesting',
        data: `${open.repeat(depth)}1${close.repeat(depth)}`,
        binary: false,
        expect: 'error',
      };
    }
    if (r < 0.99) {
      return {
        kind: 'text long (~60 KiB)',
        data: `{"type":"resize","cols":"${'9'.repeat(60_000)}","rows":24}`,
        binary: false,
        expect: 'error',
      };
    }
    return {
      kind: 'text huge digit run (finite)',
      data: `{"type":"resize","cols":${'9'.repeat(300)},"rows":${'1'.repeat(20)}}`,
      binary: false,
      expect: 'none',
    };
  }
}
