// Each container's marker: the name the learner gives a process there, so that a check can
// find that process from the host. It is planted per session in a read-only bind mount from
// the session's host directory (LabDefinition.hostFiles), never on a command line, and each
// container has its own, so a process started in one never counts for the other.

/** The containers of the lab, and the letter that starts each one's marker. */
export const MARKED = { runc: 'r', gvisor: 'g' } as const;
export type Marked = keyof typeof MARKED;

/** Where the marker file is, inside both containers. */
export const MARKER_FILE = '/nslab/marker';

/**
 * The marker as a process name carries it: the kernel keeps 15 characters of a name (comm),
 * and gVisor's `runsc ps` shows no more, so a check looks for the planted text's first 15.
 */
export function markerOf(container: Marked, token: string): string {
  return `${MARKED[container]}${token}`.slice(0, 15);
}

/** The session directory's files: one marker per container, in a directory of its own. */
export const MARKER_FILES = (Object.keys(MARKED) as Marked[]).flatMap((name) => [
  { path: name, mode: 0o755 },
  { path: `${name}/marker`, content: `${MARKED[name]}{{token}}\n`, mode: 0o644 },
]);

/** The typed way to start a process named after the marker: the name is the file's it ran from. */
export const START_MARKED = `ln -sf /bin/sleep /tmp/$(cat ${MARKER_FILE}) && (/tmp/$(cat ${MARKER_FILE}) 3600 &)`;
