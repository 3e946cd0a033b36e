// Block I/O control group lab: `--device-write-bps <disk>:<rate>` makes the kernel's block
// layer hold the container's writes to that disk to that rate, chosen per session (1 to 3
// MiB/s), so the rate a learner measures is theirs. The learner finds the device the limit
// names, writes past the page cache so the limit applies, and reads the rate. Checks
// (blkio-checks.ts) read the throttle setting and the cgroup's per-device write counters on
// the host (v1 blkio.throttle.*, v2 io.max and io.stat).
import type { LabDefinition } from '../../server/lab-kit.ts';
import { MIB } from '../shared/cgroup-files.ts';
import { t } from '../shared/localized.ts';
import {
  DIRECT_WRITE,
  WRITER,
  WRITE_BYTES,
  judgeDevice,
  judgeDirectWrite,
  judgeRate,
} from './blkio-checks.ts';

export { WRITE_BPS_CHOICES, WRITE_BYTES, parseRate, sessionRate } from './blkio-checks.ts';

export const cgroupBlkioLab: LabDefinition = {
  id: 'cgroup-blkio',
  title: t('Block I/O cgroup: throttling writes to the disk', '块设备 I/O 控制组：对写盘限流'),
  topic: 'control groups',
  summary: t(
    'Your container may write to the disk only so fast, at a rate of its own. Find the device the limit names, get past the page cache so the limit bites, and measure the rate.',
    '你的容器写盘的速度有上限，而且是属于它自己的速率。找出限制所指的设备，绕过页缓存让限制起作用，并测量这个速率。',
  ),
  minutes: 12,
  learned: [
    t(
      'Write limits name a device (major:minor) and bite only on writes that reach it: direct I/O, not the page cache.',
      '写入限制针对某个设备（major:minor），只对真正到达该设备的写入起作用：直接 I/O，而不是页缓存。',
    ),
    t(
      'A throttled container measures its own limit with dd, whatever the disk could do.',
      '被限流的容器用 dd 测到的是它自己的限制，而不管磁盘本身能有多快。',
    ),
  ],
  lesson: 'cgroup-blkio.md',
  containers: [WRITER],
  exercises: [
    {
      id: 'find-device',
      title: t('Which device is limited?', '哪个设备被限制了？'),
      goal: t(
        'Report the device number (major:minor) of the disk whose writes the kernel throttles for the writer container.',
        '报告内核为 writer 容器限流写入的那块磁盘的设备号（major:minor）。',
      ),
      answer: { label: t('Device number', '设备号'), placeholder: t('major:minor', 'major:minor') },
      hints: [
        t(
          'The kernel does not know device names like /dev/vda in its limits: the block I/O cgroup names a disk by its major:minor number. Where does the container keep its cgroup files?',
          '内核的限制里不认 /dev/vda 这样的设备名：块设备 I/O 控制组用 major:minor 设备号来指称磁盘。容器把它的控制组文件放在哪里？',
        ),
        t(
          "That is the overlay filesystem's own number: overlay is not a disk (major 0 means no device). The limit is on the disk underneath, and the cgroup file says which.",
          '那是 overlay 文件系统自己的设备号：overlay 不是磁盘（主设备号为 0 表示没有设备）。限制加在它底下的磁盘上，控制组文件会告诉你是哪一块。',
        ),
        t(
          'cgroup v1: cat /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device   cgroup v2: cat /sys/fs/cgroup/io.max',
          'cgroup v1：cat /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device   cgroup v2：cat /sys/fs/cgroup/io.max',
        ),
      ],
      check: judgeDevice,
      solution: [
        {
          terminal: 'writer',
          input:
            'cat /sys/fs/cgroup/blkio/blkio.throttle.write_bps_device 2>/dev/null || cat /sys/fs/cgroup/io.max',
          capture: /^(\d+:\d+)\s/m,
        },
      ],
      // The device number of the container's root filesystem: the overlay, not the disk.
      cheat: [{ terminal: 'writer', input: 'mountpoint -d /', capture: /^(\d+:\d+)$/m }],
    },
    {
      id: 'direct-write',
      title: t('Make the limit bite', '让限制起作用'),
      goal: t(
        `Write at least ${WRITE_BYTES / MIB} MiB from the writer container to the disk in a way the kernel throttles.`,
        `以一种会被内核限流的方式，从 writer 容器向磁盘写入至少 ${WRITE_BYTES / MIB} MiB。`,
      ),
      hints: [
        t(
          "The throttle sits in the block layer, between your container and the disk: only writes that reach the disk on this cgroup's behalf are counted and held back.",
          '限流发生在块层，位于你的容器和磁盘之间：只有以这个控制组的名义到达磁盘的写入，才会被计数和扣住。',
        ),
        t(
          'A tmpfs (/dev/shm) never reaches the disk, and ordinary writes land in the page cache first; on cgroup v1 the kernel writes them out later on its own behalf, unthrottled. Ask for writes that bypass the page cache.',
          'tmpfs（/dev/shm）永远到不了磁盘，而普通写入首先落进页缓存；在 cgroup v1 上，内核稍后以它自己的名义把它们写出去，不受限流。要用绕过页缓存的写入。',
        ),
        t(
          `In the writer terminal: ${DIRECT_WRITE}; rm /root/direct.bin`,
          `在 writer 终端中：${DIRECT_WRITE}; rm /root/direct.bin`,
        ),
      ],
      check: judgeDirectWrite,
      solution: [{ terminal: 'writer', input: `${DIRECT_WRITE}; rm -f /root/direct.bin` }],
      cheat: [
        { terminal: 'writer', input: 'echo "254:0 Write 8388608"' },
        // tmpfs is memory, not the disk.
        {
          terminal: 'writer',
          input: `dd if=/dev/zero of=/dev/shm/fake.bin bs=1M count=${WRITE_BYTES / MIB}; rm -f /dev/shm/fake.bin`,
        },
      ],
    },
    {
      id: 'write-rate',
      title: t('Measure the rate', '测量速率'),
      goal: t(
        'Report the write rate dd measured for a direct write of at least 8 MiB in the writer container.',
        '报告 dd 在 writer 容器中对一次至少 8 MiB 的直接写入测得的写入速率。',
      ),
      answer: {
        label: t('Rate (as dd prints it)', '速率（照 dd 打印的样子）'),
        placeholder: t('0.0 MB/s', '0.0 MB/s'),
      },
      hints: [
        t(
          'dd prints a summary line when it finishes: bytes, seconds, and the rate. Use a write the limit applies to.',
          'dd 结束时会打印一行汇总：字节数、秒数和速率。要用一次受限制约束的写入。',
        ),
        t(
          'Was the write you measured one the limit applies to? Ordinary writes land in the page cache at memory speed, before the block layer sees them; only a direct write (oflag=direct) is held to the limit while dd runs.',
          '你测量的那次写入受限制约束吗？普通写入以内存的速度落进页缓存，块层还没看到它们；只有直接写入（oflag=direct）会在 dd 运行期间被压在限制上。',
        ),
        t(
          `In the writer terminal: ${DIRECT_WRITE}; rm /root/direct.bin   then read the last number dd prints.`,
          `在 writer 终端中：${DIRECT_WRITE}; rm /root/direct.bin   然后读出 dd 打印的最后一个数字。`,
        ),
      ],
      check: judgeRate,
      solution: [
        {
          terminal: 'writer',
          input: `${DIRECT_WRITE} 2>&1 | tail -n 1; rm -f /root/direct.bin`,
          capture: /, ([\d.]+ [kMG]?B\/s)$/m,
        },
      ],
      // The speed of the page cache, not of the throttled disk.
      cheat: [
        {
          terminal: 'writer',
          input: `dd if=/dev/zero of=/root/fast.bin bs=1M count=${WRITE_BYTES / MIB} 2>&1 | tail -n 1; rm -f /root/fast.bin`,
          capture: /, ([\d.]+ [kMG]?B\/s)$/m,
        },
      ],
    },
  ],
};
