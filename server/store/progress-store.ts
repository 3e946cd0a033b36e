// What nslab remembers: learners, their sessions, every check attempt and every reveal, in
// one SQLite file under NSLAB_STATE_DIR. Writes are synchronous and each is its own
// transaction, committed before the HTTP answer leaves, so a kill -9 of the server loses
// nothing a learner was told. WAL keeps readers (the catalogue, the roster) off the writers.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';

export type Verdict = 'passed' | 'failed' | 'revealed';

export interface AttemptRecord {
  sessionId: string;
  learnerId: string;
  labId: string;
  exerciseId: string;
  verdict: Verdict;
  /** The hint shown with a failed check, by index. */
  hintIndex?: number;
  at?: number;
}

/** One learner's record in one lab, summed over all their sessions of it. */
export interface LabRecord {
  labId: string;
  passed: string[];
  /** Exercises shown with "Show me" and never passed by the learner's own work. */
  revealed: string[];
  attempts: number;
  hints: number;
  /** Time spent in the lab's sessions, live ones up to now. */
  msSpent: number;
  lastActiveAt: number;
}

/** One learner's attempts at one exercise, summed (SQLite's column names). */
export interface ExerciseRow {
  lab_id: string;
  exercise_id: string;
  passed: number;
  revealed: number;
  attempts: number;
  hints: number;
  last_at: number;
}

/** A database that cannot be opened, migrated or written: a start-up error, said in words. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** One database per server instance in the state directory, as session directories are. */
export function storeFile(stateDir: string, instance: string): string {
  return path.join(stateDir, `progress-${instance}.db`);
}

