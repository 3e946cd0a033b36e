// How preflight tells a lab's verify verdict to the instructor (ready, failing with every
// problem, unavailable with the reason), and the small fixed set of labels the metrics give
// to the sentences sessions end with.
import { describe, expect, it } from 'vitest';
import { render } from '../../server/errors/server-message.ts';
import { endKind } from '../../server/metrics/end-reason.ts';
import { END_REASONS } from '../../server/sessions/end-reasons.ts';
import { formatPreflight, preflightResult } from '../../server/verify/preflight.ts';

describe('preflight results', () => {
  it('is ready when verify passed, failing with its problems, unavailable with the reason', () => {
    const base = { labId: 'uts', ms: 4_200, exercises: 3 };
    expect(preflightResult({ ...base, ok: true, problems: [] })).toEqual({
      labId: 'uts',
      status: 'ready',
      ms: 4_200,
    });
    const failing = preflightResult({
      ...base,
      ok: false,
      problems: ['own-namespace: on a fresh session the check passed', 'a container remains'],
    });
    expect(failing).toMatchObject({ status: 'failing' });
    const problems = 'own-namespace: on a fresh session the check passed; a container remains';
    expect(failing.reason?.en).toBe(problems);
    // The Chinese frames verify's own words, which stay as verify said them.
    expect(failing.reason?.zh).toMatch(/^[\u4e00-\u9fff].*own-namespace: on a fresh session/);
    expect(failing.reason?.zh.endsWith(problems)).toBe(true);
    expect(
      preflightResult({ ...base, ok: true, problems: [], skipped: 'needs cgroup v1' }),
    ).toEqual({
      labId: 'uts',
      status: 'unavailable',
      reason: { en: 'needs cgroup v1', zh: 'needs cgroup v1' },
    });
    expect(formatPreflight(failing)).toMatch(/^FAILING {5}uts {2}4\.2 s: own-namespace/);
  });
});

describe('session end reasons as metric labels', () => {
  it('maps the sentences to a few kinds', () => {
    expect(endKind('ended by the learner')).toBe('learner');
    expect(endKind('the learner reset the lab')).toBe('learner');
    expect(endKind('ended by the instructor')).toBe('instructor');
    expect(endKind('the instructor reset the lab')).toBe('instructor');
    expect(endKind('nobody typed for a while (idle timeout)')).toBe('idle');
    expect(endKind('its time was up')).toBe('expired');
    expect(endKind('no terminal attached during the grace period')).toBe('grace');
    expect(endKind('the server is stopping')).toBe('server-stop');
    expect(endKind('the learner reset the host')).toBe('host-reset');
    expect(endKind('its container "isolated" was removed outside nslab')).toBe('container');
    expect(endKind('something new')).toBe('other');
  });

  it('gives every reason a session ends with a kind (the English words are what it reads)', () => {
    const kinds = Object.entries(END_REASONS)
      .filter(([name]) => name !== 'disposed')
      .map(([name, reason]) => [name, endKind(render(reason({ name: 'isolated' }), 'en'))]);
    expect(kinds.filter(([, kind]) => kind === 'other')).toEqual([]);
  });
});
