// Capabilities lab: root in a container holds Docker's short default list of capabilities,
// visible as the CapEff bitmask. Decode it; find the one a planted process lacks; hand a
// file to another user with a container that keeps only CAP_CHOWN while --cap-drop CHOWN
// refuses the same; and see why ping survives --cap-drop NET_RAW (ICMP "ping sockets",
// allowed by net.ipv4.ping_group_range) unless that sysctl is narrowed too.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { capBit, mysteryCapability } from './capability-bits.ts';
import {
  decodeExercise,
  MYSTERY_NAME,
  oneCapabilityExercise,
  REPORT,
} from './capability-exercises.ts';
import { pingSocketExercise } from './ping-socket-exercise.ts';
import { daemonProgram, runWithPlantedValue } from '../shared/planted-value.ts';
import { t } from '../shared/localized.ts';

export { MYSTERY_NAME, REPORT };
/** What `capsh --drop` does: PR_CAPBSET_DROP (24), so root's next exec lacks the capability. */
const DROP_FROM_BOUNDING_SET = `import ctypes
if ctypes.CDLL(None, use_errno=True).prctl(24, int(planted), 0, 0, 0) != 0:
    os._exit(1)
`;

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

export const capabilitiesLab: LabDefinition = {
  id: 'capabilities',
  title: t('Capabilities: how much root is root?', '能力：root 到底有几分 root？'),
  topic: 'least privilege',
  summary: t(
    "Root in a container holds only part of root's powers. Decode the capability mask, find what a planted process lost, do a job with one capability and nothing else, and find out why ping survives --cap-drop NET_RAW.",
    '容器里的 root 只拥有 root 的一部分权力。解码能力掩码，找出一个预置进程失去了什么，只用一项能力完成一项工作，并弄清 ping 为什么能扛过 --cap-drop NET_RAW。',
  ),
  minutes: 15,
  learned: [
    t(
      "Root in a container holds only Docker's default capability set, shown as a mask in /proc/<pid>/status.",
      '容器里的 root 只拥有 Docker 的默认能力集，它以掩码形式显示在 /proc/<pid>/status 中。',
    ),
    t(
      'One capability is enough for one job: --cap-drop ALL --cap-add CHOWN chowns and does nothing else.',
      '一项能力足以完成一项工作：--cap-drop ALL --cap-add CHOWN 能执行 chown，此外什么也做不了。',
    ),
    t(
      'ping survives --cap-drop NET_RAW through ICMP sockets that ping_group_range allows.',
      'ping 靠 ping_group_range 所允许的 ICMP 套接字，扛过了 --cap-drop NET_RAW。',
    ),
  ],
  lesson: 'capabilities.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['default', 'minimal'],
  containers: [
    { name: 'default', title: t('default', 'default'), hostname: 'default', ...SMALL },
    {
      name: 'minimal',
      title: t(
        'minimal (--cap-drop ALL --cap-add CHOWN)',
        'minimal（--cap-drop ALL --cap-add CHOWN）',
      ),
      hostname: 'minimal',
      capDrop: ['ALL'],
      capAdd: ['CHOWN'],
      ...SMALL,
    },
    {
      name: 'no-chown',
      title: t('no-chown (--cap-drop CHOWN)', 'no-chown（--cap-drop CHOWN）'),
      hostname: 'no-chown',
      capDrop: ['CHOWN'],
      ...SMALL,
    },
    {
      name: 'no-raw',
      title: t('no-raw (--cap-drop NET_RAW)', 'no-raw（--cap-drop NET_RAW）'),
      hostname: 'no-raw',
      capDrop: ['NET_RAW'],
      ...SMALL,
    },
    {
      name: 'no-raw-strict',
      title: t(
        'no-raw-strict (+ ping_group_range "1 0")',
        'no-raw-strict（+ ping_group_range "1 0"）',
      ),
      hostname: 'no-raw-strict',
      capDrop: ['NET_RAW'],
      sysctls: { 'net.ipv4.ping_group_range': '1 0' },
      ...SMALL,
    },
    {
      name: 'no-setuid',
      title: t(
        'no-setuid (--cap-drop SETUID --cap-drop SETGID)',
        'no-setuid（--cap-drop SETUID --cap-drop SETGID）',
      ),
      hostname: 'no-setuid',
      capDrop: ['SETUID', 'SETGID'],
      ...SMALL,
    },
  ],
  setup: async (ctx) => {
    const report = `Quarterly report. Only its owner should read it.\n`;
    for (const name of ['minimal', 'no-chown']) {
      await ctx.exec(name, [
        'sh',
        '-c',
        `printf '%s' '${report}' > ${REPORT} && chmod 600 ${REPORT}`,
      ]);
    }
    // A process that lost one capability from its bounding set before it started: capsh
    // needs CAP_SETPCAP for that, which the default set has.
    // The capability is this session's secret: planted from the host, dropped in-process.
    const drop = String(capBit(mysteryCapability(ctx.sessionToken)));
    await runWithPlantedValue(
      ctx,
      'default',
      drop,
      daemonProgram(DROP_FROM_BOUNDING_SET, 'sleep', [MYSTERY_NAME, 'infinity']),
    );
  },
  exercises: [decodeExercise, oneCapabilityExercise, pingSocketExercise],
};
