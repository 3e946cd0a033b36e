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

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

const FIND_UID_ZERO = `awk -F: '$3 == 0 && $1 != "root" {print $1}' /etc/passwd`;
const VERIFY_PACKAGES = "dpkg --verify 2>/dev/null | grep -v '^missing'";
const REMOVE_BACKDOOR = String.raw`sed -i '/^svc-[0-9a-f]\{6\}:/d' /etc/passwd /etc/shadow`;

async function judgeAccount(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const said = (answer ?? '').trim();
  const account = backdoorAccount(ctx.sessionToken);
  if (said === account) {
    return {
      passed: true,
      reason: `Right: ${account} has uid 0 in /etc/passwd, which the server read through the container's root from the host. Any account with uid 0 is root, whatever it is called; an intruder adds one so that root's own password changing does not lock them out.`,
    };
  }
  if (said === 'root')
    return { passed: false, reason: 'root is meant to be uid 0. Look for another.', hint: 1 };
  const passwd = (await ctx.container('drifted').readFile('/etc/passwd')) ?? '';
  const line = passwd.split('\n').find((l) => l.split(':')[0] === said && said !== '');
  if (line !== undefined)
    return { passed: false, reason: `${said} has uid ${line.split(':')[2]}, not 0.`, hint: 0 };
  return { passed: false, reason: 'There is no such account in /etc/passwd.', hint: 0 };
}

async function judgeProgram(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const said = (answer ?? '').trim().replace(/\/+$/, '');
  const program = replacedProgram(ctx.sessionToken);
  const changes = await ctx.container('drifted').changes();
  const changed = changes.find((c) => c.path === said);
  if (said === program && changed !== undefined) {
    return {
      passed: true,
      reason: `Right: ${program} no longer matches the checksum its package shipped, and the engine agrees: docker diff, read on the host, lists it as ${changed.kind} since the image, beside ${changes.length - 1} other path(s). A tampered program that still does its job is what a user never notices and an audit does.`,
    };
  }
  if (said === '/etc/bash.bashrc') {
    return {
      passed: false,
      reason:
        '/etc/bash.bashrc is a configuration file (the c in dpkg --verify), edited when the lab image was built: it is in the image, and docker diff does not list it. Look for a program.',
      hint: 1,
    };
  }
  if (changed !== undefined) {
    return {
      passed: false,
      reason: `${said} did change since the image (docker diff lists it), but it is not the packaged program that was replaced.`,
      hint: 1,
    };
  }
  return {
    passed: false,
    reason: 'docker diff, read on the host, does not list that path as changed since the image.',
    hint: 0,
  };
}

export const auditLab: LabDefinition = {
  id: 'audit',
  title: 'Audit a drifted container',
  topic: 'audit',
  summary:
    'Someone was in this container before you: find the account and the program they left, the way an auditor would, then remove the backdoor. The host (docker diff) knows what changed since the image.',
  minutes: 12,
  learned: [
    'Any account with uid 0 is root, whatever /etc/passwd calls it; an account lives in /etc/passwd and /etc/shadow.',
    'dpkg --verify compares installed files with the checksums their packages shipped: a program that still works can still be replaced.',
    "docker diff, read on the host, lists every path a container changed since its image; root inside the container cannot hide from it, while an audit from inside trusts the container's own tools.",
    'A drifted container is not made trustworthy by cleaning it: replace it with a fresh one from the golden image, and run with --read-only so drift has nowhere to go.',
  ],
  lesson: 'audit.md',
  containers: [
    { name: 'drifted', title: 'drifted (tampered with)', hostname: 'web-01', ...common },
    { name: 'golden', title: 'golden (the same image, untouched)', hostname: 'web-02', ...common },
  ],
  setup: async (ctx) => {
    await runWithPlantedValue(ctx, 'drifted', driftValue(ctx.sessionToken), TAMPER);
  },
  exercises: [
    {
      id: 'backdoor-account',
      title: 'A second root',
      goal: 'Name the account in the drifted container that is root under another name.',
      answer: { label: 'Account name', placeholder: 'name' },
      hints: [
        'The kernel knows users by number, not name: uid 0 is root whatever /etc/passwd calls it. The third field of each line is the uid.',
        'That is root itself. Is any other line of /etc/passwd uid 0?',
        `In the drifted terminal: ${FIND_UID_ZERO}`,
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
    {
      id: 'replaced-program',
      title: 'A program that is not what its package shipped',
      goal: 'Give the full path of the packaged program in the drifted container that was replaced after the image was built.',
      answer: { label: 'Path of the replaced program', placeholder: '/usr/bin/...' },
      hints: [
        'Debian keeps a checksum of every file it installs (/var/lib/dpkg/info/*.md5sums). `dpkg --verify` compares them with the files on disk; a 5 in the third column means the content changed.',
        'A file the image changed on purpose (a configuration file, marked c) is not drift. Look for a program.',
        `In the drifted terminal: ${VERIFY_PACKAGES}`,
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
      title: 'Close the back door',
      goal: 'Remove the second root account from the drifted container completely, and no other account.',
      hints: [
        'An account lives in two files: /etc/passwd (name, uid, shell) and /etc/shadow (its password hash).',
        'Is it gone from both files? And is every account the golden container has still in /etc/passwd?',
        `In the drifted terminal, with the account's name from exercise 1: ${REMOVE_BACKDOOR}`,
      ],
      check: (ctx) => judgeRemoval(ctx, backdoorAccount(ctx.sessionToken)),
      solution: [{ terminal: 'drifted', input: REMOVE_BACKDOOR }],
      // The classic half-fix: out of /etc/passwd, its password hash left in /etc/shadow.
      cheat: [{ terminal: 'drifted', input: String.raw`sed -i '/^svc-/d' /etc/passwd` }],
    },
  ],
};
