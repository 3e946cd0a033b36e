// The playground's probes: a short menu of things an attacker tries first, each a FIXED
// command (no learner input reaches it) that the server runs in the playground container as
// the profile's user. What it printed says whether it happened; which setting stopped it is
// derived from the vetted profile and the error the kernel returned, and where the two do not
// single out one setting, the page says so. Shown to the learner, never graded: the learner
// is root in there and could make a probe print anything.
import { both, inLang, type Localized } from '../catalogue/lab-text.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import type { PlaygroundRequest, ProbeId, ProbeResultView } from '../protocol/playground-types.ts';

interface Probe {
  /** What it tries, in words (the page's menu names it the same way: web/src/i18n). */
  title: Localized;
  command: string;
  /** Whether the output shows the attempt worked. */
  succeeded(output: string, exitCode: number): boolean;
  /** Which setting stopped it, from the profile and the error text. */
  stoppedBy(profile: PlaygroundRequest, output: string): Localized;
}

const EPERM = /operation not permitted|permission denied|must be superuser/i;
const UNKNOWN = both(
  'nslab cannot tell which setting stopped it from this profile and this error',
  'nslab 无法从这个配置和这个错误判断是哪项设置挡住了它',
);
const NOT_PERMISSION = both(
  `${UNKNOWN.en} (not a permission error).`,
  `${UNKNOWN.zh}（这不是权限错误）。`,
);
const UNKNOWN_ONLY = both(`${UNKNOWN.en}.`, `${UNKNOWN.zh}。`);

function nonRoot(profile: PlaygroundRequest): boolean {
  return profile.user !== 'root';
}

/** The capability is gone: dropped by name or with ALL, and not added back. */
function dropped(profile: PlaygroundRequest, cap: 'CHOWN' | 'NET_RAW'): boolean {
  const drops = profile.capDrop.includes('ALL') || profile.capDrop.includes(cap);
  return drops && !profile.capAdd.includes(cap);
}

/** A non-root user, and what the attempt would have needed (in each language). */
function nonRootUser(needs: Localized): Localized {
  return both(
    `user nobody: a non-root user’s processes hold no capabilities, whatever the profile keeps (${needs.en}).`,
    `用户 nobody：非 root 用户的进程不持有任何能力，无论配置保留了什么（${needs.zh}）。`,
  );
}

/** The container keeps the capability, so something else stopped it. */
function keeps(cap: string): Localized {
  return both(`${UNKNOWN.en}: the container keeps ${cap}.`, `${UNKNOWN.zh}：容器保留着 ${cap}。`);
}

