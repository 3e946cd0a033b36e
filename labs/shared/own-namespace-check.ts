// "Report the namespace your shell lives in": the check several namespace labs share. The
// truth is the namespace link of the container's main process, read on the host; the
// host's own namespace is the plausible wrong answer (read from a container sharing it).
import type { CheckContext, CheckOutcome, NamespaceKind } from '../../server/lab-kit.ts';
import { namespaceNumber } from './namespace-number.ts';

export interface OwnNamespaceCheck {
  kind: NamespaceKind;
  /** The lab container whose namespace the learner reports. */
  container: string;
  /** Appended to the pass reason: what this namespace's isolation means. */
  explain?: string;
}

/** Hints: 0 = conceptual (wrong or unparsable number), 1 = "that is the host's namespace". */
export function ownNamespaceCheck({ kind, container, explain = '' }: OwnNamespaceCheck) {
  return async (ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> => {
    const submitted = namespaceNumber(answer ?? '');
    if (submitted === undefined) {
      return {
        passed: false,
        reason: `That is not a namespace number; it looks like ${kind}:[4026532...] or just the digits.`,
        hint: 0,
      };
    }
    const [own, host] = await Promise.all([
      ctx.container(container).namespace(kind),
      ctx.host.namespace(kind),
    ]);
    if (own === host) {
      return {
        passed: false,
        reason: `The ${container} container shares the host's ${kind} namespace, which this lab does not expect.`,
        hint: 0,
      };
    }
    if (submitted === namespaceNumber(own)) {
      return {
        passed: true,
        reason: `Right: ${own} is the ${container} container's own ${kind} namespace (read on the host from /proc/<its PID>/ns/${kind}). The host's is ${host}.${explain === '' ? '' : ` ${explain}`}`,
      };
    }
    if (submitted === namespaceNumber(host)) {
      return {
        passed: false,
        reason: `${kind}:[${submitted}] is the host's ${kind} namespace, not the ${container} container's.`,
        hint: 1,
      };
    }
    return {
      passed: false,
      reason: `The ${container} container does not live in ${kind}:[${submitted}].`,
      hint: 0,
    };
  };
}
