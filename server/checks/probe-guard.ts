// A probe runs programs from the container's own file system. Where the learner is root in
// a writable container, those programs (cat, ipcs, find, python3, the libraries and the
// loader's preload list) could be replaced to print what a check wants to read. The
// engine's list of changes to the container's layer (docker diff) is read on the host and
// cannot be faked that way, so every probe first makes sure that the program it runs was not
// touched (docker-check-context.ts), and a check that runs more than one program names them
// all (tamperedProbeTool).
import type { ContainerEvidence, RootfsChange } from './check-context.ts';

/** Shared libraries and the dynamic loader's configuration: every program depends on them. */
const LOADER_PLACES = [
  /^\/(usr\/)?(local\/)?lib(32|64|x32)?\/./,
  /^\/etc\/ld\.so\.(preload|conf|cache)(\/|$)/,
  /^\/etc\/ld\.so\.conf\.d\//,
];

/**
 * The first changed path that could alter what a probe runs (a file named like one of
 * `programs` anywhere, which covers shadowing earlier in PATH, or a library or loader
 * file), or undefined when there is none. "Named like" is the name itself or the name with a
 * version (python3.11), not the learner's notes in cat.txt.
 */
export function tamperedPath(
  changes: readonly RootfsChange[],
  programs: readonly string[],
): string | undefined {
  const names = programs.map((program) => program.slice(program.lastIndexOf('/') + 1));
  // The engine answers `null` for an unchanged layer, which dockerode hands over as a Buffer.
  return (Array.isArray(changes) ? (changes as readonly RootfsChange[]) : []).find((c) => {
    const base = c.path.slice(c.path.lastIndexOf('/') + 1);
    return (
      names.some((name) => base === name || isVersionOf(base, name)) ||
      LOADER_PLACES.some((place) => place.test(c.path))
    );
  })?.path;
}

/** python3.11 is a version of python3; cat.txt is not a version of cat. */
function isVersionOf(base: string, name: string): boolean {
  return base.startsWith(`${name}.`) && /^\d/.test(base.slice(name.length + 1));
}

export function tamperedReason(path: string): string {
  return `${path} was changed in this container, and the check runs programs that depend on it. It will not judge this container until you restart the lab.`;
}

/** Thrown by a probe whose program may have been replaced; runCheck turns it into a failed check. */
export class TamperedProbeTool extends Error {
  constructor(readonly path: string) {
    super(tamperedReason(path));
    this.name = 'TamperedProbeTool';
  }
}

/** For a check whose probe runs more programs than its first word (strace running chmod). */
export async function tamperedProbeTool(
  evidence: ContainerEvidence,
  programs: readonly string[],
): Promise<string | undefined> {
  return tamperedPath(await evidence.changes(), programs);
}
