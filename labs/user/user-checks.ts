// The user lab's two longer checks, both read on the host: the planted tenant's uid through the
// remapped container's uid_map (the host's /proc), and who owns a file in the drop box (the
// session directory on the host). Neither runs a program in a container.
import { t } from '../shared/localized.ts';
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import { TENANT, hostUidOf, hostUidOfRoot, realUid, tenantUid, uidMap } from './user-evidence.ts';

/**
 * The drop box is read-only in the plain container: there, root is the host's root and could
 * create a file and chown it to any uid, so only the remapped root can leave a file in it.
 */
export const DROP_READ_ONLY = { source: 'shared/drop', target: '/shared/drop', readOnly: true };

/** "Who is it, really?": the tenant's host uid, which the remapping engine made of its own. */
export async function judgeTenant(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const box = ctx.container('remapped');
  const map = await uidMap(box);
  const base = hostUidOfRoot(map);
  if (base === undefined || base === 0) {
    return {
      passed: false,
      reason: t(
        'The remapped container is not remapped: is the user-namespace engine configured?',
        'remapped 容器没有被重映射：用户命名空间引擎配置好了吗？',
      ),
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
      reason: t(
        `The ${TENANT} process is gone from the remapped container (was it killed?). Restart the lab to get it back.`,
        `${TENANT} 进程已从 remapped 容器中消失（它被杀掉了吗？）。重新启动实验即可让它回来。`,
      ),
      hint: 0,
    };
  }
  const submitted = /^\d{1,10}$/.test(answer ?? '') ? Number(answer) : undefined;
  if (submitted === expected) {
    return {
      passed: true,
      reason: t(
        `Right: ${TENANT} is uid ${inside} inside and uid ${expected} on the host (host PID ${tenant.pid}; uid_map "${map.trim().replace(/\s+/g, ' ')}"). The kernel checks every file access it makes against ${expected}; root in the same container is ${base}, not 0.`,
        `正确：${TENANT} 在容器内是 uid ${inside}，在宿主机上是 uid ${expected}（宿主机 PID ${tenant.pid}；uid_map“${map.trim().replace(/\s+/g, ' ')}”）。内核用 ${expected} 来检查它的每一次文件访问；同一个容器里的 root 是 ${base}，而不是 0。`,
      ),
    };
  }
  if (submitted === inside)
    return {
      passed: false,
      reason: t(
        `That is the tenant's uid inside the namespace.`,
        `这是 tenant 在命名空间内部的 uid。`,
      ),
      hint: 1,
    };
  return {
    passed: false,
    reason: t(
      `That is not the host uid ${TENANT} runs as.`,
      `这不是 ${TENANT} 运行时在宿主机上的 uid。`,
    ),
    hint: 0,
  };
}

/** "Files remember the real owner": a file in the drop box owned by the remapped root's host uid. */
export async function judgeDrop(ctx: CheckContext): Promise<CheckOutcome> {
  const base = hostUidOfRoot(await uidMap(ctx.container('remapped')));
  const plainMounts = (await ctx.container('plain').inspect()).Mounts;
  const plainDrop = plainMounts.find((m) => m.Destination === DROP_READ_ONLY.target);
  if (base === undefined || base === 0 || plainDrop === undefined || plainDrop.RW) {
    return {
      passed: false,
      reason: t(
        'This session is not set up as the lab expects (the remapped container must be remapped, and the drop box read-only in plain); restart the lab.',
        '这个会话的设置与实验的预期不符（remapped 容器必须经过重映射，且投递箱在 plain 中必须是只读的）；请重新启动实验。',
      ),
      hint: 0,
    };
  }
  const files = await ctx.sessionFiles.list('shared/drop');
  const mine = files.find((f) => f.uid === base);
  if (mine !== undefined) {
    return {
      passed: true,
      reason: t(
        `On the host, "${mine.name}" is owned by uid ${base}, not 0: the remapped root is an ordinary user out here, and a file it leaves behind says so.`,
        `在宿主机上，“${mine.name}”属于 uid ${base}，而不是 0：重映射后的 root 在外面只是一个普通用户，它留下的文件就说明了这一点。`,
      ),
    };
  }
  return files.length === 0
    ? {
        passed: false,
        reason: t(
          '/shared/drop is still empty on the host.',
          '在宿主机上，/shared/drop 仍然是空的。',
        ),
        hint: 0,
      }
    : {
        passed: false,
        reason: t(
          `No file there is owned by the remapped root's host uid; what is there belongs to other users.`,
          `那里没有属于重映射后 root 的宿主机 uid 的文件；现有的文件属于其他用户。`,
        ),
        hint: 1,
      };
}