export class ProgressStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating) the store in `file` and brings its schema up to date. */
  static open(file: string): ProgressStore {
    let db: Database.Database | undefined;
    try {
      const dir = path.dirname(file);
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      // NORMAL under WAL: a committed write survives the process dying (kill -9); only a
      // power cut can take the last transactions, and a lab VM is not a bank.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 2000');
      migrate(db);
      // Fails now, not at the first pass, when the file is read-only or the disk refuses.
      db.prepare('CREATE TABLE IF NOT EXISTS write_probe (x)').run();
      db.prepare('DROP TABLE write_probe').run();
      return new ProgressStore(db);
    } catch (error) {
      db?.close();
      throw new StoreError(
        `The progress database ${file} cannot be used: ${error instanceof Error ? error.message : String(error)}. ` +
          'Move it aside (nslab starts a new one) or fix its permissions, then start again.',
        { cause: error },
      );
    }
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  ensureLearner(id: string, displayName?: string): void {
    this.db
      .prepare(
        `INSERT INTO learners (id, display_name, created_at) VALUES (?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET display_name = COALESCE(excluded.display_name, display_name)`,
      )
      .run(id, displayName ?? null, Date.now());
  }

  displayName(id: string): string | undefined {
    const row = this.db.prepare('SELECT display_name FROM learners WHERE id = ?').get(id) as
      { display_name: string | null } | undefined;
    return row?.display_name ?? undefined;
  }

  sessionStarted(s: { id: string; learnerId: string; labId: string; fromPool: boolean }): void {
    this.ensureLearner(s.learnerId);
    this.db
      .prepare(
        'INSERT INTO sessions (id, learner_id, lab_id, started_at, from_pool) VALUES (?, ?, ?, ?, ?)',
      )
      .run(s.id, s.learnerId, s.labId, Date.now(), s.fromPool ? 1 : 0);
  }

  sessionEnded(id: string, reason: string): void {
    this.db
      .prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL')
      .run(Date.now(), reason, id);
  }

  /** Sessions a crashed server never ended: closed at start-up, at the time of their last attempt. */
  closeOrphanedSessions(reason: string): number {
    return this.db
      .prepare(
        `UPDATE sessions SET end_reason = ?, ended_at = COALESCE(
           (SELECT MAX(at) FROM attempts WHERE attempts.session_id = sessions.id), started_at)
         WHERE ended_at IS NULL`,
      )
      .run(reason).changes;
  }

  recordAttempt(a: AttemptRecord): void {
    this.db
      .prepare(
        `INSERT INTO attempts (session_id, learner_id, lab_id, exercise_id, verdict, hint_index, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        a.sessionId,
        a.learnerId,
        a.labId,
        a.exerciseId,
        a.verdict,
        a.hintIndex ?? null,
        a.at ?? Date.now(),
      );
  }

  /** A hint given on request (the Hint button); a failed check's hint is on its attempt. */
  recordHint(h: Omit<AttemptRecord, 'verdict' | 'at' | 'hintIndex'> & { hintIndex: number }): void {
    this.db
      .prepare(
        `INSERT INTO hints_given (session_id, learner_id, lab_id, exercise_id, hint_index, at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(h.sessionId, h.learnerId, h.labId, h.exerciseId, h.hintIndex, Date.now());
  }

  /** The hints shown to the learner in one lab, by exercise: with failed checks and on request. */
  hintsShown(learnerId: string, labId: string): Map<string, Set<number>> {
    const rows = this.db
      .prepare(
        `SELECT exercise_id, hint_index FROM attempts
         WHERE learner_id = ? AND lab_id = ? AND hint_index IS NOT NULL
         UNION SELECT exercise_id, hint_index FROM hints_given WHERE learner_id = ? AND lab_id = ?`,
      )
      .all(learnerId, labId, learnerId, labId) as { exercise_id: string; hint_index: number }[];
    const shown = new Map<string, Set<number>>();
    for (const row of rows) {
      const set = shown.get(row.exercise_id) ?? new Set<number>();
      set.add(row.hint_index);
      shown.set(row.exercise_id, set);
    }
    return shown;
  }

  /** Every lab the learner has touched, keyed by lab id. */
  labRecords(learnerId: string): Map<string, LabRecord> {
    const records = new Map<string, LabRecord>();
    const record = (labId: string): LabRecord => {
      let r = records.get(labId);
      if (r === undefined) {
        r = { labId, passed: [], revealed: [], attempts: 0, hints: 0, msSpent: 0, lastActiveAt: 0 };
        records.set(labId, r);
      }
      return r;
    };
    for (const row of this.exerciseRows(learnerId)) {
      const r = record(row.lab_id);
      r.attempts += row.attempts;
      r.hints += row.hints;
      r.lastActiveAt = Math.max(r.lastActiveAt, row.last_at);
      if (row.passed > 0) r.passed.push(row.exercise_id);
      else if (row.revealed > 0) r.revealed.push(row.exercise_id);
    }
    for (const row of this.timeRows(learnerId)) {
      const r = record(row.lab_id);
      r.msSpent = row.ms;
      r.lastActiveAt = Math.max(r.lastActiveAt, row.last_at);
    }
    return records;
  }

  /** Every learner with a name or a session, oldest first: the control room's rows. */
  learners(): { id: string; displayName: string | undefined }[] {
    const rows = this.db
      .prepare(
        `SELECT id, display_name FROM learners
         WHERE display_name IS NOT NULL OR id IN (SELECT learner_id FROM sessions)
         ORDER BY created_at, id`,
      )
      .all() as { id: string; display_name: string | null }[];
    return rows.map((r) => ({ id: r.id, displayName: r.display_name ?? undefined }));
  }

  /** Each learner's latest attempt (check or reveal): where they are working now. */
  lastAttempts(): Map<string, { labId: string; exerciseId: string }> {
    const rows = this.db
      .prepare(
        `SELECT learner_id, lab_id, exercise_id FROM attempts a
         WHERE id = (SELECT MAX(id) FROM attempts b WHERE b.learner_id = a.learner_id)`,
      )
      .all() as { learner_id: string; lab_id: string; exercise_id: string }[];
    return new Map(rows.map((r) => [r.learner_id, { labId: r.lab_id, exerciseId: r.exercise_id }]));
  }

  /** Per exercise: learners who passed it, and learners who attempted it and have not. */
  exerciseTotals(): { labId: string; exerciseId: string; passed: number; stuck: number }[] {
    return this.db
      .prepare(
        `SELECT lab_id AS labId, exercise_id AS exerciseId,
                SUM(passed > 0) AS passed, SUM(passed = 0 AND tried > 0) AS stuck
         FROM (SELECT lab_id, exercise_id, learner_id,
                      SUM(verdict = 'passed') AS passed, SUM(verdict = 'failed') AS tried
               FROM attempts GROUP BY lab_id, exercise_id, learner_id)
         GROUP BY lab_id, exercise_id ORDER BY MIN(lab_id), exercise_id`,
      )
      .all() as { labId: string; exerciseId: string; passed: number; stuck: number }[];
  }

  /** The labs the workshop offers, in order; undefined when nobody chose (every lab). */
  offeredLabs(): string[] | undefined {
    const query = this.db.prepare('SELECT lab_id FROM offered_labs ORDER BY position');
    const ids = (query.pluck().all() as string[]).map(String);
    return ids.length === 0 ? undefined : ids;
  }

  /** Replaces the offered labs in one transaction: a restart never sees half a choice. */
  setOfferedLabs(labIds: readonly string[]): void {
    const insert = this.db.prepare('INSERT INTO offered_labs (lab_id, position) VALUES (?, ?)');
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM offered_labs').run();
      labIds.forEach((id, position) => insert.run(id, position));
    })();
  }

  /** A random secret kept in the database: made once, the same after every restart. */
  secret(name: string): Buffer {
    this.db
      .prepare('INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)')
      .run(name, randomBytes(32));
    const row = this.db.prepare('SELECT value FROM secrets WHERE name = ?').get(name) as {
      value: Buffer;
    };
    return row.value;
  }

  close(): void {
    this.db.close();
  }

  /** Per exercise the learner touched: passes, reveals, attempts, hints, last attempt. */
  exerciseRows(learnerId: string): ExerciseRow[] {
    return this.db
      .prepare(
        `SELECT lab_id, exercise_id,
                SUM(verdict = 'passed') AS passed, SUM(verdict = 'revealed') AS revealed,
                SUM(verdict != 'revealed') AS attempts,
                SUM(hint_index IS NOT NULL) + (SELECT COUNT(*) FROM hints_given h
                  WHERE h.learner_id = attempts.learner_id AND h.lab_id = attempts.lab_id
                    AND h.exercise_id = attempts.exercise_id) AS hints,
                MAX(at) AS last_at
         FROM attempts WHERE learner_id = ? GROUP BY lab_id, exercise_id ORDER BY MIN(at)`,
      )
      .all(learnerId) as ExerciseRow[];
  }

  /** Per lab: time in its sessions (live ones up to now) and the last moment in one. */
  timeRows(learnerId: string): { lab_id: string; ms: number; last_at: number }[] {
    return this.db
      .prepare(
        `SELECT lab_id, SUM(COALESCE(ended_at, ?) - started_at) AS ms,
                MAX(COALESCE(ended_at, ?)) AS last_at
         FROM sessions WHERE learner_id = ? GROUP BY lab_id`,
      )
      .all(Date.now(), Date.now(), learnerId) as { lab_id: string; ms: number; last_at: number }[];
  }
}
