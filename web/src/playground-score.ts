// docker-bench-security's section 5 for the container running now: the checks that apply,
// each with pass or warn and why, and the rest folded away with why they do not apply.
import type { BenchFinding, BenchScore } from '../../server/protocol/playground-types.ts';
import { el } from './dom.ts';

function finding(f: BenchFinding): HTMLElement {
  return el('li', { className: `bench ${f.result}`, attrs: { 'data-check': f.id } }, [
    el('span', { className: 'bench-result', text: f.result === 'na' ? 'n/a' : f.result }),
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
  return el('section', { className: 'pg-score', attrs: { 'aria-label': 'docker-bench score' } }, [
    el('h3', {}, [
      'docker-bench-security, section 5: ',
      el('span', {
        className: `score-total${score.passed === score.applicable ? ' all' : ''}`,
        text: `${score.passed}/${score.applicable} pass`,
      }),
    ]),
    el('p', {
      className: 'pg-note',
      text: "Computed by nslab from the engine's docker inspect of your container, with docker-bench's rules and numbering.",
    }),
    el('ul', { className: 'bench-list' }, scored.map(finding)),
    el('details', { className: 'bench-na' }, [
      el('summary', { text: `Not applicable here (${rest.length})` }),
      el('ul', { className: 'bench-list' }, rest.map(finding)),
    ]),
  ]);
}
