// The workshop parts of the app's dependencies for unit tests: the offered labs on the given
// store (every lab when none is given), and a preflight that has no labs to run.
import type { Catalogue } from '../../../server/catalogue/catalogue.ts';
import { OfferedLabs } from '../../../server/control-room/offered-labs.ts';
import { PreflightRunner } from '../../../server/control-room/preflight-runner.ts';
import type { ProgressStore } from '../../../server/store/progress-store.ts';

export function workshopDeps(
  catalogue: Catalogue,
  store: Pick<ProgressStore, 'offeredLabs' | 'setOfferedLabs'> = {
    offeredLabs: () => undefined,
    setOfferedLabs: () => undefined,
  },
): { offered: OfferedLabs; preflight: PreflightRunner } {
  return {
    offered: new OfferedLabs(store, catalogue),
    preflight: new PreflightRunner({
      labs: () => [],
      unavailable: () => undefined,
      target: () => {
        throw new Error('unit test reached the preflight target');
      },
    }),
  };
}
