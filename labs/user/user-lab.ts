// User namespace lab: root in a container on a remapping engine is an unprivileged user on
// the host (uid_map "0 100000 65536"): its files are owned by 100000 and a host root-only
// file is closed to it. The same bind mount in a container without remapping is open to
// its root, because that root is the host's root. Every check reads the host's /proc and the
// session directory on the host; none runs a program in a container.
import { FLAG_LINE } from '../shared/flag-check.ts';
import { daemonProgram, runWithPlantedValue } from '../shared/planted-value.ts';
import type { CheckContext, CheckOutcome, LabDefinition } from '../../server/lab-kit.ts';
import { TENANT, hostUidOf, hostUidOfRoot, realUid, tenantUid, uidMap } from './user-evidence.ts';

const BECOME_TENANT = `os.setgroups([])
os.setgid(int(planted))
os.setuid(int(planted))
`;

export { hostUidOfRoot } from './user-evidence.ts';

const SHARED = { source: 'shared', target: '/shared' };
/**
 * The drop box is read-only in the plain container: there, root is the host's root and could
 * create a file and chown it to any uid, so only the remapped root can leave a file in it.
 */
const DROP_READ_ONLY = { source: 'shared/drop', target: '/shared/drop', readOnly: true };

/**
 * The tenant's host uid, from the remapped container: its own uid (chosen for this session)
 * through the uid_map. ps pads the uid to its column, so it is trimmed and quoted: a short
 * uid would otherwise split into two words for awk.
 */
export const FIND_TENANT_HOST_UID = `u=$(ps -o uid= -p $(pgrep -f '^${TENANT}') | tr -d ' '); awk -v u="$u" '$1 <= u && u < $1 + $3 { print $2 + u - $1 }' /proc/self/uid_map`;

/** "Who is it, really?": the tenant's host uid, which the remapping engine made of its own. */
async function judgeTenant(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const box = ctx.container('remapped');
  const map = await uidMap(box);
  const base = hostUidOfRoot(map);
  if (base === undefined || base === 0) {
    return {
      passed: false,
      reason: 'The remapped container is not remapped: is the user-namespace engine configured?',
      hint: 0,
    };
  }
  const inside = tenantUid(ctx.sessionToken);
  const expected = hostUidOf(map, inside);
  const tenant = (await box.processes()).find(
    (p) => p.cmdline.startsWith(TENANT) && realUid(p.status) === expected,
  );
  if (expected === undefined || tenant === undefined) {
    return {
      passed: false,
      reason: `The ${TENANT} process is gone from the remapped container (was it killed?). Restart the lab to get it back.`,
      hint: 0,
    };
  }
  const submitted = /^\d{1,10}$/.test(answer ?? '') ? Number(answer) : undefined;
  if (submitted === expected) {
    return {
      passed: true,
      reason: `Right: ${TENANT} is uid ${inside} inside and uid ${expected} on the host (host PID ${tenant.pid}; uid_map "${map.trim().replace(/\s+/g, ' ')}"). The kernel checks every file access it makes against ${expected}; root in the same container is ${base}, not 0.`,
    };
  }
  if (submitted === inside)
    return { passed: false, reason: `That is the tenant's uid inside the namespace.`, hint: 1 };
  return { passed: false, reason: `That is not the host uid ${TENANT} runs as.`, hint: 0 };
}

/** "Files remember the real owner": a file in the drop box owned by the remapped root's host uid. */
async function judgeDrop(ctx: CheckContext): Promise<CheckOutcome> {
  const base = hostUidOfRoot(await uidMap(ctx.container('remapped')));
  const plainMounts = (await ctx.container('plain').inspect()).Mounts;
  const plainDrop = plainMounts.find((m) => m.Destination === DROP_READ_ONLY.target);
  if (base === undefined || base === 0 || plainDrop === undefined || plainDrop.RW) {
    return {
      passed: false,
      reason:
        'This session is not set up as the lab expects (the remapped container must be remapped, and the drop box read-only in plain); restart the lab.',
      hint: 0,
    };
  }
  const files = await ctx.sessionFiles.list('shared/drop');
  const mine = files.find((f) => f.uid === base);
  if (mine !== undefined) {
    return {
      passed: true,
      reason: `On the host, "${mine.name}" is owned by uid ${base}, not 0: the remapped root is an ordinary user out here, and a file it leaves behind says so.`,
    };
  }
  return files.length === 0
    ? { passed: false, reason: '/shared/drop is still empty on the host.', hint: 0 }
    : {
        passed: false,
        reason: `No file there is owned by the remapped root's host uid; what is there belongs to other users.`,
        hint: 1,
      };
}

