// Who may start another session: the server's and the learner's caps, and in a workshop one
// seat lab at a time. Sessions still being provisioned count already, so a burst of clicks
// cannot pass the caps together.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { AppError } from '../errors/app-error.ts';

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
      throw new AppError(
        'conflict',
        'You already have an escape lab open on your seat. End it before starting another.',
      );
    if (!start.fromPool && all.length + start.others >= this.limits.maxSessions)
      throw new AppError(
        'conflict',
        `This server already runs ${this.limits.maxSessions} sessions; try again later.`,
      );
    if (mine.length >= this.limits.maxSessionsPerLearner)
      throw new AppError(
        'conflict',
        `You already have ${mine.length} labs open, the most one learner may have at once. End one ("End session") and start again.`,
      );
    const key = Symbol(wanted.learner);
    this.pending.set(key, wanted);
    return () => this.pending.delete(key);
  }

  /** Whether one more fresh session fits under the server's cap. */
  hasRoom(live: number, others: number): boolean {
    return live + this.pending.size + others < this.limits.maxSessions;
  }
}
