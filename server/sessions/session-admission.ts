// Who may start another session: the server's and the learner's caps, and in a workshop one
// seat lab at a time. Sessions still being provisioned count already, so a burst of clicks
// cannot pass the caps together.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';

const SEAT_BUSY = message(
  'seat_busy',
  'You already have an escape lab open on your seat. End it before starting another.',
  '你的席位上已经开着一个逃逸实验。先结束它，再开始另一个。',
);
const SERVER_FULL = message(
  'server_full',
  'This server already runs {{max}} sessions; try again later.',
  '这台服务器已经在运行 {{max}} 个会话，请稍后再试。',
);
const LEARNER_FULL = message(
  'learner_full',
  'You already have {{open}} labs open, the most one learner may have at once. End one ("End session") and start again.',
  '你已经开着 {{open}} 个实验，这是一个学员同时能开的上限。结束一个（“结束会话”）后再开始。',
);

export interface AdmissionLimits {
  /** Sessions on this server in all. */
  maxSessions: number;
  /** Live sessions one learner may hold at once. */
  maxSessionsPerLearner: number;
}

export interface Holding {
  learner: string;
  lab: LabDefinition;
}

export class SessionAdmission {
  /** Sessions being provisioned, by reservation: they count against the caps already. */
  private readonly pending = new Map<symbol, Holding>();

  constructor(private readonly limits: AdmissionLimits) {}

  /**
   * Reserves a slot for `wanted` among the `live` sessions, or says in words why not. The
   * caller releases the reservation once the session is live or has failed. `others` are
   * sessions held for nobody yet (the warm pool): they take server slots too, unless this
   * start takes one of them (`fromPool`), which turns a held slot into a live one.
   */
  reserve(
    wanted: Holding,
    live: readonly Holding[],
    start: { onSeat: boolean; fromPool: boolean; others: number },
  ): () => void {
    const all = [...live, ...this.pending.values()];
    const mine = all.filter((h) => h.learner === wanted.learner);
    if (start.onSeat && mine.some((h) => h.lab.workshop === 'seat-engine'))
      throw new AppError('conflict', SEAT_BUSY());
    if (!start.fromPool && all.length + start.others >= this.limits.maxSessions)
      throw new AppError('conflict', SERVER_FULL({ max: this.limits.maxSessions }));
    if (mine.length >= this.limits.maxSessionsPerLearner)
      throw new AppError('conflict', LEARNER_FULL({ open: mine.length }));
    const key = Symbol(wanted.learner);
    this.pending.set(key, wanted);
    return () => this.pending.delete(key);
  }

  /** Whether one more fresh session fits under the server's cap. */
  hasRoom(live: number, others: number): boolean {
    return live + this.pending.size + others < this.limits.maxSessions;
  }
}
