// The language of a request: `?lang=` on the API, English when absent, a 400 naming the
// parameter for anything else, and lab texts resolved in it (a plain string reads the same
// in both languages, a Localized one in the chosen language).
import { describe, expect, it } from 'vitest';
import { t } from '../../labs/shared/localized.ts';
import { LANGUAGES as LAB_LANGUAGES, type Lang as LabLang } from '../../labs/shared/localized.ts';
import { summarize } from '../../server/catalogue/catalogue.ts';
import { inLang } from '../../server/catalogue/lab-text.ts';
import type { LabSummary } from '../../server/protocol/api-types.ts';
import { LANGUAGES, withLang, type Lang } from '../../server/protocol/lang.ts';
import { apiPath } from '../../server/protocol/routes.ts';
import { goodLab } from './support/catalogue-fixtures.ts';
import { apiError, authed, send, useTestApp } from './support/http-app-harness.ts';

useTestApp();

// The labs' contract and the wire name the same languages: a compile-time check both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameLanguages: Same<Lang, LabLang> = true;

describe('the request language', () => {
  it('is the same list for the labs and the wire', () => {
    expect(sameLanguages).toBe(true);
    expect([...LANGUAGES]).toEqual([...LAB_LANGUAGES]);
  });

  it.each(['fr', 'ZH', 'zh-CN', '', 'en,zh'])(
    'answers 400 naming the parameter for lang=%j',
    async (lang) => {
      const reply = await send(`${apiPath('labs')}?lang=${encodeURIComponent(lang)}`, authed());
      expect(reply.status).toBe(400);
      expect(apiError(reply)).toEqual({
        code: 'bad_request',
        messageId: 'bad_lang',
        params: { param: 'lang', languages: 'en, zh' },
        message: 'The query parameter "lang" must be one of en, zh.',
      });
    },
  );

  it('answers 400 for the parameter given twice', async () => {
    const reply = await send(`${apiPath('labs')}?lang=zh&lang=en`, authed());
    expect(reply.status).toBe(400);
    expect(apiError(reply).message).toContain('"lang"');
  });

  it('refuses a bad language on every API route, before the route runs', async () => {
    const start = await send(`${apiPath('startSession')}?lang=klingon`, {
      ...authed({ method: 'POST', body: '{"labId":"uts"}' }),
      headers: {
        authorization: 'Bearer unit-test-token-0123456789',
        'content-type': 'application/json',
      },
    });
    expect(start.status).toBe(400);
    expect(apiError(start).message).toContain('"lang"');
    const progress = await send(`${apiPath('progress')}?lang=xx`, authed());
    expect(progress.status).toBe(400);
  });

  it('accepts en, zh and no parameter, and lists the same labs in each', async () => {
    const lists: LabSummary[][] = [];
    for (const path of [
      apiPath('labs'),
      withLang(apiPath('labs'), 'en'),
      `${apiPath('labs')}?lang=en`,
      withLang(apiPath('labs'), 'zh'),
    ]) {
      const reply = await send(path, authed());
      expect(reply.status).toBe(200);
      lists.push(JSON.parse(reply.text) as LabSummary[]);
    }
    const ids = lists.map((labs) => labs.map((lab) => lab.id));
    expect(new Set(ids.map((list) => list.join()))).toHaveProperty('size', 1);
    // English stays the default: no parameter and lang=en give the same words.
    expect(lists[0]).toEqual(lists[1]);
    expect(lists[0]).toEqual(lists[2]);
  });

  it('sends no parameter for English and ?lang=zh for Chinese', () => {
    expect(withLang('/api/labs', undefined)).toBe('/api/labs');
    expect(withLang('/api/labs', 'en')).toBe('/api/labs');
    expect(withLang('/api/labs', 'zh')).toBe('/api/labs?lang=zh');
    expect(withLang('/api/x?a=1', 'zh')).toBe('/api/x?a=1&lang=zh');
  });
});

describe('lab texts in a language', () => {
  it('reads a plain string the same in both languages', () => {
    expect(inLang('namespace', 'en')).toBe('namespace');
    expect(inLang('namespace', 'zh')).toBe('namespace');
  });

  it('reads a Localized text in the chosen language, English where the Chinese is empty', () => {
    expect(inLang(t('namespace', '命名空间'), 'zh')).toBe('命名空间');
    expect(inLang(t('namespace', '命名空间'), 'en')).toBe('namespace');
    expect(inLang(t('namespace', ''), 'zh')).toBe('namespace');
  });

  it('summarizes a translated lab in each language', () => {
    const lab = goodLab({
      title: t('The UTS namespace', 'UTS 命名空间'),
      summary: t('Host names.', '主机名。'),
    });
    expect(summarize(lab, undefined, 'zh')).toMatchObject({
      title: 'UTS 命名空间',
      summary: '主机名。',
    });
    expect(summarize(lab, t('not here', '此处不可用'), 'zh')).toMatchObject({
      unavailable: '此处不可用',
    });
    expect(summarize(lab)).toMatchObject({ title: 'The UTS namespace', summary: 'Host names.' });
  });
});

describe('an error body (server/errors/server-message.ts)', () => {
  it('is in the language the request asked for, with the same id and params in each', async () => {
    const path = apiPath('startSession');
    const init = {
      method: 'POST',
      body: '{"labId":"uts","image":"alpine"}',
      headers: {
        authorization: 'Bearer unit-test-token-0123456789',
        'content-type': 'application/json',
      },
    };
    const en = apiError(await send(path, init));
    const zh = apiError(await send(`${path}?lang=zh`, init));
    expect(en).toEqual({
      code: 'bad_request',
      messageId: 'unexpected_field',
      params: { field: 'image' },
      message: 'Unexpected field "image".',
    });
    expect(zh).toEqual({ ...en, message: '意外的字段 "image"。' });
  });

  it('is in Chinese before the token is checked too', async () => {
    const reply = await send(`${apiPath('labs')}?lang=zh`, {});
    expect(reply.status).toBe(401);
    expect(apiError(reply)).toEqual({
      code: 'unauthorized',
      messageId: 'token_wrong',
      message: 'nslab 令牌缺失或不正确。',
    });
  });
});
