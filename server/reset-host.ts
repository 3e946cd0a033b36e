// Solo mode's "reset the host", composed from the parts the server holds: every session
// ends, the pool drains, then everything labelled with this instance (containers, engines,
// networks, volumes, planted files, seats) is swept and the pool fills again.
import type { WarmPool } from './pool/warm-pool.ts';
import type { ProvisionDeps } from './provisioning/session-draft.ts';
import { sweepLeftovers } from './provisioning/sweep-leftovers.ts';
import type { SessionManager } from './sessions/session-manager.ts';
import { END_REASONS } from './sessions/end-reasons.ts';

/**
 * Solo mode's "reset the host": every session ends, then everything labelled with this
 * instance (containers, engines, networks, volumes, planted files) is swept.
 */
export async function resetHost(
  sessions: SessionManager,
  pool: WarmPool | undefined,
  provisioning: ProvisionDeps,
): Promise<number> {
  await sessions.endAll(END_REASONS.hostReset());
  await pool?.drain();
  const purged = (await provisioning.seats?.purgeAll()) ?? 0;
  const removed = purged + (await sweepLeftovers(provisioning));
  pool?.start();
  return removed;
}
