// The audit lab's logging exercise (recommendation 3): an auditor's finding is worth keeping
// where the intruder cannot edit it. Whatever a container's PID 1 writes to stdout or stderr
// goes to the engine's log driver, which keeps it in a file on the host, outside the
// container's root; `docker logs` reads it back. The check reads that log through the engine's
// API, never a file in the container, and wants the finding alone: a dump of every account
// name would contain it too, without anyone having found it.
import type { CheckContext, CheckOutcome, Exercise } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { accountNames } from './account-files.ts';
import { FIND_UID_ZERO, RECORD_FINDING } from './audit-commands.ts';
import { backdoorAccount } from './drift.ts';

async function judgeRecord(ctx: CheckContext): Promise<CheckOutcome> {
  const account = backdoorAccount(ctx.sessionToken);
  const lines = (await ctx.container('drifted').logs())
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (!lines.includes(account)) {
    return {
      passed: false,
      reason: t(
        `The engine's log of drifted holds ${lines.length} line(s), and none of them is the second root's name on a line of its own. The log keeps only what PID 1 writes to its stdout or stderr: a file you write in the container is not the log.`,
        `引擎为 drifted 保存的日志中有 ${lines.length} 行，没有一行单独写着第二个 root 账户的名字。日志只保存 PID 1 写到其 stdout 或 stderr 的内容：你在容器里写的文件并不是日志。`,
      ),
      hint: lines.length === 0 ? 0 : 1,
    };
  }
  const image = accountNames((await ctx.container('golden').readFile('/etc/passwd')) ?? '');
  const others = [...new Set(lines.filter((line) => image.includes(line)))];
  if (others.length > 0) {
    return {
      passed: false,
      reason: t(
        `The log names other accounts too (${others.join(', ')}): a list of every account is not a finding. Nobody in the container can take a line of it back, you included: "Reset lab" starts a fresh log, where you can record the one you found, alone.`,
        `日志里还写着其他账户（${others.join(', ')}）：列出所有账户不算发现。容器里的任何人都收不回日志中的任何一行，你也一样：点“重置实验”会得到一份全新的日志，在那里只记录你找到的那一个。`,
      ),
      hint: 1,
    };
  }
  return {
    passed: true,
    reason: t(
      `Recorded: the engine's log of drifted, read through its API on the host, says ${account}. The log driver keeps it in a file under the engine's own directory, outside the container's root, so root in the container, the intruder included, cannot take it back.`,
      `已记录：在宿主机上经引擎 API 读取的 drifted 日志写着 ${account}。日志驱动把它保存在引擎自己目录下的一个文件里，位于容器的根目录之外，所以容器里的 root（包括入侵者）无法收回它。`,
    ),
  };
}

export const recordFinding: Exercise = {
  id: 'record-finding',
  title: t('Record it where root cannot erase it', '记在 root 擦不掉的地方'),
  goal: t(
    "Write the second root's name, and nothing else, to the drifted container's log: the record the engine keeps on the host.",
    '把第二个 root 账户的名字（且只写它）写进 drifted 容器的日志：也就是引擎在宿主机上保存的那份记录。',
  ),
  hints: [
    t(
      "The engine logs what a container's PID 1 writes to its stdout and stderr. From any shell in the container, /proc/1/fd/1 is PID 1's stdout.",
      '引擎记录的是容器的 PID 1 写到 stdout 和 stderr 的内容。在容器内任何一个 shell 中，/proc/1/fd/1 就是 PID 1 的 stdout。',
    ),
    t(
      `Send exercise 1's command's output there, not a list of every account: ${FIND_UID_ZERO} > /proc/1/fd/1`,
      `把练习 1 那条命令的输出送到那里，而不是所有账户的列表：${FIND_UID_ZERO} > /proc/1/fd/1`,
    ),
  ],
  check: judgeRecord,
  solution: [{ terminal: 'drifted', input: RECORD_FINDING }],
  // The finding noted in a file called a log, in the container: root there can edit it. (A
  // list of every account written to the real log fails too, but would stay in this session's
  // log for good, so the docker test tries that one, in a session of its own.)
  cheat: [{ terminal: 'drifted', input: `${FIND_UID_ZERO} > /var/log/audit-finding` }],
};
