// How many sessions of which lab the warm pool keeps ready, from NSLAB_POOL (config.ts):
//   off                 no pool
//   auto (the default)  solo: one each of the first two labs of the path (what a learner
//                       opens next); workshop: NSLAB_SEATS sessions of the first lab
//   uts=30,pid=30       exactly these (a workshop: the labs it offers times its seats)
import type { PoolSetting, ServerMode } from '../config.ts';

/** Sessions wanted per lab, for the labs this host can run, in the catalogue's order. */
export function poolTargets(
  setting: PoolSetting,
  mode: ServerMode,
  seats: number,
  poolableLabs: readonly string[],
): Map<string, number> {
  if (setting === 'off') return new Map();
  if (setting === 'auto') {
    const wanted =
      mode === 'solo'
        ? poolableLabs.slice(0, 2).map((id) => [id, 1] as const)
        : poolableLabs.slice(0, 1).map((id) => [id, seats] as const);
    return new Map(wanted.filter(([, n]) => n > 0));
  }
  const unknown = Object.keys(setting).filter((id) => !poolableLabs.includes(id));
  if (unknown.length > 0)
    throw new Error(
      `NSLAB_POOL names labs this server cannot pool: ${unknown.join(', ')} (unknown, unavailable here, or started on a learner's seat)`,
    );
  return new Map(Object.entries(setting).filter(([, n]) => n > 0));
}
