// The playground's probes: a short menu of things an attacker tries first, each a FIXED
// command (no learner input reaches it) that the server runs in the playground container as
// the profile's user. What it printed says whether it happened; which setting stopped it is
// derived from the vetted profile and the error the kernel returned, and where the two do not
// single out one setting, the page says so. Shown to the learner, never graded: the learner
// is root in there and could make a probe print anything.
import {
  PROBE_TITLES,
  type PlaygroundRequest,
  type ProbeId,
  type ProbeResultView,
} from '../protocol/playground-types.ts';

interface Probe {
  command: string;
  /** Whether the output shows the attempt worked. */
  succeeded(output: string, exitCode: number): boolean;
  /** Which setting stopped it, from the profile and the error text. */
  stoppedBy(profile: PlaygroundRequest, output: string): string;
}

const EPERM = /operation not permitted|permission denied|must be superuser/i;
const UNKNOWN = 'nslab cannot tell which setting stopped it from this profile and this error';

function nonRoot(profile: PlaygroundRequest): boolean {
  return profile.user !== 'root';
}

/** The capability is gone: dropped by name or with ALL, and not added back. */
function dropped(profile: PlaygroundRequest, cap: 'CHOWN' | 'NET_RAW'): boolean {
  const drops = profile.capDrop.includes('ALL') || profile.capDrop.includes(cap);
  return drops && !profile.capAdd.includes(cap);
}

const NON_ROOT =
  'user nobody: a non-root user’s processes hold no capabilities, whatever the profile keeps';

export const PROBES: Record<ProbeId, Probe> = {
  mount: {
    command: 'mount -t tmpfs probe /mnt && echo "mounted a tmpfs on /mnt" && umount /mnt',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (nonRoot(profile)) return `${NON_ROOT} (mount needs CAP_SYS_ADMIN).`;
      if (!profile.capAdd.includes('SYS_ADMIN')) {
        const seccomp =
          profile.seccomp === 'default'
            ? '; Docker’s default seccomp profile also refuses mount(2) to a container without it'
            : '';
        return `no CAP_SYS_ADMIN (not in Docker’s default set)${seccomp}.`;
      }
      return EPERM.test(out) ? `${UNKNOWN}.` : `${UNKNOWN} (not a permission error).`;
    },
  },
  'raw-socket': {
    command:
      'python3 -c \'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); print("opened a raw ICMP socket")\'',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (!EPERM.test(out)) return `${UNKNOWN} (not a permission error).`;
      if (nonRoot(profile)) return `${NON_ROOT} (a raw socket needs CAP_NET_RAW).`;
      if (dropped(profile, 'NET_RAW')) return 'CAP_NET_RAW dropped (--cap-drop).';
      return `${UNKNOWN}: the container keeps CAP_NET_RAW.`;
    },
  },
  chown: {
    command: 'f=$(mktemp) && chown 1:1 "$f" && echo "gave $f to uid 1"; s=$?; rm -f "$f"; exit $s',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (!EPERM.test(out)) return `${UNKNOWN} (not a permission error).`;
      if (nonRoot(profile)) return `${NON_ROOT} (giving a file away needs CAP_CHOWN).`;
      if (dropped(profile, 'CHOWN')) return 'CAP_CHOWN dropped (--cap-drop).';
      return `${UNKNOWN}: the container keeps CAP_CHOWN.`;
    },
  },
  'host-processes': {
    command:
      'echo "$(ps -e -o comm= | grep -c .) processes visible"; ps -e -o comm= | grep -x -m1 -e dockerd -e containerd || echo "no dockerd or containerd among them"',
    succeeded: (out) => /^(dockerd|containerd)$/m.test(out),
    stoppedBy: (profile) =>
      profile.share.includes('pid')
        ? `${UNKNOWN}: the profile shares the host’s PID namespace.`
        : 'a private PID namespace (pid not shared with the host): the container sees only its own processes.',
  },
  'write-root': {
    command: 'touch /probe-write && echo "wrote /probe-write" && rm -f /probe-write',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (/read-only file system/i.test(out) && profile.readOnly)
        return nonRoot(profile)
          ? '--read-only root file system (user nobody would be refused too: / belongs to root).'
          : '--read-only root file system.';
      if (/permission denied/i.test(out) && nonRoot(profile))
        return 'user nobody: / belongs to root and is not writable by others.';
      return `${UNKNOWN}.`;
    },
  },
};

/** The last lines a probe printed, short enough for one card. */
function tail(text: string): string {
  return text.trim().split('\n').slice(-6).join('\n').slice(-600);
}

export function probeResult(
  id: ProbeId,
  profile: PlaygroundRequest,
  run: { exitCode: number; stdout: string; stderr: string },
): ProbeResultView {
  const probe = PROBES[id];
  const output = tail(`${run.stdout}\n${run.stderr}`);
  const succeeded = probe.succeeded(output, run.exitCode);
  return {
    probe: id,
    title: PROBE_TITLES[id],
    command: probe.command,
    outcome: succeeded ? 'succeeded' : 'blocked',
    output,
    stoppedBy: succeeded ? 'nothing: the profile allowed it.' : probe.stoppedBy(profile, output),
  };
}
