// Why a session ended, as its learner reads it in the terminal ("The session ended: …") in
// their own language. The English words are also what logs, the progress store and the
// metrics' end kinds (metrics/end-reason.ts) read, so they keep the words those match on.
import { message } from '../errors/server-message.ts';

export const SESSION_ENDED = message(
  'session_ended',
  'The session ended: {{reason}}.',
  '会话已结束：{{reason}}。',
);

export const END_REASONS = {
  serverStopping: message('end_server_stopping', 'the server is stopping', '服务器正在停止'),
  hostReset: message('end_host_reset', 'the learner reset the host', '学员重置了主机'),
  instructorReset: message(
    'end_instructor_reset',
    'the instructor reset the lab',
    '讲师重置了实验',
  ),
  byInstructor: message('end_by_instructor', 'ended by the instructor', '被讲师结束'),
  byLearner: message('end_by_learner', 'ended by the learner', '被学员结束'),
  learnerReset: message('end_learner_reset', 'the learner reset the lab', '学员重置了实验'),
  idle: message(
    'end_idle',
    'nobody typed for a while (idle timeout)',
    '有一段时间没人输入了（空闲超时）',
  ),
  expired: message('end_expired', 'its time was up', '时间到了'),
  grace: message(
    'end_grace',
    'no terminal attached during the grace period',
    '宽限期内没有终端连接',
  ),
  containerRemoved: message(
    'end_container_removed',
    'its container "{{name}}" was removed outside nslab',
    '它的容器 "{{name}}" 在 nslab 之外被删除了',
  ),
  engineLost: message(
    'end_engine_lost',
    'the Docker engine lost its containers',
    'Docker 引擎丢失了它的容器',
  ),
  disposed: message('end_disposed', 'disposed', '已释放'),
} as const;
