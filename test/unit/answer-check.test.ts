// The shared last step of an answer check: right passes with its reason, the first known
// wrong answer that holds gives its own reason and hint, anything else the generic one.
import { describe, expect, it } from 'vitest';
import { judgeAnswer } from '../../labs/shared/answer-check.ts';
import { t } from '../../labs/shared/localized.ts';

const PASS = t('right', '对');
const HOST = { reason: t("the host's", '宿主机的'), hint: 1 };
const NEIGHBOUR = { reason: t('a neighbour', '邻居'), hint: 2 };
const OTHER = { reason: t('wrong', '错'), hint: 0 };

function judge(right: boolean, host: boolean, neighbour: boolean) {
  return judgeAnswer({
    right,
    pass: PASS,
    known: [
      { ...HOST, when: host },
      { ...NEIGHBOUR, when: neighbour },
    ],
    otherwise: OTHER,
  });
}

describe('judgeAnswer', () => {
  it('passes a right answer even when a known wrong one would also hold', () => {
    expect(judge(true, true, true)).toEqual({ passed: true, reason: PASS });
  });

  it('gives the first known wrong answer that holds its own reason and hint', () => {
    expect(judge(false, true, true)).toEqual({ passed: false, ...HOST });
    expect(judge(false, false, true)).toEqual({ passed: false, ...NEIGHBOUR });
  });

  it('gives every other answer the generic reason', () => {
    expect(judge(false, false, false)).toEqual({ passed: false, ...OTHER });
    expect(judgeAnswer({ right: false, pass: PASS, otherwise: OTHER })).toEqual({
      passed: false,
      ...OTHER,
    });
  });
});
