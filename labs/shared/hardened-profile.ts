// What an escape lab's "hardened" container is: not merely Docker's default, which already
// stops each lab's attack, but what the seeds recommend on top of it, so docker-bench's
// container checks that warned on every lab (5.13 root file system not read-only, 5.26 no
// no-new-privileges) and its capability check pass for it: a read-only root with a small tmpfs where programs must write (recommendation 10's
// spirit, the Docker docs' "read-only"), no-new-privileges (recommendation 7), and every
// capability dropped (recommendation 14). Limits come from each lab, as for its other
// containers.
import type { ContainerProfile } from '../../server/lab-kit.ts';
import { t } from './localized.ts';

export const HARDENED: Pick<
  ContainerProfile,
  'readonlyRootfs' | 'tmpfs' | 'securityOpt' | 'capDrop'
> = {
  readonlyRootfs: true,
  tmpfs: { '/tmp': 'rw,nosuid,nodev,noexec,size=16m' },
  securityOpt: ['no-new-privileges'],
  capDrop: ['ALL'],
};

/** The title a hardened container shows, naming the flags beyond Docker's defaults. */
export const HARDENED_TITLE = t(
  'hardened (--read-only, no-new-privileges, --cap-drop ALL)',
  'hardened（加固：--read-only、no-new-privileges、--cap-drop ALL）',
);
