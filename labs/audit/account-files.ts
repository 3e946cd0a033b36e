// The audit lab's last check: the back door is shut only when the account is gone from both
// files that make it (a name and uid in /etc/passwd, a password hash in /etc/shadow), no other
// uid-0 account is left, and nobody else was removed with it (an empty /etc/passwd has no back
// door either). Every file is read on the host, through the containers' roots.
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';

/** Account names of /etc/passwd or /etc/shadow text (the first field of each line). */
export function accountNames(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split(':')[0] ?? '')
    .filter((name) => name !== '');
}

/** Accounts of /etc/passwd text whose uid is 0, root included. */
export function uidZeroAccounts(passwd: string): string[] {
  return passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 7 && fields[2]?.trim() === '0')
    .map((fields) => fields[0] ?? '');
}

export async function judgeRemoval(ctx: CheckContext, account: string): Promise<CheckOutcome> {
  const drifted = ctx.container('drifted');
  const baseline = ctx.container('golden');
  // The golden container is the baseline only while it is the image's: a learner is root in
  // it too, and an emptied baseline would excuse an emptied /etc/passwd.
  const goldenChanged = (await baseline.changes()).some((c) => c.path.startsWith('/etc/passwd'));
  if (goldenChanged) {
    return {
      passed: false,
      reason: t(
        "golden's /etc/passwd changed since the image (docker diff says so), so it no longer shows what the image holds. Reset the lab to get an untouched one.",
        'golden 的 /etc/passwd 自镜像以来发生了变化（docker diff 如是说），所以它已不能反映镜像中的内容。重置实验以得到一个未经改动的容器。',
      ),
      hint: 1,
    };
  }
  const [passwd = '', shadow = '', golden = ''] = await Promise.all([
    drifted.readFile('/etc/passwd'),
    drifted.readFile('/etc/shadow'),
    baseline.readFile('/etc/passwd'),
  ]);
  const names = new Set(accountNames(passwd));
  const missing = accountNames(golden).filter((name) => !names.has(name));
  if (missing.length > 0) {
    return {
      passed: false,
      reason: t(
        `Removed too much: the image's own account(s) ${missing.join(', ')} are gone from /etc/passwd as well.`,
        `删多了：镜像自带的账户 ${missing.join(', ')} 也从 /etc/passwd 中消失了。`,
      ),
      hint: 1,
    };
  }
  const extraRoots = uidZeroAccounts(passwd).filter((name) => name !== 'root');
  if (extraRoots.length > 0 || names.has(account)) {
    return {
      passed: false,
      reason: t(
        `/etc/passwd still holds ${extraRoots[0] ?? account}.`,
        `/etc/passwd 中仍然有 ${extraRoots[0] ?? account}。`,
      ),
      hint: 0,
    };
  }
  if (accountNames(shadow).includes(account)) {
    return {
      passed: false,
      reason: t(
        `${account} is gone from /etc/passwd, but its password hash is still in /etc/shadow: add the passwd line back and the account works again, password and all.`,
        `${account} 已从 /etc/passwd 中消失，但它的密码哈希仍在 /etc/shadow 中：只要把 passwd 中的那一行加回去，这个账户就又能用了，连密码都不用改。`,
      ),
      hint: 1,
    };
  }
  return {
    passed: true,
    reason: t(
      `Done: ${account} is in neither /etc/passwd nor /etc/shadow, root is the only uid 0, and every account of the golden image is still there (all read on the host). The container is still drifted, though: docker diff lists what changed, and the replaced program is still in place. The real fix is the seeds' golden image: throw this container away and start a fresh one.`,
      `完成：${account} 既不在 /etc/passwd 中，也不在 /etc/shadow 中，root 是唯一的 uid 0，黄金镜像中的每个账户都还在（全部在宿主机上读取）。不过，这个容器仍然处于漂移状态：docker diff 列出了发生的变化，被替换的程序也还在原处。真正的修复是参考资料所说的黄金镜像：扔掉这个容器，重新启动一个新的。`,
    ),
  };
}
