// The warm pool this server runs, if any: NSLAB_POOL's targets for the labs this host can
// pool, cut to what the machine holds, said at start-up when the cut bites.
import { labUnavailable } from '../catalogue/availability.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import type { ServerConfig } from '../config.ts';
import { log } from '../log.ts';
import type { ProvisionDeps } from '../provisioning/session-draft.ts';
import { fitPool } from './pool-capacity.ts';
import { poolTargets } from './pool-targets.ts';
import { WarmPool } from './warm-pool.ts';

export function createWarmPool(
  config: ServerConfig,
  catalogue: Catalogue,
  deps: ProvisionDeps,
  /** The labs the workshop offers, in order: "auto" pools the first of these. */
  offered: readonly string[] = catalogue.all().map((lab) => lab.id),
): WarmPool | undefined {
  // NSLAB_POOL's own list may name any lab; "auto" follows what learners will be shown.
  const order = config.pool === 'auto' ? offered : catalogue.all().map((lab) => lab.id);
  const poolable = order
    .flatMap((id) => catalogue.find(id) ?? [])
    .filter((lab) => labUnavailable(lab, deps.hostFacts, config.mode) === undefined)
    // A seat lab is made for one learner's seat: nobody's session cannot be one.
    .filter((lab) => !(config.mode === 'workshop' && lab.workshop === 'seat-engine'));
  const wanted = poolTargets(
    config.pool,
    config.mode,
    config.seats,
    poolable.map((lab) => lab.id),
  );
  if (wanted.size === 0) return undefined;
  const labs = new Map(poolable.map((lab) => [lab.id, lab]));
  const plan = fitPool(wanted, labs, { maxSessions: config.maxSessions });
  if (plan.cut !== undefined)
    log.warn('the warm pool is smaller than configured: this machine holds no more', {
      wanted: Object.fromEntries(wanted),
      serving: Object.fromEntries(plan.targets),
      why: plan.cut,
    });
  log.info('warm pool', { targets: Object.fromEntries(plan.targets) });
  return new WarmPool(labs, deps, {
    targets: plan.targets,
    concurrency: config.poolConcurrency,
    maxAgeMs: config.poolMaxAgeMs,
  });
}