export const PROBES: Record<ProbeId, Probe> = {
  mount: {
    title: both('Mount a tmpfs on /mnt', '在 /mnt 上挂载一个 tmpfs'),
    command: 'mount -t tmpfs probe /mnt && echo "mounted a tmpfs on /mnt" && umount /mnt',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (nonRoot(profile))
        return nonRootUser(both('mount needs CAP_SYS_ADMIN', 'mount 需要 CAP_SYS_ADMIN'));
      if (!profile.capAdd.includes('SYS_ADMIN')) {
        const seccomp = profile.seccomp === 'default';
        return both(
          `no CAP_SYS_ADMIN (not in Docker’s default set)${seccomp ? '; Docker’s default seccomp profile also refuses mount(2) to a container without it' : ''}.`,
          `没有 CAP_SYS_ADMIN（不在 Docker 的默认集合中）${seccomp ? '；Docker 默认的 seccomp 配置也会对没有它的容器拒绝 mount(2)' : ''}。`,
        );
      }
      return EPERM.test(out) ? UNKNOWN_ONLY : NOT_PERMISSION;
    },
  },
  'raw-socket': {
    title: both(
      'Open a raw ICMP socket (what packet crafting and sniffing need)',
      '打开一个原始 ICMP 套接字（伪造数据包和嗅探都需要它）',
    ),
    command:
      'python3 -c \'import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); print("opened a raw ICMP socket")\'',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (!EPERM.test(out)) return NOT_PERMISSION;
      if (nonRoot(profile))
        return nonRootUser(both('a raw socket needs CAP_NET_RAW', '原始套接字需要 CAP_NET_RAW'));
      if (dropped(profile, 'NET_RAW'))
        return both('CAP_NET_RAW dropped (--cap-drop).', 'CAP_NET_RAW 已被丢弃（--cap-drop）。');
      return keeps('CAP_NET_RAW');
    },
  },
  chown: {
    title: both('Give a file to another user (chown)', '把文件交给另一个用户（chown）'),
    command: 'f=$(mktemp) && chown 1:1 "$f" && echo "gave $f to uid 1"; s=$?; rm -f "$f"; exit $s',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (!EPERM.test(out)) return NOT_PERMISSION;
      if (nonRoot(profile))
        return nonRootUser(
          both('giving a file away needs CAP_CHOWN', '把文件交给别人需要 CAP_CHOWN'),
        );
      if (dropped(profile, 'CHOWN'))
        return both('CAP_CHOWN dropped (--cap-drop).', 'CAP_CHOWN 已被丢弃（--cap-drop）。');
      return keeps('CAP_CHOWN');
    },
  },
  'host-processes': {
    title: both(
      'List the host’s processes (look for dockerd)',
      '列出宿主机的进程（找一找 dockerd）',
    ),
    command:
      'echo "$(ps -e -o comm= | grep -c .) processes visible"; ps -e -o comm= | grep -x -m1 -e dockerd -e containerd || echo "no dockerd or containerd among them"',
    succeeded: (out) => /^(dockerd|containerd)$/m.test(out),
    stoppedBy: (profile) =>
      profile.share.includes('pid')
        ? both(
            `${UNKNOWN.en}: the profile shares the host’s PID namespace.`,
            `${UNKNOWN.zh}：配置共享了宿主机的 PID 命名空间。`,
          )
        : both(
            'a private PID namespace (pid not shared with the host): the container sees only its own processes.',
            '私有的 PID 命名空间（pid 没有与宿主机共享）：容器只能看到它自己的进程。',
          ),
  },
  'write-root': {
    title: both('Write a file into the root file system', '往根文件系统里写一个文件'),
    command: 'touch /probe-write && echo "wrote /probe-write" && rm -f /probe-write',
    succeeded: (_out, code) => code === 0,
    stoppedBy: (profile, out) => {
      if (/read-only file system/i.test(out) && profile.readOnly)
        return nonRoot(profile)
          ? both(
              '--read-only root file system (user nobody would be refused too: / belongs to root).',
              '--read-only 只读根文件系统（用户 nobody 也同样会被拒绝：/ 属于 root）。',
            )
          : both('--read-only root file system.', '--read-only 只读根文件系统。');
      if (/permission denied/i.test(out) && nonRoot(profile))
        return both(
          'user nobody: / belongs to root and is not writable by others.',
          '用户 nobody：/ 属于 root，其他用户不能写。',
        );
      return UNKNOWN_ONLY;
    },
  },
};

const NOTHING = both('nothing: the profile allowed it.', '没有：配置允许了它。');

/** The last lines a probe printed, short enough for one card. */
function tail(text: string): string {
  return text.trim().split('\n').slice(-6).join('\n').slice(-600);
}

export function probeResult(
  id: ProbeId,
  profile: PlaygroundRequest,
  run: { exitCode: number; stdout: string; stderr: string },
  lang: Lang = DEFAULT_LANG,
): ProbeResultView {
  const probe = PROBES[id];
  const output = tail(`${run.stdout}\n${run.stderr}`);
  const succeeded = probe.succeeded(output, run.exitCode);
  return {
    probe: id,
    title: inLang(probe.title, lang),
    command: probe.command,
    outcome: succeeded ? 'succeeded' : 'blocked',
    output,
    stoppedBy: inLang(succeeded ? NOTHING : probe.stoppedBy(profile, output), lang),
  };
}
