// "Report the namespace your shell lives in": the check several namespace labs share. The
// truth is the namespace link of the container's main process, read on the host; the
// host's own namespace is the plausible wrong answer (read from a container sharing it).
import type { CheckContext, CheckOutcome, NamespaceKind } from '../../server/lab-kit.ts';
import { judgeAnswer } from './answer-check.ts';
import { t, type Localized } from './localized.ts';
import { namespaceNumber } from './namespace-number.ts';

export interface OwnNamespaceCheck {
  kind: NamespaceKind;
  /** The lab container whose namespace the learner reports. */
  container: string;
  /** Appended to the pass reason: what this namespace's isolation means. */
  explain?: Localized;
}

/** Hints: 0 = conceptual (wrong or unparsable number), 1 = "that is the host's namespace". */
export function ownNamespaceCheck({ kind, container, explain }: OwnNamespaceCheck) {
  return async (ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> => {
    const submitted = namespaceNumber(answer ?? '');
    if (submitted === undefined) {
      return {
        passed: false,
        reason: t(
          `That is not a namespace number; it looks like ${kind}:[4026532...] or just the digits.`,
          `这不是命名空间编号：编号形如 ${kind}:[4026532...]，也可以只写其中的数字。`,
        ),
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
        reason: t(
          `The ${container} container shares the host's ${kind} namespace, which this lab does not expect.`,
          `${container} 容器与宿主机共用 ${kind} 命名空间，这不是本实验预期的情况。`,
        ),
        hint: 0,
      };
    }
    return judgeAnswer({
      right: submitted === namespaceNumber(own),
      pass: t(
        `Right: ${own} is the ${container} container's own ${kind} namespace (read on the host from /proc/<its PID>/ns/${kind}). The host's is ${host}.${explain === undefined ? '' : ` ${explain.en}`}`,
        `正确：${own} 是 ${container} 容器自己的 ${kind} 命名空间（在宿主机上从 /proc/<它的 PID>/ns/${kind} 读出）。宿主机的是 ${host}。${explain?.zh ?? ''}`,
      ),
      known: [
        {
          when: submitted === namespaceNumber(host),
          reason: t(
            `${kind}:[${submitted}] is the host's ${kind} namespace, not the ${container} container's.`,
            `${kind}:[${submitted}] 是宿主机的 ${kind} 命名空间，不是 ${container} 容器的。`,
          ),
          hint: 1,
        },
      ],
      otherwise: {
        reason: t(
          `The ${container} container does not live in ${kind}:[${submitted}].`,
          `${container} 容器并不在 ${kind}:[${submitted}] 中。`,
        ),
        hint: 0,
      },
    });
  };
}
