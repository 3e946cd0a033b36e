// Workshop seats: each learner who starts an escape lab that runs "on the seat" gets a seat
// number for the server's lifetime, and with it a rootless Docker engine that runs as that
// seat's own Unix user (server/docker/seat-engine.ts). Whatever an escape through that engine
// reaches, it reaches as that user: its own session's files, not another seat's, not the
// server's state, not the server's Docker socket.
import type Dockerode from 'dockerode';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { log } from '../log.ts';
import { SOCKET_ENGINE } from './engine-spec.ts';
import type { SessionDockerd } from './session-dockerd.ts';
import {
  purgeSeatEngine,
  SEAT_MAX,
  seatLogPath,
  startSeatEngine,
  stopSeatEngine,
} from './seat-engine.ts';

const SEATS_TAKEN = message(
  'seats_taken',
  'All {{max}} workshop seats for escape labs are taken. Ask the instructor.',
  '工作坊里用于逃逸实验的 {{max}} 个席位都已被占用。请询问讲师。',
);

/** A seat's engine as one session sees it: the session's SOCKET_ENGINE, owned by the seat. */
export interface SeatSessionEngine {
  seat: number;
  /** The seat's host user: the owner of the session's files, and "root" in its containers. */
  uid: number;
  gid: number;
  engine: SessionDockerd;
}

export class Seats {
  private readonly byLearner = new Map<string, number>();

  constructor(
    private readonly main: Dockerode,
    private readonly image: string,
    private readonly max = SEAT_MAX,
  ) {}

  /** The learner's seat, assigned on first use: the lowest free number. */
  seatOf(learner: string): number {
    const known = this.byLearner.get(learner);
    if (known !== undefined) return known;
    const taken = new Set(this.byLearner.values());
    for (let seat = 1; seat <= this.max; seat++) {
      if (taken.has(seat)) continue;
      this.byLearner.set(learner, seat);
      log.info('seat assigned', { seat });
      return seat;
    }
    throw new AppError('conflict', SEATS_TAKEN({ max: this.max }));
  }

  /**
   * Starts (or reuses) the learner's seat engine with the lab image, and empties it: the
   * session starts on a clean engine, and ending it removes what the learner made there.
   */
  async engineFor(learner: string): Promise<SeatSessionEngine> {
    const seat = this.seatOf(learner);
    const started = await startSeatEngine(seat, {
      image: { from: this.main, tag: this.image },
    });
    const { docker } = started;
    const clear = async (): Promise<void> => {
      const all = await docker.listContainers({ all: true });
      await Promise.all(all.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    };
    await clear();
    return {
      seat,
      uid: started.uid,
      gid: started.gid,
      engine: {
        name: SOCKET_ENGINE,
        docker,
        socketPath: started.socketPath,
        logPath: seatLogPath(seat),
        stop: clear,
      },
    };
  }

  /** Server stop: every seat's engine stops; users, data and images stay for the next start. */
  async stopAll(): Promise<void> {
    await Promise.all([...new Set(this.byLearner.values())].map((seat) => stopSeatEngine(seat)));
  }

  /** "Reset the host": every seat's engine, data and user go; learners get seats afresh. */
  async purgeAll(): Promise<number> {
    const seats = [...new Set(this.byLearner.values())];
    this.byLearner.clear();
    await Promise.all(seats.map((seat) => purgeSeatEngine(seat)));
    return seats.length;
  }
}
