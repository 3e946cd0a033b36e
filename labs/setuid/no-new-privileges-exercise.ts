// The setuid lab's last exercise: the host reads the running helper's credentials, effective
// uid 0 in plain and nobody under no-new-privileges.
import type { Exercise } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { NOBODY, effectiveUid, helperPath, helperProcesses, uidLine } from './setuid-helper.ts';

export const noNewPrivilegesExercise: Exercise = {
  id: 'no-new-privileges',
  title: t('Let the host look at the helper', '让宿主机看看助手程序'),
  goal: t(
    "Keep the helper running in the plain and the nnp containers, so the host can read each one's effective user.",
    '让助手程序在 plain 和 nnp 容器中保持运行，以便宿主机读取每一个的有效用户。',
  ),
  hints: [
    t(
      'The host reads /proc/<pid>/status of processes that are still alive. The helper exits as soon as its input ends; give it an input that does not end yet.',
      '宿主机读取的是仍然存活的进程的 /proc/<pid>/status。助手程序的输入一结束它就退出；给它一个暂时不会结束的输入。',
    ),
    t(
      'Run the helper itself (not a copy: a copy is not setuid) in both the plain and the nnp terminal, in the background.',
      '在 plain 和 nnp 两个终端中，都在后台运行助手程序本身（不是副本：副本不是 setuid 的）。',
    ),
    t(
      'In both terminals: sleep 600 | /opt/acme/bin/logtee-* /dev/null &',
      '在两个终端中：sleep 600 | /opt/acme/bin/logtee-* /dev/null &',
    ),
  ],
  check: async (ctx) => {
    const path = helperPath(ctx.sessionToken);
    const nnp = ctx.container('nnp');
    const info = await nnp.inspect();
    if (!((info.HostConfig.SecurityOpt ?? []) as string[]).includes('no-new-privileges')) {
      return {
        passed: false,
        reason: t('The nnp container lacks no-new-privileges.', 'nnp 容器缺少 no-new-privileges。'),
        hint: 0,
      };
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
        reason: t(
          `The host sees no running ${path} in either container.`,
          `宿主机在两个容器中都没有看到正在运行的 ${path}。`,
        ),
        hint: inPlain.length + inNnp.length === 0 ? 0 : 1,
      };
    }
    // One seen, the other not: the same sentence names which is which.
    if (rootInPlain === undefined || nobodyInNnp === undefined) {
      const [seen, missing] = rootInPlain === undefined ? ['nnp', 'plain'] : ['plain', 'nnp'];
      return {
        passed: false,
        reason: t(
          `The host sees the helper in ${seen}, but not running in the ${missing} container.`,
          `宿主机在 ${seen} 中看到了助手程序，但在 ${missing} 容器中没有看到它在运行。`,
        ),
        hint: 1,
      };
    }
    return {
      passed: true,
      reason: t(
        `From the host: in plain, PID ${rootInPlain.pid} has Uid "${uidLine(rootInPlain)}" (real 65534, effective 0) and CapEff ${rootInPlain.status.CapEff}; in nnp, PID ${nobodyInNnp.pid} has Uid "${uidLine(nobodyInNnp)}" and NoNewPrivs 1: execve ignored the setuid bit.`,
        `从宿主机看：在 plain 中，PID ${rootInPlain.pid} 的 Uid 是 "${uidLine(rootInPlain)}"（真实 uid 65534，有效 uid 0），CapEff 是 ${rootInPlain.status.CapEff}；在 nnp 中，PID ${nobodyInNnp.pid} 的 Uid 是 "${uidLine(nobodyInNnp)}"，NoNewPrivs 为 1：execve 忽略了 setuid 位。`,
      ),
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
};
