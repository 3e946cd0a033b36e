// Removes everything labelled with (or kept for) this server instance: at start-up (a crashed
// server's leftovers), at shutdown (anything a half-finished request left) and by `nslab
// sweep`. It walks the provisioning steps in reverse, as a session's teardown does, so the
// sweep cannot forget a kind of resource that provisioning makes.
import { PROVISION_STEPS } from './provision-session.ts';
import type { ProvisionStep, SweepDeps } from './session-draft.ts';

export async function sweepLeftovers(
  deps: SweepDeps,
  steps: readonly ProvisionStep[] = PROVISION_STEPS,
): Promise<number> {
  let removed = 0;
  for (const step of [...steps].reverse()) removed += (await step.sweep?.(deps)) ?? 0;
  return removed;
}
