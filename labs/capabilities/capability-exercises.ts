// The capabilities lab's first two exercises: name the capability a planted process lacks,
// and hand a file to nobody with a root that holds CAP_CHOWN alone.
import type { Exercise } from '../../server/lab-kit.ts';
import {
  capBit,
  capabilityName,
  decodeMask,
  hasCap,
  hex,
  mainCapEff,
  mysteryCapability,
  parseMask,
} from './capability-bits.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { t } from '../shared/localized.ts';

export const MYSTERY_NAME = 'mystery-daemon';
export const REPORT = '/srv/report.txt';
const NOBODY = 65534;

export const decodeExercise: Exercise = {
  id: 'decode',
  title: t('The capability that went missing', '丢失的那项能力'),
  goal: t(
    `Name the capability that the ${MYSTERY_NAME} process in the default container lacks, compared with your own shell.`,
    `说出 default 容器中的 ${MYSTERY_NAME} 进程与你自己的 shell 相比缺少的那项能力。`,
  ),
  answer: { label: t('Capability', '能力'), placeholder: t('cap_something', 'cap_something') },
  hints: [
    t(
      `Every process's capabilities are in /proc/<pid>/status: CapEff is the effective set, as a hexadecimal bitmask. Find ${MYSTERY_NAME} with ps, read its mask and your shell's.`,
      `每个进程的能力都在 /proc/<pid>/status 中：CapEff 是有效集，以十六进制位掩码表示。用 ps 找到 ${MYSTERY_NAME}，读出它的掩码和你的 shell 的掩码。`,
    ),
    t(
      'Two masks differ in one bit. `capsh --decode=<hex>` turns a mask into names; decode both and compare, or decode the difference.',
      '两个掩码相差一位。`capsh --decode=<hex>` 把掩码转换成能力名称：把两个都解码后比较，或者直接解码二者之差。',
    ),
    t(
      `In the default terminal: grep CapEff /proc/$(pgrep -o -f ${MYSTERY_NAME})/status /proc/self/status, then capsh --decode= each mask.`,
      `在 default 终端中：grep CapEff /proc/$(pgrep -o -f ${MYSTERY_NAME})/status /proc/self/status，然后对每个掩码执行 capsh --decode=。`,
    ),
  ],
  check: async (ctx, answer) => {
    const submitted = capabilityName(answer ?? '');
    if (submitted === undefined) {
      return {
        passed: false,
        reason: t(
          'That is not the name of a Linux capability (they look like cap_net_bind_service).',
          '这不是 Linux 能力的名称（能力名称形如 cap_net_bind_service）。',
        ),
        hint: 1,
      };
    }
    const container = ctx.container('default');
    const own = await mainCapEff(container);
    const missing = mysteryCapability(ctx.sessionToken);
    const expected = own & ~(1n << BigInt(capBit(missing)));
    const planted = (await container.processes()).find(
      (p) => p.cmdline.startsWith(MYSTERY_NAME) && parseMask(p.status.CapEff) === expected,
    );
    if (planted === undefined) {
      return {
        passed: false,
        reason: t(
          `The planted ${MYSTERY_NAME} process is gone (was it killed?). Restart the lab to get a new one.`,
          `预置的 ${MYSTERY_NAME} 进程不见了（是被杀掉了吗？）。重新启动实验以获得一个新的。`,
        ),
        hint: 0,
      };
    }
    return judgeAnswer({
      right: submitted === missing,
      pass: t(
        `Right: read from the host, ${MYSTERY_NAME} (host PID ${planted.pid}) has CapEff ${hex(expected)}, the container's processes have ${hex(own)}; the one bit between them is ${missing}. It was dropped from the process's bounding set before it started (capsh --drop), so no exec can get it back.`,
        `正确：从宿主机读取，${MYSTERY_NAME}（宿主机 PID ${planted.pid}）的 CapEff 是 ${hex(expected)}，容器中其他进程的是 ${hex(own)}；二者相差的那一位就是 ${missing}。它在进程启动之前就被从边界集中去掉了（capsh --drop），所以任何 exec 都无法把它找回来。`,
      ),
      known: [
        {
          when: !hasCap(own, submitted),
          reason: t(
            `${submitted} is missing from every process in this container: Docker never granted it. Which capability does your shell have that ${MYSTERY_NAME} does not?`,
            `这个容器里的所有进程都没有 ${submitted}：Docker 从未授予它。哪项能力是你的 shell 有而 ${MYSTERY_NAME} 没有的？`,
          ),
          hint: 1,
        },
      ],
      otherwise: {
        reason: t(
          `${MYSTERY_NAME} still has ${submitted}.`,
          `${MYSTERY_NAME} 仍然拥有 ${submitted}。`,
        ),
        hint: 1,
      },
    });
  },
  solution: [
    {
      terminal: 'default',
      input: `m=$(awk '/^CapEff/{print $2}' /proc/$(pgrep -o -f ${MYSTERY_NAME})/status); s=$(awk '/^CapEff/{print $2}' /proc/self/status); echo "shell=$s mystery=$m"; capsh --decode=$(printf '%x' $((0x$s ^ 0x$m)))`,
      capture: /=(cap_[a-z_]+)\s*$/m,
    },
  ],
  // A capability that is missing, but from every process: Docker never grants it.
  cheat: [
    {
      terminal: 'default',
      input: 'capsh --print | grep -o cap_sys_admin | head -1',
      capture: /^(cap_sys_admin)$/m,
    },
  ],
};

