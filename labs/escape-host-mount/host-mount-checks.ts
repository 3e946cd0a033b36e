// The host-mount lab's checks and the parsers behind them. Each reads the session's own host
// directory (the stand-in for the host's `/`) from the host side, never the learner's terminal.
import type { CheckContext, CheckOutcome, HostFileInfo } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';

export const PLANTED_PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');

/** Accounts other than `root` with user id 0 in a passwd text: a second root. */
export function extraRootAccounts(passwd: string): string[] {
  return passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 7 && f[0] !== 'root' && f[0] !== '' && f[2]?.trim() === '0')
    .map((f) => f[0] ?? '');
}

/** The password field of root's line in a shadow text. */
export function rootHash(shadow: string): string | undefined {
  return shadow
    .split('\n')
    .map((line) => line.split(':'))
    .find((f) => f[0] === 'root')?.[1];
}

/** A setuid file the host's root owns: whoever runs it runs as root. */
export function isSetuidRoot(file: HostFileInfo): boolean {
  return !file.isDirectory && file.uid === 0 && (file.mode & 0o4000) !== 0;
}

/** Second root: an account other than root with uid 0 in the host's passwd file. */
export async function secondRootCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const passwd = await ctx.sessionFiles.read('host/etc/passwd');
  const info = (await ctx.sessionFiles.list('host/etc')).find((f) => f.name === 'passwd');
  const extra = extraRootAccounts(passwd);
  if (extra.length === 0) {
    return {
      passed: false,
      reason:
        passwd === PLANTED_PASSWD
          ? t(
              "The host's /etc/passwd is as the lab planted it: only root has uid 0.",
              '宿主机的 /etc/passwd 还是本实验放置时的样子：只有 root 的 uid 是 0。',
            )
          : t(
              "The host's /etc/passwd changed, but no account other than root has uid 0.",
              '宿主机的 /etc/passwd 变了，但除 root 之外没有任何账户的 uid 是 0。',
            ),
      hint: passwd === PLANTED_PASSWD ? 0 : 2,
    };
  }
  const when = info === undefined ? '' : ` at ${new Date(info.mtimeMs).toISOString()}`;
  const whenZh =
    info === undefined ? '已被修改' : `已于 ${new Date(info.mtimeMs).toISOString()} 被修改`;
  return {
    passed: true,
    reason: t(
      `On the host, /etc/passwd (still owned by uid ${info?.uid ?? 0}, changed${when}) now has ${extra.join(', ')} with uid 0: a second root, written by root in a container through a read-write bind mount.`,
      `在宿主机上，/etc/passwd（仍属于 uid ${info?.uid ?? 0}，${whenZh}）现在有了 uid 为 0 的 ${extra.join(', ')}：第二个 root，由容器里的 root 通过一个读写绑定挂载写入。`,
    ),
  };
}

/** The shadow exercise: the submitted hash must be root's in the host's shadow file. */
export async function shadowCheck(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const truth = rootHash(await ctx.sessionFiles.read('host/etc/shadow'));
  if (answer !== undefined && answer.trim() === truth) {
    return {
      passed: true,
      reason: t(
        "Right. Root in a container reads the host's root-only files through any mount of them, read-only or not: uid 0 inside is uid 0 outside unless a user namespace maps it. Offline, an attacker now cracks these hashes at leisure.",
        '没错。只要宿主机上仅 root 可读的文件被挂载进来，无论是否只读，容器里的 root 都能读取它们：除非有用户命名空间对它做映射，里面的 uid 0 就是外面的 uid 0。攻击者现在可以离线慢慢破解这些哈希了。',
      ),
    };
  }
  return {
    passed: false,
    reason: t(
      "That is not root's hash in the host's shadow file.",
      '这不是宿主机 shadow 文件中 root 的哈希。',
    ),
    hint: 0,
  };
}

/** A setuid root program (an ELF file, uid 0, mode 4xxx) in the host's /tmp. */
export async function setuidShellCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const files = (await ctx.sessionFiles.list('host/tmp')).filter((f) => !f.isDirectory);
  const setuidRoot = files.filter(isSetuidRoot);
  for (const file of setuidRoot) {
    const head = (await ctx.sessionFiles.read(`host/tmp/${file.name}`)).slice(0, 4);
    if (head === '\u007fELF') {
      return {
        passed: true,
        reason: t(
          `On the host, /tmp/${file.name} is owned by uid 0 with mode ${file.mode.toString(8)}: any local user who runs it (bash needs -p) is root. Nothing in the container needed a capability beyond the default: the mount was enough.`,
          `在宿主机上，/tmp/${file.name} 属于 uid 0，权限为 ${file.mode.toString(8)}：任何运行它的本地用户（bash 需要 -p）都是 root。容器里的操作不需要默认之外的任何能力：有这个挂载就够了。`,
        ),
      };
    }
  }
  if (setuidRoot.length > 0) {
    return {
      passed: false,
      reason: t(
        `${setuidRoot.map((f) => f.name).join(', ')} is setuid root, but not a program (no ELF header).`,
        `${setuidRoot.map((f) => f.name).join(', ')} 是 setuid root，但不是程序（没有 ELF 头）。`,
      ),
      hint: 1,
    };
  }
  const setuidOther = files.find((f) => (f.mode & 0o4000) !== 0);
  if (setuidOther !== undefined) {
    return {
      passed: false,
      reason: t(
        `${setuidOther.name} is setuid, but owned by uid ${setuidOther.uid}: it would run as that user, not as root.`,
        `${setuidOther.name} 设置了 setuid，但属于 uid ${setuidOther.uid}：它会以那个用户而不是 root 的身份运行。`,
      ),
      hint: 0,
    };
  }
  return {
    passed: false,
    reason:
      files.length === 0
        ? t("The host's /tmp is empty.", '宿主机的 /tmp 是空的。')
        : t(
            `Nothing in the host's /tmp has the setuid bit and root as owner (${files.map((f) => f.name).join(', ')}).`,
            `宿主机的 /tmp 中没有任何文件既有 setuid 位又属于 root（${files.map((f) => f.name).join(', ')}）。`,
          ),
    hint: files.length === 0 ? 0 : 1,
  };
}
