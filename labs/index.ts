// The catalogue: every lab nslab offers, in the order the page lists them. A lab reaches
// Docker only by being listed here and passing validation at start-up.
import type { LabDefinition } from '../server/lab-kit.ts';
import { auditLab } from './audit/audit-lab.ts';
import { capabilitiesLab } from './capabilities/capabilities-lab.ts';
import { cgroupBlkioLab } from './cgroup-blkio/cgroup-blkio-lab.ts';
import { cgroupCpuLab } from './cgroup-cpu/cgroup-cpu-lab.ts';
import { cgroupMemoryLab } from './cgroup-memory/cgroup-memory-lab.ts';
import { cgroupPidsLab } from './cgroup-pids/cgroup-pids-lab.ts';
import { escapeDockerSockLab } from './escape-docker-sock/escape-docker-sock-lab.ts';
import { escapeDockerTcpLab } from './escape-docker-tcp/escape-docker-tcp-lab.ts';
import { escapeHostPidLab } from './escape-host-pid/escape-host-pid-lab.ts';
import { escapePrivilegedDeviceLab } from './escape-privileged-device/escape-privileged-device-lab.ts';
import { escapeHostMountLab } from './escape-host-mount/escape-host-mount-lab.ts';
import { escapeReleaseAgentLab } from './escape-release-agent/escape-release-agent-lab.ts';
import { imageProvenanceLab } from './image-provenance/image-provenance-lab.ts';
import { ipcLab } from './ipc/ipc-lab.ts';
import { lsmLab } from './lsm/lsm-lab.ts';
import { mntLab } from './mnt/mnt-lab.ts';
import { netLab } from './net/net-lab.ts';
import { pidLab } from './pid/pid-lab.ts';
import { playgroundLab } from './playground/playground-lab.ts';
import { runtimeDetectionLab } from './runtime-detection/runtime-detection-lab.ts';
import { readonlyDevicesLab } from './readonly-devices/readonly-devices-lab.ts';
import { sandboxedRuntimeLab } from './sandboxed-runtime/sandboxed-runtime-lab.ts';
import { seccompLab } from './seccomp/seccomp-lab.ts';
import { setuidLab } from './setuid/setuid-lab.ts';
import { userLab } from './user/user-lab.ts';
import { utsLab } from './uts/uts-lab.ts';

// The path: the page numbers the labs in this order, grouped by topic (namespaces, control
// groups, least privilege, audit, image provenance, escapes, sandboxing), and a finished lab points at the next one.
export const labs: readonly LabDefinition[] = [
  utsLab,
  pidLab,
  netLab,
  ipcLab,
  mntLab,
  userLab,
  cgroupMemoryLab,
  cgroupPidsLab,
  cgroupCpuLab,
  cgroupBlkioLab,
  capabilitiesLab,
  setuidLab,
  seccompLab,
  readonlyDevicesLab,
  lsmLab,
  playgroundLab,
  auditLab,
  // Filed under audit: the operator looks at running containers from outside, files first
  // (audit), then processes (the seed's runtime threat detection), before the image itself.
  runtimeDetectionLab,
  imageProvenanceLab,
  escapeDockerSockLab,
  escapeDockerTcpLab,
  escapeHostMountLab,
  escapeReleaseAgentLab,
  escapeHostPidLab,
  escapePrivilegedDeviceLab,
  // After the escapes, as their answer: each one went through the kernel every container
  // shares; this lab puts another kernel in between.
  sandboxedRuntimeLab,
];
