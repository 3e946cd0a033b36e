// What the runtime-detection lab's set-up starts in its "workload" container, and how a check
// tells those processes apart from the host's side. The workload runs two ordinary programs
// (decoys) and one planted process that hides the way intruders do: it takes a benign name
// (argv and comm both), runs from a memory-backed file (memfd) that no directory holds, and
// sits in a user and UTS namespace of its own. The name is chosen per session; so is the
// order in which the three start and how many PIDs are used up between them, so that the
// PID a learner reports differs between sessions and carries over no better than a guess.
// The values reach the container from the host's side (labs/shared/planted-value.ts).
import { createHash } from 'node:crypto';
import { sessionChoice, type HostProcess, type NamespaceKind } from '../../server/lab-kit.ts';

/** A decoy: what it runs, and its command line as the kernel keeps it. */
export interface Decoy {
  exe: string;
  cmdline: string;
}

/** The workload's ordinary programs: a small web server and a log follower. */
export const DECOYS: readonly Decoy[] = [
  { exe: '/usr/bin/python3.11', cmdline: 'python3 -m http.server 8000 --bind 127.0.0.1' },
  { exe: '/usr/bin/tail', cmdline: 'tail -F /tmp/access.log' },
];

/** Names the planted process takes: one a decoy uses, a kernel worker's, and sshd's. */
export const DISGUISES: readonly { argv0: string; comm: string }[] = [
  { argv0: 'python3 -m http.server 8000 --bind 127.0.0.1', comm: 'python3' },
  { argv0: '[kworker/0:1-events]', comm: 'kworker/0:1' },
  { argv0: 'sshd: root@notty', comm: 'sshd' },
];

/** What set-up plants: the disguise, where the planted process starts among the decoys, and PID gaps. */
export interface PlantedValue {
  argv0: string;
  comm: string;
  /** 0..DECOYS.length: how many decoys start before it. */
  position: number;
  /** PIDs used up before each of the three starts (threads that end at once). */
  gaps: number[];
}

export function plantedValue(token: string): PlantedValue {
  const digest = createHash('sha256').update(`runtime-detection:${token}`).digest();
  const disguise = sessionChoice(token, 'runtime-detection:disguise', DISGUISES);
  return {
    ...disguise,
    position: (digest[0] ?? 0) % (DECOYS.length + 1),
    gaps: [1, 2, 3].map((i) => 5 + (digest.readUInt16BE(i * 2) % 200)),
  };
}

/**
 * Python (run with `planted` = JSON of plantedValue) that starts the decoys and the planted
 * process, each as a daemon that init adopts. The planted one copies python3 into a memfd,
 * unshares a user and a UTS namespace, and runs from the memfd under its disguise, reading its
 * program from a pipe so that its command line is the disguise alone.
 */
export const START_WORKLOAD = `import ctypes, json, sys, threading
value = json.loads(planted)
libc = ctypes.CDLL(None, use_errno=True)
DECOYS = ${JSON.stringify(DECOYS.map((d) => d.cmdline.split(' ')))}
def burn(n):
    # A thread takes a PID from the same namespace, and costs far less than a fork here.
    for _ in range(n):
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
def daemon(start):
    if os.fork() == 0:
        os.setsid()
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        start()
        os._exit(1)
def odd():
    program = ("import ctypes, signal, sys\\n"
               "ctypes.CDLL(None).prctl(15, %r, 0, 0, 0)\\n"
               "sys.stdin.close()\\n"
               "while True:\\n    signal.pause()\\n" % value["comm"].encode())
    r, w = os.pipe()
    os.write(w, program.encode())
    os.close(w)
    os.dup2(r, 0)
    memfd = os.memfd_create("x", 0)
    with open("/usr/bin/python3.11", "rb") as f:
        os.write(memfd, f.read())
    if libc.unshare(0x10000000 | 0x04000000) != 0:
        os._exit(3)
    os.execve(memfd, [value["argv0"]], {})
starts = [lambda argv=argv: os.execvp(argv[0], argv) for argv in DECOYS]
starts.insert(value["position"], odd)
for gap, start in zip(value["gaps"], starts):
    burn(gap)
    daemon(start)
`;

/** The PID a process has in the innermost PID namespace it sits in (the last NSpid field). */
export function innerPid(p: HostProcess): number | undefined {
  const last = (p.status['NSpid'] ?? '').trim().split(/\s+/).at(-1);
  const pid = Number(last);
  return last !== undefined && last !== '' && Number.isInteger(pid) ? pid : undefined;
}

/**
 * The planted process among the workload's processes, as the kernel records them: it runs from
 * a memfd or a deleted file, or sits in a user namespace the workload's main process does not.
 */
export function isPlanted(p: HostProcess, workloadUserNs: string): boolean {
  const exe = p.exe ?? '';
  const deleted = exe.startsWith('/memfd:') || exe.endsWith(' (deleted)');
  const user = p.namespaces?.user;
  return deleted || (user !== undefined && user !== workloadUserNs);
}

/** A decoy still running as set-up started it: its program and command line, in the workload's user namespace. */
export function isDecoy(p: HostProcess, decoy: Decoy, workloadUserNs: string): boolean {
  return (
    p.exe === decoy.exe && p.cmdline === decoy.cmdline && p.namespaces?.user === workloadUserNs
  );
}

/** The namespace inodes of a process that its workload's main process does not share. */
export function ownNamespaces(
  p: HostProcess,
  workload: Partial<Record<NamespaceKind, string>>,
): string[] {
  return Object.entries(p.namespaces ?? {})
    .filter(([kind, link]) => link !== workload[kind as NamespaceKind])
    .map(([, link]) => namespaceInode(link))
    .filter((inode): inode is string => inode !== undefined);
}

/** "user:[4026532587]" or "4026532587" -> "4026532587". */
export function namespaceInode(text: string): string | undefined {
  return /^\s*(?:[a-z]+:\[)?(\d+)\]?\s*$/.exec(text)?.[1];
}
