// Read-only root file system and the device cgroup. A write in an ordinary container lands
// in its overlay upperdir on the host; --read-only refuses it everywhere except the tmpfs
// the lab mounted; and root with CAP_MKNOD may create any device node, but the device
// cgroup decides, by major:minor, which ones it may open. The checks run nothing in the
// containers: the engine's list of changes, and the host's lstat through the container's root.
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { tmpfsOnlyExercise, upperdirExercise } from './writes-exercises.ts';
import { deviceCgroupExercise } from './device-cgroup-exercise.ts';

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

export const readonlyDevicesLab: LabDefinition = {
  id: 'readonly-devices',
  title: t('Read-only root and the device cgroup', '只读根文件系统与设备控制组'),
  topic: 'least privilege',
  summary: t(
    "See where a container's writes land on the host, make the root file system read-only with a tmpfs for scratch, and find out who decides which device nodes a container may open.",
    '看看容器的写入落在宿主机的什么地方，把根文件系统设为只读并用 tmpfs 存放临时文件，并弄清是谁决定容器可以打开哪些设备节点。',
  ),
  minutes: 15,
  learned: [
    t(
      "A container's writes land in its writable layer on the host; --read-only with a tmpfs keeps scratch space only.",
      '容器的写入落在宿主机上它的可写层中；--read-only 加上 tmpfs，只留下存放临时文件的空间。',
    ),
    t(
      'The device cgroup, not file permissions, decides which device nodes a container may open.',
      '决定容器可以打开哪些设备节点的是设备控制组，而不是文件权限。',
    ),
  ],
  lesson: 'readonly-devices.md',
  containers: [
    {
      name: 'writable',
      title: t('writable (default)', 'writable（默认）'),
      hostname: 'writable',
      ...common,
    },
    {
      name: 'readonly',
      title: t('readonly (--read-only --tmpfs /tmp)', 'readonly（--read-only --tmpfs /tmp）'),
      hostname: 'readonly',
      readonlyRootfs: true,
      tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m' },
      ...common,
    },
  ],
  exercises: [upperdirExercise, tmpfsOnlyExercise, deviceCgroupExercise],
};
