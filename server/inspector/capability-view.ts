// Capability sets of the container's init process, decoded with the one capability table
// (host/capabilities.ts); the bounding set is compared with Docker's default set, so "added"
// and "dropped" mean what --cap-add and --cap-drop did.
import {
  capName,
  decodeCapabilityMask,
  DOCKER_DEFAULT_CAPABILITIES,
} from '../host/capabilities.ts';
import type { CapabilityView } from '../protocol/inspector-types.ts';

const DEFAULT_NAMES: readonly string[] = DOCKER_DEFAULT_CAPABILITIES.map(capName);

/** The view of CapEff, CapBnd and CapAmb of a /proc/<pid>/status; null if they are missing. */
export function capabilityView(status: Record<string, string>): CapabilityView | null {
  const effective = decodeCapabilityMask(status.CapEff);
  const bounding = decodeCapabilityMask(status.CapBnd);
  if (effective === undefined || bounding === undefined) return null;
  return {
    effective,
    bounding,
    ambient: decodeCapabilityMask(status.CapAmb) ?? [],
    // --cap-add and --cap-drop shape the bounding set; a non-root user's effective set is
    // empty whatever they said, so comparing it would call every capability dropped.
    added: bounding.filter((name) => !DEFAULT_NAMES.includes(name)),
    dropped: DEFAULT_NAMES.filter((name) => !(bounding as readonly string[]).includes(name)),
  };
}
