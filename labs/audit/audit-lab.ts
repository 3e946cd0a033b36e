// Audit lab (recommendation 17, and the essay's "golden images, docker diff, drift"): a
// container that someone tampered with after it started, beside an untouched one from the same
// image. The learner audits it from inside with the tools an auditor has (the account files,
// dpkg's checksums), while every check reads the truth from the host: the files through the
// container's root (/proc/<pid>/root) and what changed since the image from the engine
// (`docker diff`), which no root inside the container can edit.
import type {
  CheckContext,
  CheckOutcome,
  ContainerProfile,
  LabDefinition,
} from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';
import { backdoorAccount, driftValue, replacedProgram, TAMPER } from './drift.ts';
import { judgeRemoval } from './account-files.ts';
import { FIND_UID_ZERO, REMOVE_BACKDOOR, VERIFY_PACKAGES } from './audit-commands.ts';
import { recordFinding } from './record-finding.ts';
import { t } from '../shared/localized.ts';

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

async function judgeAccount(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const said = (answer ?? '').trim();
  const account = backdoorAccount(ctx.sessionToken);
  if (said === account) {
    return {
      passed: true,
      reason: t(
        `Right: ${account} has uid 0 in /etc/passwd, which the server read through the container's root from the host. Any account with uid 0 is root, whatever it is called; an intruder adds one so that root's own password changing does not lock them out.`,
        `正确：${account} 在 /etc/passwd 中的 uid 是 0，这是服务器从宿主机经由容器的根目录读到的。任何 uid 为 0 的账户都是 root，不管它叫什么名字；入侵者添加这样一个账户，是为了在 root 自己的密码被修改时不会被锁在门外。`,
      ),
    };
  }
  if (said === 'root')
    return {
      passed: false,
      reason: t(
        'root is meant to be uid 0. Look for another.',
        'root 本来就应该是 uid 0。再找找别的。',
      ),
      hint: 1,
    };
  const passwd = (await ctx.container('drifted').readFile('/etc/passwd')) ?? '';
  const line = passwd.split('\n').find((l) => l.split(':')[0] === said && said !== '');
  if (line !== undefined)
    return {
      passed: false,
      reason: t(
        `${said} has uid ${line.split(':')[2]}, not 0.`,
        `${said} 的 uid 是 ${line.split(':')[2]}，不是 0。`,
      ),
      hint: 0,
    };
  return {
    passed: false,
    reason: t('There is no such account in /etc/passwd.', '/etc/passwd 中没有这个账户。'),
    hint: 0,
  };
}

/** docker diff's kinds of change, as the Chinese reason names them. */
const KIND_ZH = { changed: '被修改', added: '被新增', deleted: '被删除' } as const;

async function judgeProgram(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const said = (answer ?? '').trim().replace(/\/+$/, '');
  const program = replacedProgram(ctx.sessionToken);
  const changes = await ctx.container('drifted').changes();
  const changed = changes.find((c) => c.path === said);
  if (said === program && changed !== undefined) {
    return {
      passed: true,
      reason: t(
        `Right: ${program} no longer matches the checksum its package shipped, and the engine agrees: docker diff, read on the host, lists it as ${changed.kind} since the image, beside ${changes.length - 1} other path(s). A tampered program that still does its job is what a user never notices and an audit does.`,
        `正确：${program} 与其软件包所发布的校验和不再相符，引擎也印证了这一点：在宿主机上读取的 docker diff 把它列为自镜像以来${KIND_ZH[changed.kind]}的路径，此外还有 ${changes.length - 1} 条其他路径。一个被篡改却仍在照常工作的程序，用户永远不会察觉，而审计会。`,
      ),
    };
  }
  if (said === '/etc/bash.bashrc') {
    return {
      passed: false,
      reason: t(
        '/etc/bash.bashrc is a configuration file (the c in dpkg --verify), edited when the lab image was built: it is in the image, and docker diff does not list it. Look for a program.',
        '/etc/bash.bashrc 是一个配置文件（dpkg --verify 中的 c），是在构建实验镜像时编辑的：它就在镜像里，docker diff 不会列出它。找一个程序。',
      ),
      hint: 1,
    };
  }
  if (changed !== undefined) {
    return {
      passed: false,
      reason: t(
        `${said} did change since the image (docker diff lists it), but it is not the packaged program that was replaced.`,
        `${said} 自镜像以来确实变了（docker diff 列出了它），但它不是那个被替换的、来自软件包的程序。`,
      ),
      hint: 1,
    };
  }
  return {
    passed: false,
    reason: t(
      'docker diff, read on the host, does not list that path as changed since the image.',
      '在宿主机上读取的 docker diff 并没有把这条路径列为自镜像以来发生过变化。',
    ),
    hint: 0,
  };
}

