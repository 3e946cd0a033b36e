// The control room's workshop routes over HTTP, on the real app and progress store: the
// offered labs read and chosen (bad bodies refused in words), the catalogue and the
// learner's path following the choice, preflight's state, and the export as a download.
import { describe, expect, it } from 'vitest';
import type {
  LabSummary,
  OfferedLabsView,
  PreflightView,
  ProgressView,
} from '../../server/protocol/api-types.ts';
import { apiPath } from '../../server/protocol/routes.ts';
import { apiError, authed, postJson, send, useTestApp } from './support/http-app-harness.ts';

useTestApp();

const ids = (labs: LabSummary[]): string[] => labs.map((lab) => lab.id);

describe('workshop routes', () => {
  it('offers every lab until the instructor chooses, then only the chosen, in order', async () => {
    const before = JSON.parse(
      (await send(apiPath('offeredLabs'), authed())).text,
    ) as OfferedLabsView;
    expect(before.offered).toEqual(ids(before.labs));
    expect(before.labs.length).toBeGreaterThan(10);

    const chosen = await send(apiPath('chooseLabs'), postJson('{"labIds":["pid","uts"]}'));
    expect(chosen.status).toBe(200);
    expect((JSON.parse(chosen.text) as OfferedLabsView).offered).toEqual(['pid', 'uts']);
    const labs = JSON.parse((await send(apiPath('labs'), authed())).text) as LabSummary[];
    expect(ids(labs)).toEqual(['pid', 'uts']);
    const path = JSON.parse((await send(apiPath('progress'), authed())).text) as ProgressView;
    expect(path.labs.map((lab) => lab.labId)).toEqual(['pid', 'uts']);
    expect(path.next).toBe('pid');
  });

  it('refuses a choice that is empty, unknown, repeated or not JSON of the right shape', async () => {
    for (const [body, message] of [
      ['{"labIds":[]}', /at least one lab/],
      ['{"labIds":["nope"]}', /no lab called "nope"/],
      ['{"labIds":["uts","uts"]}', /once/],
      ['{"labs":["uts"]}', /labIds/],
      ['["uts"]', /labIds/],
    ] as const) {
      const reply = await send(apiPath('chooseLabs'), postJson(body));
      expect(reply.status).toBe(400);
      expect(apiError(reply).message).toMatch(message);
    }
    const after = JSON.parse(
      (await send(apiPath('offeredLabs'), authed())).text,
    ) as OfferedLabsView;
    expect(after.offered).toEqual(['pid', 'uts']);
  });

  it('tells preflight’s state, and serves the export as a named download', async () => {
    const preflight = JSON.parse(
      (await send(apiPath('preflight'), authed())).text,
    ) as PreflightView;
    expect(preflight).toEqual({ running: false, results: [] });
    const csv = await send(apiPath('exportProgress', { format: 'csv' }), authed());
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.csv"$/);
    expect(csv.text).toBe(
      'learner_id,display_name,lab,exercise,passed,revealed,attempts,hints_given,seconds_in_lab\r\n',
    );
    const json = await send(apiPath('exportProgress', { format: 'json' }), authed());
    expect(json.headers.get('content-disposition')).toMatch(/filename=".*\.json"$/);
    expect(JSON.parse(json.text)).toEqual([]);
    const other = await send(apiPath('exportProgress', { format: 'xml' }), authed());
    expect(other.status).toBe(404);
    expect(apiError(other).message).toMatch(/csv and json/);
  });
});
