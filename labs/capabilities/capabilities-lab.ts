// Capabilities lab: root in a container holds Docker's short default list of capabilities,
// visible as the CapEff bitmask. Decode it; find the one a planted process lacks; hand a
// file to another user with a container that keeps only CAP_CHOWN while --cap-drop CHOWN
// refuses the same; and see why ping survives --cap-drop NET_RAW (ICMP "ping sockets",
// allowed by net.ipv4.ping_group_range) unless that sysctl is narrowed too.
import type { LabDefinition } from '../../server/lab-kit.ts';
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
import { daemonProgram, runWithPlantedValue } from '../shared/planted-value.ts';

export const MYSTERY_NAME = 'mystery-daemon';
/** What `capsh --drop` does: PR_CAPBSET_DROP (24), so root's next exec lacks the capability. */
const DROP_FROM_BOUNDING_SET = `import ctypes
if ctypes.CDLL(None, use_errno=True).prctl(24, int(planted), 0, 0, 0) != 0:
    os._exit(1)
`;
export const REPORT = '/srv/report.txt';
const NOBODY = 65534;

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

/** Counters of /proc/net/snmp's IcmpMsg table ("InType0" = echo replies received). */
function icmpMsg(snmp: string, field: string): number {
  const lines = snmp.split('\n').filter((l) => l.startsWith('IcmpMsg:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const at = names.indexOf(field);
  return at > 0 ? Number(values[at] ?? 0) : 0;
}

export const capabilitiesLab: LabDefinition = {
  id: 'capabilities',
  title: 'Capabilities: how much root is root?',
  topic: 'least privilege',
  summary:
    "Root in a container holds only part of root's powers. Decode the capability mask, find what a planted process lost, do a job with one capability and nothing else, and find out why ping survives --cap-drop NET_RAW.",
  minutes: 15,
  learned: [
    "Root in a container holds only Docker's default capability set, shown as a mask in /proc/<pid>/status.",
    'One capability is enough for one job: --cap-drop ALL --cap-add CHOWN chowns and does nothing else.',
    'ping survives --cap-drop NET_RAW through ICMP sockets that ping_group_range allows.',
  ],
  lesson: 'capabilities.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['default', 'minimal'],
  containers: [
    { name: 'default', title: 'default', hostname: 'default', ...SMALL },
    {
      name: 'minimal',
      title: 'minimal (--cap-drop ALL --cap-add CHOWN)',
      hostname: 'minimal',
      capDrop: ['ALL'],
      capAdd: ['CHOWN'],
      ...SMALL,
    },
    {
      name: 'no-chown',
      title: 'no-chown (--cap-drop CHOWN)',
      hostname: 'no-chown',
      capDrop: ['CHOWN'],
      ...SMALL,
    },
    {
      name: 'no-raw',
      title: 'no-raw (--cap-drop NET_RAW)',
      hostname: 'no-raw',
      capDrop: ['NET_RAW'],
      ...SMALL,
    },
    {
      name: 'no-raw-strict',
      title: 'no-raw-strict (+ ping_group_range "1 0")',
      hostname: 'no-raw-strict',
      capDrop: ['NET_RAW'],
      sysctls: { 'net.ipv4.ping_group_range': '1 0' },
      ...SMALL,
    },
    {
      name: 'no-setuid',
      title: 'no-setuid (--cap-drop SETUID --cap-drop SETGID)',
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
  exercises: [
    {
      id: 'decode',
      title: 'The capability that went missing',
      goal: `Name the capability that the ${MYSTERY_NAME} process in the default container lacks, compared with your own shell.`,
      answer: { label: 'Capability', placeholder: 'cap_something' },
      hints: [
        `Every process's capabilities are in /proc/<pid>/status: CapEff is the effective set, as a hexadecimal bitmask. Find ${MYSTERY_NAME} with ps, read its mask and your shell's.`,
        'Two masks differ in one bit. `capsh --decode=<hex>` turns a mask into names; decode both and compare, or decode the difference.',
        `In the default terminal: grep CapEff /proc/$(pgrep -o -f ${MYSTERY_NAME})/status /proc/self/status, then capsh --decode= each mask.`,
      ],
      check: async (ctx, answer) => {
        const submitted = capabilityName(answer ?? '');
        if (submitted === undefined) {
          return {
            passed: false,
            reason:
              'That is not the name of a Linux capability (they look like cap_net_bind_service).',
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
            reason: `The planted ${MYSTERY_NAME} process is gone (was it killed?). Restart the lab to get a new one.`,
            hint: 0,
          };
        }
        if (submitted === missing) {
          return {
            passed: true,
            reason: `Right: read from the host, ${MYSTERY_NAME} (host PID ${planted.pid}) has CapEff ${hex(expected)}, the container's processes have ${hex(own)}; the one bit between them is ${missing}. It was dropped from the process's bounding set before it started (capsh --drop), so no exec can get it back.`,
          };
        }
        if (!hasCap(own, submitted)) {
          return {
            passed: false,
            reason: `${submitted} is missing from every process in this container: Docker never granted it. Which capability does your shell have that ${MYSTERY_NAME} does not?`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: `${MYSTERY_NAME} still has ${submitted}.`,
          hint: 1,
        };
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
    },
    {
      id: 'one-capability',
      title: 'One capability, one job',
      goal: `Make ${REPORT} in the minimal container belong to the user nobody, with a root that holds CAP_CHOWN and nothing else.`,
      hints: [
        "Changing a file's owner is the job of one capability, CAP_CHOWN. Which of your containers still has it? `grep CapEff /proc/self/status` and `capsh --decode=` tell you.",
        'minimal dropped ALL and added back CHOWN: that is enough for `chown`. no-chown has thirteen capabilities, but not that one.',
        `In the minimal terminal: chown nobody:nogroup ${REPORT}; ls -ln ${REPORT}`,
      ],
      check: async (ctx) => {
        const minimal = ctx.container('minimal');
        const noChown = ctx.container('no-chown');
        const [minimalCaps, noChownCaps] = [await mainCapEff(minimal), await mainCapEff(noChown)];
        if (minimalCaps !== 1n << BigInt(capBit('cap_chown'))) {
          return {
            passed: false,
            reason: `minimal's effective set is ${hex(minimalCaps)} (${decodeMask(minimalCaps).join(', ') || 'empty'}), not CAP_CHOWN alone; restart the lab.`,
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
            reason: `${REPORT} is gone from the minimal container, or is no longer a regular file; the job is to change its owner, not to replace it. Restart the lab.`,
            hint: 0,
          };
        }
        if (owner !== NOBODY) {
          return {
            passed: false,
            reason: `${REPORT} in minimal still belongs to uid ${owner}, not nobody (${NOBODY}).`,
            hint: owner === 0 ? 0 : 1,
          };
        }
        const other = await ownerOf(noChown);
        return {
          passed: true,
          reason: `${REPORT} in minimal now belongs to uid ${NOBODY}. Read from the host, minimal's processes hold exactly ${hex(minimalCaps)} = cap_chown; no-chown's hold ${hex(noChownCaps)}, without cap_chown, and its copy belongs to uid ${other ?? '?'}. One capability was the whole job. Now try \`cat ${REPORT}\` in minimal: root without CAP_DAC_OVERRIDE cannot read a 0600 file it no longer owns.`,
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
    },
    {
      id: 'ping-socket',
      title: 'Ping without NET_RAW',
      goal: 'Get an echo reply from 127.0.0.1 in the no-raw container, which has no CAP_NET_RAW.',
      hints: [
        '`ping` is refused before it even runs ("operation not permitted" from exec). `getcap /usr/bin/ping` shows what the file asks for: a capability this container cannot grant.',
        'A copy of a file does not keep its file capabilities, and iputils ping can work without them: it uses an ICMP datagram ("ping") socket, which needs no capability if your group is inside net.ipv4.ping_group_range.',
        'In the no-raw terminal: cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1',
      ],
      check: async (ctx) => {
        const noRaw = ctx.container('no-raw');
        const caps = await mainCapEff(noRaw);
        if (hasCap(caps, 'cap_net_raw')) {
          return {
            passed: false,
            reason: `no-raw's processes hold cap_net_raw (${hex(caps)}); restart the lab.`,
            hint: 0,
          };
        }
        const snmp = await noRaw.netTable('snmp');
        const replies = icmpMsg(snmp, 'InType0');
        if (replies === 0) {
          return {
            passed: false,
            reason:
              "No echo reply has arrived in no-raw's network namespace yet (its /proc/net/snmp, read on the host: IcmpMsg InType0 = 0).",
            hint: 0,
          };
        }
        const range = async (name: string): Promise<string> =>
          (await ctx.container(name).netSysctl('ipv4/ping_group_range'))
            .trim()
            .replace(/\s+/g, ' ');
        return {
          passed: true,
          reason: `no-raw's network namespace counted ${replies} echo repl${replies === 1 ? 'y' : 'ies'}, and read from the host its processes hold ${hex(caps)}: no cap_net_raw. The echo went out through an ICMP ping socket, which the kernel allows to groups in net.ipv4.ping_group_range: "${await range('no-raw')}" in no-raw (Docker sets it so), "${await range('no-raw-strict')}" in no-raw-strict, where nobody may.`,
        };
      },
      // The obvious command, which exec refuses; the right command in the wrong container.
      cheat: [
        {
          terminal: 'no-raw',
          input: "ping -c 1 127.0.0.1; echo '1 packets transmitted, 1 received'",
        },
        { terminal: 'default', input: 'ping -c 1 127.0.0.1' },
        {
          terminal: 'no-raw-strict',
          input: 'cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1',
        },
      ],
      solution: [
        { terminal: 'no-raw', input: 'getcap /usr/bin/ping; ping -c 1 127.0.0.1' },
        { terminal: 'no-raw', input: 'cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1' },
      ],
    },
  ],
};
