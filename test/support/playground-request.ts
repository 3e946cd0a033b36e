// The profile the playground tests send when they want one the server accepts: the
// playground lab's hardened profile, run as nobody (the lab's own reference solution), so
// the tests and the lab cannot drift apart.
import { ROOT_HARDENED } from '../../labs/playground/playground-lab.ts';
import type { PlaygroundRequest } from '../../server/protocol/playground-types.ts';

/** Every capability dropped, a read-only root, no-new-privileges, user nobody, small limits. */
export const HARDENED_NOBODY: PlaygroundRequest = { ...ROOT_HARDENED, user: 'nobody' };
