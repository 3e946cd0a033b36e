// Setuid lab: a setuid-root program run by `nobody` starts with effective uid 0 (the kernel
// does this at execve, no capability needed); --cap-drop SETUID --cap-drop SETGID, which the
// seed recommends for this, does not stop it; --security-opt no-new-privileges does. The
// learner audits the image with `find / -perm -4000`, uses a planted setuid copy of `tee` to
// write into root's home, and lets the host read the helper's credentials in both cases.
// The checks run nothing in the containers (the helper writes anywhere as root, /usr/bin
// included): they read owners and modes with the host's lstat through /proc/<pid>/root, and
// the helper's credentials from the host's /proc.
import { createHash } from 'node:crypto';
import type {
  ContainerEvidence,
  ContainerFile,
  ContainerProfile,
  HostProcess,
  LabDefinition,
} from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';

export const HELPER_DIR = '/opt/acme/bin';
const NOBODY = 65534;

/** The planted helper's path: a per-session name, so an answer does not carry over between learners. */
export function helperPath(sessionToken: string): string {
  const suffix = createHash('sha256').update(`setuid-helper:${sessionToken}`).digest('hex');
  return `${HELPER_DIR}/logtee-${suffix.slice(0, 6)}`;
}

/**
 * A vendor's "log helper": a setuid-root copy of tee, as careless images really contain,
 * copied, owned and moded in one process so its per-session path is on no command line.
 */
const PLANT_HELPER = `import shutil
os.makedirs(os.path.dirname(planted), exist_ok=True)
shutil.copyfile("/usr/bin/tee", planted)
os.chown(planted, 0, 0)
os.chmod(planted, 0o4755)
`;

/** The effective uid from a /proc/<pid>/status "Uid:" field (real, effective, saved, fs). */
export function effectiveUid(status: Record<string, string>): number | undefined {
  const euid = Number((status.Uid ?? '').split(/\s+/)[1]);
  return Number.isInteger(euid) ? euid : undefined;
}

/** The container's processes that are running the planted helper itself (not a copy of it). */
function helperProcesses(processes: HostProcess[], path: string): HostProcess[] {
  return processes.filter((p) => p.exe === path);
}

/** The "Uid:" field as one readable line. */
function uidLine(p: HostProcess): string {
  return (p.status.Uid ?? '').replace(/\s+/g, ' ');
}

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  user: 'nobody',
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

/** A regular file owned by root with the setuid bit: what `find -perm -4000 -uid 0` lists. */
function setuidRoot(file: ContainerFile | undefined): boolean {
  return file?.type === 'file' && file.uid === 0 && (file.mode & 0o4000) !== 0;
}

/** Root-owned files in /root whose group is nogroup: written with euid 0 but egid 65534. */
async function rootFilesByNobody(box: ContainerEvidence): Promise<string[]> {
  const files = await box.walk('/root', { types: ['file'] });
  return files.filter((f) => f.uid === 0 && f.gid === NOBODY).map((f) => f.path);
}

