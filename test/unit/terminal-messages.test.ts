import { describe, expect, it } from 'vitest';
import {
  CLIENT_CONTROL_TYPES,
  parseClientControl,
  parseServerControl,
  TERMINAL_LIMITS,
} from '../../server/protocol/terminal-messages.ts';
import { mulberry32 } from './support/random.ts';

function resize(cols: unknown, rows: unknown): string {
  return JSON.stringify({ type: 'resize', cols, rows });
}

describe('parseClientControl', () => {
  it('accepts a valid resize', () => {
    expect(parseClientControl(resize(120, 40))).toEqual({
      ok: true,
      value: { type: 'resize', cols: 120, rows: 40 },
    });
  });

  it('accepts a ping', () => {
    expect(parseClientControl('{"type":"ping"}')).toEqual({ ok: true, value: { type: 'ping' } });
  });

  it('drops extra fields from a valid message', () => {
    const result = parseClientControl('{"type":"ping","cmd":"rm -rf /"}');
    expect(result).toEqual({ ok: true, value: { type: 'ping' } });
  });

  it.each([
    ['not JSON', 'resize 80 24'],
    ['empty string', ''],
    ['truncated JSON', '{"type":"resize","cols":80'],
    ['an array', '["resize", 80, 24]'],
    ['an array of a message', '[{"type":"ping"}]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"ping"'],
    ['true', 'true'],
    ['unknown type', '{"type":"exec","cmd":"id"}'],
    ['a server type', '{"type":"pong"}'],
    ['type in another case', '{"type":"PING"}'],
    ['type not a string', '{"type":["ping"]}'],
    ['no type', '{"cols":80,"rows":24}'],
    ['missing cols', '{"type":"resize","rows":24}'],
    ['missing rows', '{"type":"resize","cols":80}'],
    ['string cols', resize('80', 24)],
    ['string rows', resize(80, '24')],
    ['null cols', resize(null, 24)],
    ['boolean rows', resize(80, true)],
    ['object cols', resize({ valueOf: 80 }, 24)],
    ['NaN cols (serialized as null)', resize(Number.NaN, 24)],
    ['Infinity rows (serialized as null)', resize(80, Number.POSITIVE_INFINITY)],
    ['huge exponent cols (parses to Infinity)', '{"type":"resize","cols":1e999,"rows":24}'],
    [
      'huge negative exponent rows (parses to -Infinity)',
      '{"type":"resize","cols":80,"rows":-1e999}',
    ],
  ])('rejects %s without throwing', (_label, text) => {
    let result: ReturnType<typeof parseClientControl> | undefined;
    expect(() => {
      result = parseClientControl(text);
    }).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result !== undefined && !result.ok) expect(result.error).toMatch(/\S/);
  });

  it.each([
    ['negative', -5, -5, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.minRows],
    ['zero', 0, 0, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.minRows],
    ['1e9', 1e9, 1e9, TERMINAL_LIMITS.maxCols, TERMINAL_LIMITS.maxRows],
    [
      'Number.MAX_VALUE',
      Number.MAX_VALUE,
      Number.MAX_VALUE,
      TERMINAL_LIMITS.maxCols,
      TERMINAL_LIMITS.maxRows,
    ],
    ['fractional', 80.6, 24.4, 81, 24],
    ['fractional below the minimum', 0.4, 0.4, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.minRows],
    [
      'one above the maximum',
      TERMINAL_LIMITS.maxCols + 1,
      TERMINAL_LIMITS.maxRows + 1,
      TERMINAL_LIMITS.maxCols,
      TERMINAL_LIMITS.maxRows,
    ],
    [
      'exactly the minimum',
      TERMINAL_LIMITS.minCols,
      TERMINAL_LIMITS.minRows,
      TERMINAL_LIMITS.minCols,
      TERMINAL_LIMITS.minRows,
    ],
    [
      'exactly the maximum',
      TERMINAL_LIMITS.maxCols,
      TERMINAL_LIMITS.maxRows,
      TERMINAL_LIMITS.maxCols,
      TERMINAL_LIMITS.maxRows,
    ],
  ])('clamps %s sizes to TERMINAL_LIMITS', (_label, cols, rows, wantCols, wantRows) => {
    expect(parseClientControl(resize(cols, rows))).toEqual({
      ok: true,
      value: { type: 'resize', cols: wantCols, rows: wantRows },
    });
  });

  it('never throws and only ever yields in-range integer sizes for random input', () => {
    const random = mulberry32(0x5eed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const numbers = [
      0,
      -1,
      1,
      80,
      24,
      1e9,
      -1e9,
      0.5,
      9.5,
      499.5,
      1e308,
      -0,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    const randomValue = (depth: number): unknown => {
      switch (Math.floor(random() * 9)) {
        case 0:
          return null;
        case 1:
          return random() < 0.5;
        case 2:
          return pick(numbers);
        case 3:
          return (random() - 0.5) * 10 ** Math.floor(random() * 12);
        case 4:
          return pick(['resize', 'ping', 'pong', '', '__proto__', 'constructor', 'cols', '\u0000']);
        case 5:
          return depth > 2
            ? 0
            : Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
        case 6:
          return {
            type: pick([...CLIENT_CONTROL_TYPES, 'exec', 7, null]),
            cols: randomValue(depth + 1),
            rows: randomValue(depth + 1),
          };
        case 7:
          return depth > 2
            ? {}
            : Object.fromEntries([
                [pick(['type', 'cols', 'rows', '__proto__', 'x']), randomValue(depth + 1)],
              ]);
        default:
          return String.fromCharCode(
            ...Array.from({ length: Math.floor(random() * 12) }, () =>
              Math.floor(random() * 0x250),
            ),
          );
      }
    };
    const randomText = (): string => {
      const roll = random();
      if (roll < 0.45) return JSON.stringify(randomValue(0));
      if (roll < 0.9) {
        // Mutate valid frames: JSON-ish punctuation in random places.
        const base = pick([
          resize(80, 24),
          '{"type":"ping"}',
          '{"type":"resize","cols":1e999,"rows":-1e999}',
        ]);
        const chars = Array.from(base);
        for (let i = Math.floor(random() * 4); i >= 0; i--) {
          chars[Math.floor(random() * chars.length)] = pick([
            '{',
            '}',
            '"',
            ':',
            ',',
            '[',
            ']',
            '-',
            'e',
            '9',
            '\\',
            ' ',
          ]);
        }
        return chars.join('');
      }
      return String.fromCharCode(
        ...Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 0xffff)),
      );
    };

    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const text = randomText();
      let result: ReturnType<typeof parseClientControl>;
      try {
        result = parseClientControl(text);
      } catch (error) {
        throw new Error(`parseClientControl threw for ${JSON.stringify(text)}`, { cause: error });
      }
      if (!result.ok) {
        expect(typeof result.error).toBe('string');
        continue;
      }
      accepted++;
      if (result.value.type === 'resize') {
        const { cols, rows } = result.value;
        expect(
          Number.isInteger(cols) &&
            cols >= TERMINAL_LIMITS.minCols &&
            cols <= TERMINAL_LIMITS.maxCols,
        ).toBe(true);
        expect(
          Number.isInteger(rows) &&
            rows >= TERMINAL_LIMITS.minRows &&
            rows <= TERMINAL_LIMITS.maxRows,
        ).toBe(true);
      } else {
        expect(result.value).toEqual({ type: 'ping' });
      }
    }
    // The generator must exercise the accepting path too, or the range assertions prove nothing.
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('parseServerControl', () => {
  it.each([
    '{"type":"ready","terminal":"isolated","replayed":false}',
    '{"type":"exit","code":0,"reason":"shell exited"}',
    '{"type":"error","message":"boom"}',
    '{"type":"pong"}',
  ])('accepts %s', (text) => {
    const result = parseServerControl(text);
    expect(result).toEqual({ ok: true, value: JSON.parse(text) as unknown });
  });

  it.each([
    ['not JSON', '<html>'],
    ['null', 'null'],
    ['an array', '[{"type":"pong"}]'],
    ['no type', '{"terminal":"x"}'],
    ['non-string type', '{"type":1}'],
    ['a client type', '{"type":"ping"}'],
    ['an unknown type', '{"type":"shutdown"}'],
  ])('rejects %s', (_label, text) => {
    const result = parseServerControl(text);
    expect(result.ok).toBe(false);
  });
});
