// The seccomp lab's profile, nslab-no-chmod.json, as the engine gets it, and the parsers its
// checks rely on.
import { readFileSync } from 'node:fs';

export const PROFILE_NAME = 'nslab-no-chmod.json';
/** The profile exactly as shipped, compacted for the engine. */
export const PROFILE_JSON = JSON.stringify(
  JSON.parse(readFileSync(new URL(`./${PROFILE_NAME}`, import.meta.url), 'utf8')) as unknown,
);
export const DENIED: readonly string[] = (
  JSON.parse(PROFILE_JSON) as { syscalls: { names: string[] }[] }
).syscalls.flatMap((rule) => rule.names);

/**
 * The system call Debian's chmod(1) in the lab image makes to change a mode (coreutils 9.1 on
 * bookworm). The server cannot watch the learner's own chmod, and a program it ran in their
 * container would be theirs to replace; test/docker/seccomp-image.test.ts measures this on a
 * fresh container of the image under the lab's profile instead.
 */
export const CHMOD_SYSCALL = 'fchmodat';
if (!DENIED.includes(CHMOD_SYSCALL))
  throw new Error(`${PROFILE_NAME} does not deny ${CHMOD_SYSCALL}`);

/** The system calls strace saw refused with EPERM, from `strace -o /dev/stdout` lines. */
export function refusedSyscalls(straceOutput: string): string[] {
  const names = new Set<string>();
  for (const match of straceOutput.matchAll(/^(?:\d+\s+)?(\w+)\(.*=\s*-1 EPERM/gm)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

/** "fchmodat", "fchmodat()", "fchmodat(2)" and "FCHMODAT" all name the same call. */
export function syscallName(answer: string): string {
  return answer
    .trim()
    .toLowerCase()
    .replace(/\(\d?\)$/, '');
}
