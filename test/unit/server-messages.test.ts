// Everything the server says to a person (error bodies, terminal notices, preflight reasons)
// is a `message(id, en, zh)`. This loads every server module, so every message is defined,
// and holds each to both languages: a new English-only message (a blank or copied Chinese
// text, a placeholder one language forgot) fails here, not in front of a Chinese reader.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  definedMessages,
  message,
  placeholders,
  render,
} from '../../server/errors/server-message.ts';

// The CLI's entry runs its command on import; every other server module only defines things.
const SERVER = fileURLToPath(new URL('../../server/', import.meta.url));
const modules = readdirSync(SERVER, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && file !== path.join('cli', 'nslab.ts'))
  .map((file) => path.join(SERVER, file));
const HAN = /\p{Script=Han}/u;

beforeAll(async () => {
  for (const file of modules) await import(pathToFileURL(file).href);
}, 120_000);

describe('every message the server defines', () => {
  it('is found in every module (the catalogue is not empty by accident)', () => {
    expect(modules.length).toBeGreaterThan(100);
    expect(definedMessages().length).toBeGreaterThan(60);
  });

  it('has an id of its own', () => {
    const ids = definedMessages().map((m) => m.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('has English and Chinese text that differ, with the same placeholders', () => {
    const problems: string[] = [];
    for (const { id, text } of definedMessages()) {
      if (text.en.trim() === '') problems.push(`${id}: no English`);
      if (text.zh.trim() === '') problems.push(`${id}: no Chinese`);
      else if (!HAN.test(text.zh)) problems.push(`${id}: the Chinese text has no Chinese in it`);
      if (text.en === text.zh) problems.push(`${id}: the Chinese text is the English one`);
      const en = placeholders(text.en).join(',');
      const zh = placeholders(text.zh).join(',');
      if (en !== zh) problems.push(`${id}: placeholders {${en}} in English, {${zh}} in Chinese`);
    }
    expect(problems).toEqual([]);
  });
});

describe('a message', () => {
  const sample = message(
    'test_sample',
    'At most {{max}} for {{who}}.',
    '{{who}} 最多 {{max}} 个。',
  );

  it('fills its placeholders in the language asked for', () => {
    const said = sample({ max: 3, who: 'ann' });
    expect(render(said, 'en')).toBe('At most 3 for ann.');
    expect(render(said, 'zh')).toBe('ann 最多 3 个。');
  });
});
