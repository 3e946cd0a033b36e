// One docker-bench finding before the score resolves its words: pass or warn (or info), and
// why in both languages.
import type { Localized } from '../catalogue/lab-text.ts';
import type { BenchFinding } from '../protocol/playground-types.ts';

export interface Verdict {
  result: BenchFinding['result'];
  explanation: Localized;
}

export function verdict(ok: boolean, pass: Localized, warn: Localized): Verdict {
  return ok ? { result: 'pass', explanation: pass } : { result: 'warn', explanation: warn };
}
