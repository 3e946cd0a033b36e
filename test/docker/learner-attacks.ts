// What a learner who is root in a lab container types to fool a check that runs programs in
// there (issue 11): fakes of the programs checks used to run, printing what those checks
// wanted to read, put in place by swapping all of /usr/bin for a copy on /dev (a tmpfs that
// `docker diff` never reports), or swapped in and out of /usr/sbin (earlier in PATH) every
// 0.2 s around the moment of a check. The tests type these through the real terminal.
import type { TerminalDriver } from '../../server/verify/terminal-driver.ts';

/** The programs faked: what the labs' checks once ran in the learner's container. */
export const FAKED = [
  'cat',
  'ipcs',
  'stat',
  'find',
  'python3',
  'python3.11',
  'ip',
  'strace',
  'du',
  'readlink',
] as const;

/** A line of the fake, to tell it from the real program in a file. */
export const FAKE_MARK = 'nslab-learner-fake';

/**
 * One script for every faked name (dispatch on $0). Each answer is what made the old check
 * pass: accepted TCP connections and echo replies in snmp, every lab address in the
 * neighbour table and the web log, a loop disk mounted at /mnt/host, a segment in ipcs -m,
 * a report owned by nobody, executable files in /tmp, device nodes that open and are
 * refused, a chmod refused by strace, 8 MiB in the tmpfs, and nothing but lo.
 */
const FAKE = String.raw`#!/bin/sh
# ${FAKE_MARK}
real() { p=$1; shift; for r in /dev/b/$p.real /usr/bin/$p; do [ -x "$r" ] && [ "$r" != "$0" ] && exec "$r" "$@"; done; }
addresses() { for n in 17 18 19 20 21 22 23 24 25; do for h in 1 2 3 4 5 6 7 8; do echo "172.$n.0.$h"; done; done; }
case "$(basename "$0")" in
cat)
  case "$1" in
  */snmp) printf 'Icmp: InMsgs InErrors\nIcmp: 9 0\nIcmpMsg: InType0 OutType8\nIcmpMsg: 9 9\nTcp: RtoAlgorithm ActiveOpens PassiveOpens InSegs\nTcp: 1 9 9 9\n' ;;
  */arp) echo 'IP address HW type Flags HW address Mask Device'; addresses | while read a; do echo "$a 0x1 0x2 02:42:ac:11:00:02 * eth0"; done ;;
  */web.log) addresses | while read a; do echo "$a - - [now] \"GET / HTTP/1.1\" 200 -"; done ;;
  */mountinfo) m=0; while [ $m -lt 64 ]; do echo "9$m 1 7:$m / /mnt/host rw - ext4 /dev/hostdisk rw"; m=$((m+1)); done ;;
  */ping_group_range) echo '0 2147483647' ;;
  */ifindex|*/iflink) echo 999999 ;;
  */uid_map) echo '0 100000 65536' ;;
  *) real cat "$@" ;;
  esac ;;
ipcs) case "$*" in *-m*) printf 'key        shmid      owner      perms      bytes      nattch\n0x0000beef 7          root       600        4096       0\n' ;; esac ;;
stat) case "$*" in *%a*) echo '4755 0' ;; *) echo 65534 ;; esac ;;
find) echo /tmp/hello; echo /root/proof; ls -d /opt/acme/bin/* 2>/dev/null ;;
python3*) printf '{"path": "/root/mem", "type": "c", "major": 1, "minor": 1, "open": "EPERM"}\n{"path": "/root/zero", "type": "c", "major": 1, "minor": 5, "open": "ok"}\n' ;;
strace) echo 'chmod("/", 0755) = -1 EPERM (Operation not permitted)' ;;
ip) echo '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN' ;;
du) printf '8192\t/tmp\n0\t/dev/shm\n' ;;
readlink) echo 'net:[4026531840]' ;;
esac
`;

const FAKE_B64 = Buffer.from(FAKE, 'utf8').toString('base64');
const NAMES = FAKED.join(' ');

/** Writes the fake to `path` with an execute bit, without chmod (refused under no-chmod). */
function plantFake(path: string): string {
  return `cp /usr/bin/true ${path} && echo ${FAKE_B64} | base64 -d > ${path}`;
}

/**
 * The /usr/bin swap, as root: a copy of /usr/bin on /dev with the fakes in it, then /usr/bin
 * itself replaced by a symlink to the copy. /bin is /usr/bin on Debian's merged /usr.
 */
/**
 * /usr/bin copied to /dev/b, with the real cat kept as cat.real. cp -a may fail to keep a mode
 * (no chmod under seccomp) or an owner: the copy is enough. Programs of 10 MiB and more stay
 * behind: the copy must fit Docker's 64 MiB /dev, and the lab image's docker client and
 * registry (image-provenance) alone would fill it.
 */
export const COPY_USR_BIN_TO_DEV =
  'mkdir -p /dev/b && { find /usr/bin -maxdepth 1 ! -type d -size -10M -exec cp -a -t /dev/b/ {} + || true; } && cp /dev/b/cat /dev/b/cat.real';

export const USR_BIN_SWAP = [
  COPY_USR_BIN_TO_DEV,
  plantFake('/dev/b/fake'),
  `for f in ${NAMES}; do ln -sf fake /dev/b/$f; done`,
  'rm -rf /usr/bin; /dev/b/ln -s /dev/b /usr/bin; ls -ld /usr/bin; cat /proc/net/snmp | head -3',
].join(' && ');

/**
 * The /usr/sbin race, as root: every 0.2 s the fakes appear in /usr/sbin (ahead of /usr/bin in
 * PATH) and go again, in the background, until the session ends.
 */
export const USR_SBIN_RACE = [
  'mkdir -p /dev/s',
  plantFake('/dev/s/fake'),
  `(while :; do for f in ${NAMES}; do ln -sf /dev/s/fake /usr/sbin/$f; done; sleep 0.2; for f in ${NAMES}; do rm -f /usr/sbin/$f; done; sleep 0.2; done) >/dev/null 2>&1 &`,
].join(' && ');

/**
 * For a shell of nobody's (the setuid lab): the planted setuid-root helper (a copy of tee)
 * writes the fake over find and stat, the programs that lab's checks ran.
 */
export const HELPER_OVERWRITE = `echo ${FAKE_B64} | base64 -d > /dev/shm/fake && /opt/acme/bin/logtee-* /usr/bin/find /usr/bin/stat < /dev/shm/fake >/dev/null; ls -l /usr/bin/find`;

/** The same, in and out every 0.2 s: the real programs are saved first and written back. */
export const HELPER_RACE = [
  `echo ${FAKE_B64} | base64 -d > /dev/shm/fake`,
  'cp /usr/bin/find /dev/shm/find.real && cp /usr/bin/stat /dev/shm/stat.real',
  '(while :; do /opt/acme/bin/logtee-* /usr/bin/find /usr/bin/stat < /dev/shm/fake; sleep 0.2; /opt/acme/bin/logtee-* /usr/bin/find < /dev/shm/find.real; /opt/acme/bin/logtee-* /usr/bin/stat < /dev/shm/stat.real; sleep 0.2; done) >/dev/null 2>&1 &',
].join(' && ');

/** Types `command` into a terminal; a failure (a read-only root, a refused exec) is fine. */
export async function attack(terminal: TerminalDriver, command: string): Promise<string> {
  const separator = command.trimEnd().endsWith('&') ? '' : ';';
  return terminal.run(`${command}${separator} true`, 120_000);
}