export const setuidLab: LabDefinition = {
  id: 'setuid',
  title: 'Setuid binaries and no-new-privileges',
  topic: 'least privilege',
  summary:
    'Audit an image for setuid programs, use one to become root as nobody, and see which docker run flag really stops it: --cap-drop SETUID or no-new-privileges.',
  minutes: 12,
  learned: [
    'A setuid-root program in an image turns any user into root: audit images with find -perm -4000.',
    '--security-opt no-new-privileges stops setuid from raising privileges; dropping SETUID alone does not stop a setuid binary.',
  ],
  lesson: 'setuid.md',
  containers: [
    { name: 'plain', title: 'plain (--user nobody)', hostname: 'plain', ...common },
    {
      name: 'capdrop',
      title: 'capdrop (--cap-drop SETUID,SETGID)',
      hostname: 'capdrop',
      capDrop: ['SETUID', 'SETGID'],
      ...common,
    },
    {
      name: 'nnp',
      title: 'nnp (no-new-privileges)',
      hostname: 'nnp',
      securityOpt: ['no-new-privileges'],
      ...common,
    },
  ],
  setup: async (ctx) => {
    for (const container of ['plain', 'capdrop', 'nnp'])
      await runWithPlantedValue(ctx, container, helperPath(ctx.sessionToken), PLANT_HELPER);
  },
  exercises: [
    {
      id: 'audit',
      title: 'Audit the image',
      goal: 'Find the setuid-root program in this image that Debian did not install, and give its full path.',
      answer: { label: 'Path of the odd setuid program', placeholder: '/usr/bin/...' },
      hints: [
        "A setuid program has the s bit where the owner's x would be (-rwsr-xr-x). The seed's audit lists every one: find / -perm -4000 -exec ls -l {} \\; 2>/dev/null",
        'That one comes with Debian: `dpkg -S` names its package (on merged /usr, ask for /bin/su rather than /usr/bin/su). Look for one in an unusual place.',
        'Run: find / -xdev -perm -4000 -type f 2>/dev/null | grep -v ^/usr/bin/',
      ],
      check: async (ctx, answer) => {
        const path = helperPath(ctx.sessionToken);
        const plain = ctx.container('plain');
        const helper = await plain.stat(path);
        if (!setuidRoot(helper) || helper?.mode !== 0o4755) {
          return {
            passed: false,
            reason: 'The planted helper is gone or no longer setuid root; restart the lab.',
            hint: 0,
          };
        }
        const submitted = (answer ?? '').trim();
        if (submitted === path || submitted === path.slice(HELPER_DIR.length + 1)) {
          return {
            passed: true,
            reason: `Right: ${path} is setuid root (mode 4755, owner 0, read with the host's lstat) and belongs to no Debian package. Every setuid-root file runs with euid 0 for whoever starts it.`,
          };
        }
        if (/^\/[^\0]{0,4095}$/.test(submitted) && setuidRoot(await plain.stat(submitted))) {
          return {
            passed: false,
            reason: `${submitted} is setuid root, but it comes with Debian; something else in this image does not.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: 'No setuid-root file in this container has that path.',
          hint: 0,
        };
      },
      solution: [
        {
          terminal: 'plain',
          input: "find / -xdev -perm -4000 -type f 2>/dev/null | grep -v '^/usr/bin/'",
          capture: /^(\/opt\/\S+)\s*$/m,
        },
      ],
      // A real setuid-root program, just not the odd one.
      cheat: [
        {
          terminal: 'plain',
          input: "find / -xdev -perm -4000 -type f 2>/dev/null | grep '/su$'",
          capture: /^(\/usr\/bin\/su)\s*$/m,
        },
      ],
    },
    {
      id: 'escalate',
      title: 'Write as root while being nobody',
      goal: 'As nobody, use the helper to write a file into /root (only root may write there), in the plain container and in the one started with --cap-drop SETUID --cap-drop SETGID.',
      hints: [
        'The helper is a copy of `tee`: it writes its input to the files you name. Which user does it write as?',
        'Try it in the capdrop container too. The seed says dropping SETUID and SETGID stops setuid programs; does it?',
        'In both terminals: echo pwned | /opt/acme/bin/logtee-* /root/proof',
      ],
      check: async (ctx) => {
        const wrote: string[] = [];
        for (const name of ['plain', 'capdrop']) {
          const evidence = ctx.container(name);
          const info = await evidence.inspect();
          if (info.Config.User !== 'nobody') {
            return {
              passed: false,
              reason: `The ${name} container does not run as nobody.`,
              hint: 0,
            };
          }
          if (name === 'capdrop') {
            const dropped = (info.HostConfig.CapDrop ?? []) as string[];
            if (!dropped.includes('SETUID') || !dropped.includes('SETGID')) {
              return {
                passed: false,
                reason: 'The capdrop container kept SETUID/SETGID.',
                hint: 1,
              };
            }
          }
          const files = await rootFilesByNobody(evidence);
          if (files[0] !== undefined) wrote.push(`${name}: ${files[0]}`);
        }
        if (wrote.length === 2) {
          return {
            passed: true,
            reason: `In both containers /root now holds a file owned by uid 0 with group nogroup (${wrote.join('; ')}): written by a process with euid 0 and egid ${NOBODY}, the signature of a setuid-root program run by nobody. Dropping SETUID and SETGID did not stop it.`,
          };
        }
        if (wrote.length === 0) {
          return {
            passed: false,
            reason: 'No file in /root of the plain container is owned by root with group nogroup.',
            hint: 0,
          };
        }
        return {
          passed: false,
          reason: wrote[0]?.startsWith('plain')
            ? 'Done in plain; the capdrop container has no such file in /root yet.'
            : 'Done in capdrop; the plain container has no such file in /root yet.',
          hint: 1,
        };
      },
      // Writing as nobody: refused in /root, or owned by nobody elsewhere.
      cheat: [
        { terminal: 'plain', input: 'echo pwned > /root/proof; echo pwned > /tmp/proof' },
        { terminal: 'capdrop', input: 'echo pwned | tee /root/proof /tmp/proof' },
      ],
      solution: [
        { terminal: 'plain', input: 'echo pwned | /opt/acme/bin/logtee-* /root/proof' },
        { terminal: 'capdrop', input: 'echo pwned | /opt/acme/bin/logtee-* /root/proof' },
      ],
    },
    {
      id: 'no-new-privileges',
      title: 'Let the host look at the helper',
      goal: "Keep the helper running in the plain and the nnp containers, so the host can read each one's effective user.",
      hints: [
        'The host reads /proc/<pid>/status of processes that are still alive. The helper exits as soon as its input ends; give it an input that does not end yet.',
        'Run the helper itself (not a copy: a copy is not setuid) in both the plain and the nnp terminal, in the background.',
        'In both terminals: sleep 600 | /opt/acme/bin/logtee-* /dev/null &',
      ],
      check: async (ctx) => {
        const path = helperPath(ctx.sessionToken);
        const nnp = ctx.container('nnp');
        const info = await nnp.inspect();
        if (!((info.HostConfig.SecurityOpt ?? []) as string[]).includes('no-new-privileges')) {
          return { passed: false, reason: 'The nnp container lacks no-new-privileges.', hint: 0 };
        }
        const inPlain = helperProcesses(await ctx.container('plain').processes(), path);
        const inNnp = helperProcesses(await nnp.processes(), path);
        const rootInPlain = inPlain.find((p) => effectiveUid(p.status) === 0);
        const nobodyInNnp = inNnp.find(
          (p) => effectiveUid(p.status) === NOBODY && p.status.NoNewPrivs === '1',
        );
        if (rootInPlain === undefined && nobodyInNnp === undefined) {
          return {
            passed: false,
            reason: `The host sees no running ${path} in either container.`,
            hint: inPlain.length + inNnp.length === 0 ? 0 : 1,
          };
        }
        if (rootInPlain === undefined) {
          return {
            passed: false,
            reason: `The host sees the helper in nnp, but not running in the plain container.`,
            hint: 1,
          };
        }
        if (nobodyInNnp === undefined) {
          return {
            passed: false,
            reason: `The host sees the helper in plain, but not running in the nnp container.`,
            hint: 1,
          };
        }
        return {
          passed: true,
          reason: `From the host: in plain, PID ${rootInPlain.pid} has Uid "${uidLine(rootInPlain)}" (real 65534, effective 0) and CapEff ${rootInPlain.status.CapEff}; in nnp, PID ${nobodyInNnp.pid} has Uid "${uidLine(nobodyInNnp)}" and NoNewPrivs 1: execve ignored the setuid bit.`,
        };
      },
      // A copy of the helper is owned by nobody and not setuid; a plain sleep is not the helper.
      cheat: [
        {
          terminal: 'nnp',
          input: 'cp /opt/acme/bin/logtee-* /tmp/ && (sleep 600 | /tmp/logtee-* /dev/null &)',
        },
        { terminal: 'plain', input: 'sleep 600 &' },
      ],
      solution: [
        { terminal: 'plain', input: 'sleep 600 | /opt/acme/bin/logtee-* /dev/null &' },
        { terminal: 'nnp', input: 'sleep 600 | /opt/acme/bin/logtee-* /dev/null &' },
      ],
    },
  ],
};
