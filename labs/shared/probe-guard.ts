// A probe runs programs from the container's own file system. Where the learner is root in
// a writable container, those programs (find, strace, python3, the libraries and the
// loader's preload list) could be replaced to print what a check wants to read. The
// engine's list of changes to the container's layer (docker diff) is read on the host and
// cannot be faked that way: a check that relies on a probe first makes sure that nothing
// it runs was touched.
import type { ContainerEvidence } from '../../server/checks/check-context.ts';

/** Shared libraries and the dynamic loader's configuration: every program depends on them. */
const LOADER_PLACES = [
  /^\/(usr\/)?(local\/)?lib(32|64|x32)?\/./,
  /^\/etc\/ld\.so\.(preload|conf|cache)(\/|$)/,
  /^\/etc\/ld\.so\.conf\.d\//,
];

/**
 * The first changed path that could alter what a probe runs (a file named like one of
 * `programs` anywhere, which covers shadowing earlier in PATH, or a library or loader
 * file), or undefined when there is none.
 */
export async function tamperedProbeTool(
  evidence: ContainerEvidence,
  programs: readonly string[],
): Promise<string | undefined> {
  const changes = await evidence.changes();
  return changes.find((c) => {
    const base = c.path.slice(c.path.lastIndexOf('/') + 1);
    return (
      programs.some((program) => base === program || base.startsWith(`${program}.`)) ||
      LOADER_PLACES.some((place) => place.test(c.path))
    );
  })?.path;
}

export function tamperedReason(path: string): string {
  return `${path} was changed in this container, and the check runs programs that depend on it. It will not judge this container until you restart the lab.`;
}
