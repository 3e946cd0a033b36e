// docker-bench-security's section 5 for the container running now: the checks that apply,
// each with pass or warn and why, and the rest folded away with why they do not apply.
import type { BenchFinding, BenchScore } from '../../server/protocol/playground-types.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

/** A result as the page names it; the class keeps docker-bench's word. */
function resultText(result: BenchFinding['result']): string {
  const text = ui();
  return {
    pass: text.pgResultPass,
    warn: text.pgResultWarn,
    info: text.pgResultInfo,
    na: text.pgResultNa,
  }[result];
}

function finding(f: BenchFinding): HTMLElement {
  return el('li', { className: `bench ${f.result}`, attrs: { 'data-check': f.id } }, [
    el('span', { className: 'bench-result', text: resultText(f.result) }),
    el('span', { className: 'bench-id', text: f.id }),
    el('span', { className: 'bench-body' }, [
      el('span', { className: 'bench-title', text: f.title }),
      el('span', { className: 'bench-why', text: f.explanation }),
    ]),
  ]);
}

export function benchScore(score: BenchScore): HTMLElement {
  const scored = score.findings.filter((f) => f.result !== 'na');
  const rest = score.findings.filter((f) => f.result === 'na');
  const text = ui();
  return el('section', { className: 'pg-score', attrs: { 'aria-label': text.pgScoreLabel } }, [
    el('h3', {}, [
      text.pgScoreHeading,
      el('span', {
        className: `score-total${score.passed === score.applicable ? ' all' : ''}`,
        text: text.pgScoreTotal(score.passed, score.applicable),
      }),
    ]),
    el('p', { className: 'pg-note', text: text.pgScoreNote }),
    el('ul', { className: 'bench-list' }, scored.map(finding)),
    el('details', { className: 'bench-na' }, [
      el('summary', { text: text.pgNotApplicable(rest.length) }),
      el('ul', { className: 'bench-list' }, rest.map(finding)),
    ]),
  ]);
}