export const userLab: LabDefinition = {
  id: 'user',
  title: 'User namespace: whose root is it?',
  topic: 'namespaces',
  summary:
    'Compare root in a container on a user-namespace-remapping engine with root in an ordinary container: who they are on the host, who owns their files, and which one can read a host root-only file.',
  minutes: 12,
  learned: [
    'With user-namespace remapping, root in a container is an unprivileged user id on the host.',
    'Files a remapped root creates belong to that high uid on the host, and host root-only files stay closed to it.',
  ],
  lesson: 'user.md',
  hostFiles: [
    { path: 'shared', mode: 0o755 },
    { path: 'shared/drop', mode: 0o1777 },
    { path: 'shared/host-secret', content: '{{token}}\n', mode: 0o600 },
  ],
  containers: [
    {
      name: 'remapped',
      title: 'remapped (userns-remap engine)',
      engine: 'userns',
      hostname: 'remapped',
      sessionDirMounts: [SHARED],
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
    {
      name: 'plain',
      title: 'plain (no remapping)',
      hostname: 'plain',
      sessionDirMounts: [SHARED, DROP_READ_ONLY],
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
  ],
  // A tenant with a uid of its own in the remapped container: its host uid is this session's alone.
  setup: async (ctx) => {
    // The tenant's uid is this session's: planted from the host, taken on in-process (what
    // setpriv --reuid --regid --clear-groups does), so it is on no command line.
    await runWithPlantedValue(
      ctx,
      'remapped',
      String(tenantUid(ctx.sessionToken)),
      daemonProgram(BECOME_TENANT, 'sleep', [TENANT, 'infinity']),
    );
  },
  exercises: [
    {
      id: 'host-uid',
      title: 'Who is it, really?',
      goal: `A process named ${TENANT} runs in the remapped container as a user of its own. Report the host user id it really runs as.`,
      answer: { label: `Host uid of ${TENANT}`, placeholder: '12345' },
      hints: [
        `A user namespace maps ids inside to ids outside; the kernel shows the map in /proc/<pid>/uid_map (columns: first id inside, first id outside, how many). First find the uid ${TENANT} has inside: ps -o uid,args.`,
        'Inside the namespace the map has not been applied. Find the line of the uid_map whose range holds that uid, and move it by the same offset: outside + (uid - inside).',
        `In the remapped terminal: ${FIND_TENANT_HOST_UID}`,
      ],
      check: judgeTenant,
      solution: [{ terminal: 'remapped', input: FIND_TENANT_HOST_UID, capture: /^(\d+)$/m }],
      // The tenant's uid as the container sees it, not as the host does.
      cheat: [
        {
          terminal: 'remapped',
          input: `ps -o uid= -p $(pgrep -f '^${TENANT}') | tr -d ' '`,
          capture: /^(\d+)$/m,
        },
      ],
    },
    {
      id: 'leave-a-file',
      title: 'Files remember the real owner',
      goal: 'As root in the remapped container, create a file in /shared/drop, a directory both containers see from the host.',
      hints: [
        'Make any file in /shared/drop from the remapped terminal, then look at its owner from both containers with `ls -ln`.',
        'The file must come from the remapped root: the plain container sees /shared/drop read-only, and a file given some other owner does not count.',
        'In the remapped terminal: touch /shared/drop/hello; ls -ln /shared/drop',
      ],
      check: judgeDrop,
      // Plain root is host root: it could make a file and chown it to the remapped root's uid,
      // or become that uid. The drop box is read-only there, so neither gets a file in.
      cheat: [
        { terminal: 'plain', input: 'touch /shared/drop/made-by-plain-root' },
        {
          terminal: 'plain',
          input:
            'touch /shared/drop/f && chown 100000:100000 /shared/drop/f; setpriv --reuid=100000 --regid=100000 --clear-groups touch /shared/drop/g',
        },
        {
          terminal: 'plain',
          input: 'touch /shared/f && chown 100000:100000 /shared/f && mv /shared/f /shared/drop/',
        },
      ],
      solution: [
        { terminal: 'remapped', input: 'touch /shared/drop/hello' },
        { terminal: 'remapped', input: 'ls -ln /shared/drop' },
      ],
    },
    {
      id: 'host-secret',
      title: 'A host root-only file',
      goal: "Read /shared/host-secret, a file only the host's root may read (mode 0600), and submit what it says.",
      answer: { label: 'The secret', placeholder: "the file's contents" },
      hints: [
        "Try it in both terminals. Which root is the host's root?",
        'The remapped root is an ordinary uid on the host (its uid_map says which), so the kernel refuses it. The plain container has no user namespace.',
        'In the plain terminal: cat /shared/host-secret',
      ],
      check: async (ctx, answer) => {
        // The lesson's contrast only holds if the plain container really is not remapped.
        if (hostUidOfRoot(await uidMap(ctx.container('plain'))) !== 0) {
          return {
            passed: false,
            reason:
              'The plain container is remapped too; this host is not set up as the lab expects.',
            hint: 0,
          };
        }
        if (answer === ctx.sessionToken) {
          return {
            passed: true,
            reason:
              'Right. Root in the plain container is the host\'s root (uid_map "0 0 4294967295"), so the host\'s 0600 root file is open to it; the remapped root got "Permission denied". That is what user-namespace remapping buys when a container escapes.',
          };
        }
        return { passed: false, reason: 'That is not what the file says.', hint: 0 };
      },
      cheat: [{ terminal: 'remapped', input: 'cat /shared/host-secret', capture: FLAG_LINE }],
      solution: [{ terminal: 'plain', input: 'cat /shared/host-secret', capture: FLAG_LINE }],
    },
  ],
};