export const oneCapabilityExercise: Exercise = {
  id: 'one-capability',
  title: t('One capability, one job', '一项能力，一项工作'),
  goal: t(
    `Make ${REPORT} in the minimal container belong to the user nobody, with a root that holds CAP_CHOWN and nothing else.`,
    `用一个只持有 CAP_CHOWN、别无其他能力的 root，让 minimal 容器中的 ${REPORT} 归用户 nobody 所有。`,
  ),
  hints: [
    t(
      "Changing a file's owner is the job of one capability, CAP_CHOWN. Which of your containers still has it? `grep CapEff /proc/self/status` and `capsh --decode=` tell you.",
      '修改文件的属主是一项能力的工作：CAP_CHOWN。你的哪些容器还有它？`grep CapEff /proc/self/status` 和 `capsh --decode=` 会告诉你。',
    ),
    t(
      'minimal dropped ALL and added back CHOWN: that is enough for `chown`. no-chown has thirteen capabilities, but not that one.',
      'minimal 丢掉了 ALL，又加回了 CHOWN：这足以执行 `chown`。no-chown 有十三项能力，偏偏没有这一项。',
    ),
    t(
      `In the minimal terminal: chown nobody:nogroup ${REPORT}; ls -ln ${REPORT}`,
      `在 minimal 终端中：chown nobody:nogroup ${REPORT}; ls -ln ${REPORT}`,
    ),
  ],
  check: async (ctx) => {
    const minimal = ctx.container('minimal');
    const noChown = ctx.container('no-chown');
    const [minimalCaps, noChownCaps] = [await mainCapEff(minimal), await mainCapEff(noChown)];
    if (minimalCaps !== 1n << BigInt(capBit('cap_chown'))) {
      return {
        passed: false,
        reason: t(
          `minimal's effective set is ${hex(minimalCaps)} (${decodeMask(minimalCaps).join(', ') || 'empty'}), not CAP_CHOWN alone; restart the lab.`,
          `minimal 的有效集是 ${hex(minimalCaps)}（${decodeMask(minimalCaps).join(', ') || '空'}），而不是只有 CAP_CHOWN；请重新启动实验。`,
        ),
        hint: 0,
      };
    }
    // The owner as the host's lstat sees it, through the container's root: a symlink
    // there is not the report, and a planted one cannot lead the server out.
    const ownerOf = async (c: typeof minimal): Promise<number | undefined> => {
      const file = await c.stat(REPORT);
      return file?.type === 'file' ? file.uid : undefined;
    };
    const owner = await ownerOf(minimal);
    if (owner === undefined) {
      return {
        passed: false,
        reason: t(
          `${REPORT} is gone from the minimal container, or is no longer a regular file; the job is to change its owner, not to replace it. Restart the lab.`,
          `minimal 容器中的 ${REPORT} 不见了，或者已不再是普通文件；任务是修改它的属主，而不是替换它。请重新启动实验。`,
        ),
        hint: 0,
      };
    }
    if (owner !== NOBODY) {
      return {
        passed: false,
        reason: t(
          `${REPORT} in minimal still belongs to uid ${owner}, not nobody (${NOBODY}).`,
          `minimal 中的 ${REPORT} 仍然属于 uid ${owner}，而不是 nobody（${NOBODY}）。`,
        ),
        hint: owner === 0 ? 0 : 1,
      };
    }
    const other = await ownerOf(noChown);
    return {
      passed: true,
      reason: t(
        `${REPORT} in minimal now belongs to uid ${NOBODY}. Read from the host, minimal's processes hold exactly ${hex(minimalCaps)} = cap_chown; no-chown's hold ${hex(noChownCaps)}, without cap_chown, and its copy belongs to uid ${other ?? '?'}. One capability was the whole job. Now try \`cat ${REPORT}\` in minimal: root without CAP_DAC_OVERRIDE cannot read a 0600 file it no longer owns.`,
        `minimal 中的 ${REPORT} 现在属于 uid ${NOBODY}。从宿主机读取，minimal 的进程恰好持有 ${hex(minimalCaps)} = cap_chown；no-chown 的进程持有 ${hex(noChownCaps)}，其中没有 cap_chown，它的那份文件属于 uid ${other ?? '?'}。一项能力就完成了全部工作。现在在 minimal 中试试 \`cat ${REPORT}\`：没有 CAP_DAC_OVERRIDE 的 root 读不了一个已不归它所有的 0600 文件。`,
      ),
    };
  },
  // Writing "nobody" into the file, and the same chown where CHOWN is missing.
  cheat: [
    { terminal: 'minimal', input: `chmod 666 ${REPORT}; echo 'owner: nobody' >> ${REPORT}` },
    { terminal: 'no-chown', input: `chown nobody:nogroup ${REPORT}; ls -ln ${REPORT}` },
  ],
  solution: [
    { terminal: 'no-chown', input: `chown nobody:nogroup ${REPORT}; echo exit=$?` },
    { terminal: 'minimal', input: `chown nobody:nogroup ${REPORT} && ls -ln ${REPORT}` },
  ],
};