export const auditLab: LabDefinition = {
  id: 'audit',
  title: t('Audit a drifted container', '审计一个发生了漂移的容器'),
  topic: 'audit',
  summary: t(
    'Someone was in this container before you: find the account and the program they left, the way an auditor would, then remove the backdoor. The host (docker diff) knows what changed since the image.',
    '在你之前已经有人进过这个容器：像审计员那样找出他们留下的账户和程序，然后移除后门。宿主机（docker diff）知道自镜像以来发生了哪些变化。',
  ),
  minutes: 15,
  learned: [
    t(
      'Any account with uid 0 is root, whatever /etc/passwd calls it; an account lives in /etc/passwd and /etc/shadow.',
      '任何 uid 为 0 的账户都是 root，不管 /etc/passwd 怎么称呼它；一个账户存在于 /etc/passwd 和 /etc/shadow 两个文件中。',
    ),
    t(
      'dpkg --verify compares installed files with the checksums their packages shipped: a program that still works can still be replaced.',
      'dpkg --verify 把已安装的文件与其软件包所发布的校验和相比较：仍能正常工作的程序，也可能已被替换。',
    ),
    t(
      "docker diff, read on the host, lists every path a container changed since its image; root inside the container cannot hide from it, while an audit from inside trusts the container's own tools.",
      '在宿主机上读取的 docker diff 列出容器自其镜像以来改动过的每一条路径；容器内的 root 无法躲过它，而从内部进行的审计只能信任容器自己的工具。',
    ),
    t(
      "What a container's PID 1 writes to stdout and stderr, the engine keeps in a file on the host (docker logs): root inside cannot edit it.",
      '容器的 PID 1 写到 stdout 和 stderr 的内容，由引擎保存在宿主机上的一个文件里（docker logs）：容器里的 root 无法修改它。',
    ),
    t(
      'A drifted container is not made trustworthy by cleaning it: replace it with a fresh one from the golden image, and run with --read-only so drift has nowhere to go.',
      '发生了漂移的容器不会因为清理而重新变得可信：用从黄金镜像新建的容器替换它，并以 --read-only 运行，让漂移无处可去。',
    ),
  ],
  lesson: 'audit.md',
  containers: [
    {
      name: 'drifted',
      title: t('drifted (tampered with)', 'drifted（已被篡改）'),
      hostname: 'web-01',
      ...common,
    },
    {
      name: 'golden',
      title: t('golden (the same image, untouched)', 'golden（同一镜像，未经改动）'),
      hostname: 'web-02',
      ...common,
    },
  ],
  setup: async (ctx) => {
    await runWithPlantedValue(ctx, 'drifted', driftValue(ctx.sessionToken), TAMPER);
  },
  exercises: [
    {
      id: 'backdoor-account',
      title: t('A second root', '第二个 root'),
      goal: t(
        'Name the account in the drifted container that is root under another name.',
        '说出 drifted 容器中那个换了个名字的 root 账户。',
      ),
      answer: { label: t('Account name', '账户名'), placeholder: t('name', '名字') },
      hints: [
        t(
          'The kernel knows users by number, not name: uid 0 is root whatever /etc/passwd calls it. The third field of each line is the uid.',
          '内核按编号而不是名字识别用户：不管 /etc/passwd 怎么称呼，uid 0 就是 root。每行的第三个字段是 uid。',
        ),
        t(
          'That is root itself. Is any other line of /etc/passwd uid 0?',
          '那是 root 本身。/etc/passwd 中还有别的行是 uid 0 吗？',
        ),
        t(`In the drifted terminal: ${FIND_UID_ZERO}`, `在 drifted 终端中：${FIND_UID_ZERO}`),
      ],
      check: judgeAccount,
      solution: [{ terminal: 'drifted', input: FIND_UID_ZERO, capture: /^(svc-[0-9a-f]{6})$/m }],
      // The first uid-0 account is root itself.
      cheat: [
        {
          terminal: 'drifted',
          input: "awk -F: '$3 == 0 {print $1}' /etc/passwd | head -1",
          capture: /^(root)$/m,
        },
      ],
    },
    recordFinding,
    {
      id: 'replaced-program',
      title: t('A program that is not what its package shipped', '与软件包所发布版本不符的程序'),
      goal: t(
        'Give the full path of the packaged program in the drifted container that was replaced after the image was built.',
        '给出 drifted 容器中那个在镜像构建之后被替换掉的、来自软件包的程序的完整路径。',
      ),
      answer: {
        label: t('Path of the replaced program', '被替换程序的路径'),
        placeholder: t('/usr/bin/...', '/usr/bin/...'),
      },
      hints: [
        t(
          'Debian keeps a checksum of every file it installs (/var/lib/dpkg/info/*.md5sums). `dpkg --verify` compares them with the files on disk; a 5 in the third column means the content changed.',
          'Debian 为它安装的每个文件保存一份校验和（/var/lib/dpkg/info/*.md5sums）。`dpkg --verify` 把它们与磁盘上的文件相比较；第三列的 5 表示内容变了。',
        ),
        t(
          'A file the image changed on purpose (a configuration file, marked c) is not drift. Look for a program.',
          '镜像有意修改的文件（配置文件，标有 c）不算漂移。找一个程序。',
        ),
        t(`In the drifted terminal: ${VERIFY_PACKAGES}`, `在 drifted 终端中：${VERIFY_PACKAGES}`),
      ],
      check: judgeProgram,
      solution: [
        {
          terminal: 'drifted',
          input: `${VERIFY_PACKAGES} | grep ' /usr/bin/'`,
          capture: /(\/usr\/bin\/[a-z]+)\s*$/m,
        },
      ],
      // The first thing dpkg --verify lists: changed, but by the image's own build.
      cheat: [
        {
          terminal: 'drifted',
          input: `${VERIFY_PACKAGES} | head -1 | awk '{print $NF}'`,
          capture: /^(\/etc\/\S+)$/m,
        },
      ],
    },
    {
      id: 'remove-backdoor',
      title: t('Close the back door', '关上后门'),
      goal: t(
        'Remove the second root account from the drifted container completely, and no other account.',
        '从 drifted 容器中彻底删除第二个 root 账户，且不删除任何其他账户。',
      ),
      hints: [
        t(
          'An account lives in two files: /etc/passwd (name, uid, shell) and /etc/shadow (its password hash).',
          '一个账户存在于两个文件中：/etc/passwd（名字、uid、shell）和 /etc/shadow（它的密码哈希）。',
        ),
        t(
          'Is it gone from both files? And is every account the golden container has still in /etc/passwd?',
          '它从两个文件中都消失了吗？golden 容器中的每个账户是否都还在 /etc/passwd 中？',
        ),
        t(
          `In the drifted terminal, with the account's name from exercise 1: ${REMOVE_BACKDOOR}`,
          `在 drifted 终端中，使用练习 1 中找到的账户名：${REMOVE_BACKDOOR}`,
        ),
      ],
      check: (ctx) => judgeRemoval(ctx, backdoorAccount(ctx.sessionToken)),
      solution: [{ terminal: 'drifted', input: REMOVE_BACKDOOR }],
      // The classic half-fix: out of /etc/passwd, its password hash left in /etc/shadow.
      cheat: [{ terminal: 'drifted', input: String.raw`sed -i '/^svc-/d' /etc/passwd` }],
    },
  ],
};
