// UTS namespace lab: a hostname is kernel state held per namespace, not a file, and root
// in a container cannot change it without CAP_SYS_ADMIN; sharing the host's UTS namespace
// (--uts=host) shows the host's own name.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { kernelHostname } from '../shared/kernel-hostname.ts';
import { ownNamespaceCheck } from '../shared/own-namespace-check.ts';

export const UTS_HOSTNAME = 'nslab-uts';

export const utsLab: LabDefinition = {
  id: 'uts',
  title: 'UTS namespace: whose hostname is it?',
  topic: 'namespaces',
  summary:
    "Your container has its own hostname. Find the namespace that holds it, fail to change it, and see the host's name through a shared namespace.",
  minutes: 10,
  learned: [
    'A hostname is kernel state kept per UTS namespace; /etc/hostname is only a file Docker bind-mounts.',
    "Root in a container cannot rename even its own namespace: sethostname needs CAP_SYS_ADMIN, and Docker's seccomp profile refuses it without that capability.",
    "--uts=host puts a container in the host's namespace, so it reads (and with the capability could change) the host's name.",
  ],
  lesson: 'uts.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['isolated', 'host-uts'],
  containers: [
    {
      name: 'isolated',
      title: 'isolated',
      hostname: UTS_HOSTNAME,
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
    {
      name: 'host-uts',
      title: 'host-uts (--uts=host)',
      utsMode: 'host',
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
  ],
  exercises: [
    {
      id: 'own-namespace',
      title: 'Find the namespace that holds the name',
      goal: 'Report the number of the UTS namespace that your shell in the isolated terminal lives in.',
      answer: { label: 'UTS namespace', placeholder: 'uts:[4026531838]' },
      hints: [
        'Every namespace a process belongs to is a link under /proc/<pid>/ns/; "self" is the process reading it.',
        "That number belongs to the host: the host-uts container shares the host's UTS namespace. Ask from the isolated terminal.",
        'In the isolated terminal: readlink /proc/self/ns/uts',
      ],
      check: ownNamespaceCheck({ kind: 'uts', container: 'isolated' }),
      solution: [
        { terminal: 'isolated', input: 'readlink /proc/self/ns/uts', capture: /uts:\[(\d+)\]/ },
      ],
      // The right kind of number from the wrong place: the host's namespace.
      cheat: [
        { terminal: 'host-uts', input: 'readlink /proc/self/ns/uts', capture: /uts:\[(\d+)\]/ },
      ],
    },
    {
      id: 'file-is-not-the-name',
      title: 'The file is not the hostname',
      goal: 'Make /etc/hostname in the isolated container disagree with the hostname the kernel reports.',
      hints: [
        "Root in this container cannot change the kernel's hostname (try `hostname something`). But is /etc/hostname the hostname?",
        'Root may still write files. Put a different name into /etc/hostname, then ask the kernel with `uname -n`.',
        'In the isolated terminal: echo not-my-name > /etc/hostname; uname -n',
      ],
      check: async (ctx) => {
        const isolated = ctx.container('isolated');
        const file = (await isolated.readEngineFile('HostnamePath')).trim();
        const kernel = await kernelHostname(isolated);
        if (kernel !== UTS_HOSTNAME) {
          return {
            passed: false,
            reason: `The kernel now says "${kernel}": something changed the namespace's hostname, which this lab does not expect.`,
            hint: 0,
          };
        }
        if (file === kernel) {
          return {
            passed: false,
            reason: `/etc/hostname still says "${file}", the same as the kernel.`,
            hint: 1,
          };
        }
        return {
          passed: true,
          reason: `/etc/hostname says "${file}" but the kernel's UTS namespace still says "${kernel}". The name lives in the namespace; the file is only a copy Docker wrote (on the host, at the container's HostnamePath).`,
        };
      },
      // Editing the hosts file is not editing the hostname.
      cheat: [{ terminal: 'isolated', input: 'echo 127.0.0.1 not-my-name >> /etc/hosts' }],
      solution: [
        { terminal: 'isolated', input: 'hostname renamed-by-root' },
        {
          terminal: 'isolated',
          input: 'echo not-my-name > /etc/hostname; uname -n; cat /etc/hostname',
        },
      ],
    },
    {
      id: 'host-name',
      title: "Share the host's namespace",
      goal: 'Name the machine this lab runs on, using only the container started with --uts=host.',
      answer: { label: "The host's hostname", placeholder: 'hostname' },
      hints: [
        "One of your terminals shares the host's UTS namespace. Which one?",
        "That is the isolated container's own name. Ask in the host-uts terminal instead.",
        'In the host-uts terminal: hostname',
      ],
      check: async (ctx, answer) => {
        const shared = await ctx.container('host-uts').namespace('uts');
        const host = await ctx.host.namespace('uts');
        if (shared !== host) {
          return {
            passed: false,
            reason:
              "The host-uts container does not share this server's UTS namespace; is nslab running on the Docker host?",
            hint: 0,
          };
        }
        const hostname = await ctx.host.hostname();
        // Host names are not case-sensitive; a trailing dot is the same name.
        const said = (answer ?? '').trim().toLowerCase().replace(/\.$/, '');
        if (said === hostname.toLowerCase()) {
          return {
            passed: true,
            reason: `Right: "${hostname}". The host-uts container is in ${host}, the host's own UTS namespace, so it sees (but, without CAP_SYS_ADMIN, cannot change) the host's name.`,
          };
        }
        if (said === UTS_HOSTNAME) {
          return {
            passed: false,
            reason: `"${UTS_HOSTNAME}" is the name the lab gave the isolated container.`,
            hint: 1,
          };
        }
        return { passed: false, reason: "That is not the host's hostname.", hint: 0 };
      },
      solution: [
        { terminal: 'host-uts', input: 'hostname', capture: /^([A-Za-z0-9][A-Za-z0-9.-]*)$/m },
      ],
      // The isolated container's name is a hostname too, just not the host's.
      cheat: [
        { terminal: 'isolated', input: 'hostname', capture: /^([A-Za-z0-9][A-Za-z0-9.-]*)$/m },
      ],
    },
  ],
};
