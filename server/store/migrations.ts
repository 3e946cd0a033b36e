// The progress store's schema, as numbered migrations applied in order at start-up. A
// migration is never edited once it has shipped: a change is a new migration, so a database
// written by any earlier nslab opens and moves forward.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE learners (
        id TEXT PRIMARY KEY,
        display_name TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        end_reason TEXT,
        from_pool INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX sessions_by_learner ON sessions(learner_id, lab_id);
      -- Every check attempt and every "Show me": a reveal is recorded as revealed, never as passed.
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        exercise_id TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('passed', 'failed', 'revealed')),
        hint_index INTEGER,
        at INTEGER NOT NULL
      );
      CREATE INDEX attempts_by_learner ON attempts(learner_id, lab_id, exercise_id);
    `,
  },
  {
    version: 2,
    // Secrets that must outlive a restart: the key that signs learner cookies, so a learner's
    // browser is still the same learner (with the same progress) after the server restarts.
    sql: `
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
      );
    `,
  },
  {
    version: 3,
    // The labs a workshop offers, in the instructor's order. No rows: every lab, in the
    // catalogue's order (what a fresh server and a solo learner get).
    sql: `
      CREATE TABLE offered_labs (
        lab_id TEXT PRIMARY KEY,
        position INTEGER NOT NULL UNIQUE
      );
      `,
  },
  {
    version: 4,
    // Hints the learner asked for with the Hint button (a failed check's hint is on its
    // attempt): together they are the hints shown, which the page restores after a reload.
    sql: `
      CREATE TABLE hints_given (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id TEXT NOT NULL,
        exercise_id TEXT NOT NULL,
        hint_index INTEGER NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX hints_given_by_learner ON hints_given(learner_id, lab_id, exercise_id);
    `,
  },
];

/** Applies the migrations newer than the database, each in its own transaction. */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest)
    throw new Error(
      `it was written by a newer nslab (schema ${current}; this one knows up to ${latest})`,
    );
  for (const migration of MIGRATIONS.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
