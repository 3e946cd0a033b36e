// Why a session ended, as a short label: the reasons are sentences for the learner (some
// name a container), and a metric label must come from a small fixed set.
const KINDS = [
  ['instructor', /instructor/],
  ['host-reset', /reset the host/],
  ['learner', /by the learner|learner reset/],
  ['idle', /idle/],
  ['expired', /time was up/],
  ['grace', /grace period/],
  ['server-stop', /server (is )?stop/],
  ['container', /container|engine|killed|out of memory|removed/i],
] as const;

export type EndKind = (typeof KINDS)[number][0] | 'other';

export function endKind(reason: string): EndKind {
  return KINDS.find(([, pattern]) => pattern.test(reason))?.[0] ?? 'other';
}
