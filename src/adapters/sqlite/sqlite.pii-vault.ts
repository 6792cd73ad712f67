// @ts-types="@types/better-sqlite3"
import type Database from "better-sqlite3";
import type { FieldCipher, Unsealed } from "../crypto/field-cipher.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TABLE = /^pii_(\d{4})(\d{2})(\d{2})$/;

/** Where a value is and what it is bound to (the associated data of its seal). */
export const shipToRef = (orderId: string) => `ship_to|${orderId}`;
export const outboundRef = (orderId: string, fileName: string) => `outbound|${orderId}|${fileName}`;

/** The table holding the values sealed under `day`'s key. */
function tableOf(day: string): string {
  if (!DAY.test(day)) throw new Error(`not a UTC day: ${day}`);
  return `pii_${day.replaceAll("-", "")}`;
}

interface DayStatements {
  readonly get: Database.Statement<[string], { envelope: Uint8Array }>;
  readonly put: Database.Statement<[string, Buffer]>;
  readonly delete: Database.Statement<[string]>;
  readonly any: Database.Statement<[], { found: number }>;
}

/**
 * Where sealed PII lives (docs/adr/0005, 0006): each value is sealed with AES-256-GCM under the data
 * key of a UTC day (its order's PII deadline day), bound to its `ref` (which row and field), and
 * stored in that day's table `pii_<YYYYMMDD>`. Destroying a day is dropping its table and its key:
 * no per-value work, and every copy of what the key sealed becomes unreadable. Call everything
 * inside the store's transactions.
 */
export class SqlitePiiVault {
  readonly #db: Database.Database;
  readonly #cipher: FieldCipher;
  readonly #days = new Map<string, DayStatements>();
  readonly #tables: Database.Statement<[], { name: string }>;

  constructor(db: Database.Database, cipher: FieldCipher) {
    this.#db = db;
    this.#cipher = cipher;
    this.#tables = db.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'pii_[0-9]*'",
    );
  }

  /**
   * Starts an outermost write transaction (which holds the write lock until it ends): a day's key is
   * checked against the key ring once in it, not before every value (see FileKeyRing.beginWrite).
   */
  beginWrite(): void {
    this.#cipher.beginWrite();
  }

  /** Seals `plain` under `day`'s key and stores it at `ref`, replacing what was there. */
  put(day: string, ref: string, plain: Uint8Array): void {
    const sealed = this.#cipher.seal(day, ref, plain);
    try {
      this.#statements(day, true)?.put.run(ref, sealed.envelope);
    } catch (error) {
      // The table went with a rolled-back transaction or another process's purge: create it again.
      if (!isMissingTable(error)) throw error;
      this.#days.delete(day);
      this.#statements(day, true)?.put.run(ref, sealed.envelope);
    }
  }

  /**
   * The value at `ref` in `day`'s table: its bytes, that its key was destroyed, or undefined when
   * there is none (never stored, erased, or the day dropped). `what` names it in errors.
   */
  get(day: string, ref: string, what: string): Unsealed | undefined {
    const row = this.#run(day, (s) => s.get.get(ref));
    return row ? this.#cipher.open(row.envelope, ref, what) : undefined;
  }

  delete(day: string, ref: string): void {
    this.#run(day, (s) => s.delete.run(ref));
  }

  /** Re-seals the value at `ref` under another day's key (its deadline moved). A destroyed value stays behind. */
  move(from: string, to: string, ref: string, what: string): void {
    if (from === to) return;
    const opened = this.get(from, ref, what);
    if (opened?.kind !== "plain") return;
    this.put(to, ref, opened.bytes);
    opened.bytes.fill(0);
    this.delete(from, ref);
  }

  /** True when `day`'s table holds at least one value. */
  holdsAny(day: string): boolean {
    return this.#run(day, (s) => s.any.get()?.found === 1) ?? false;
  }

  /** Days that have a table. */
  storedDays(): string[] {
    return this.#tables.all().flatMap(({ name }) => {
      const m = TABLE.exec(name);
      return m ? [`${m[1]}-${m[2]}-${m[3]}`] : [];
    });
  }

  /** Days whose key is live. */
  liveDays(): string[] {
    return this.#cipher.liveDays();
  }

  /**
   * Destroys these days: drops their tables, then destroys their keys (crypto-shredding), so any
   * copy of their values left in free pages, the journal or a backup is unreadable. Destroying a
   * key cannot be undone: call it last in the purge's transaction. Returns how many keys.
   */
  destroyDays(days: readonly string[], at: string): number {
    for (const day of days) {
      this.#days.delete(day);
      this.#db.exec(`DROP TABLE IF EXISTS ${tableOf(day)}`);
    }
    return this.#cipher.shred(days, at);
  }

  /** Opens a value written by a release before ADR 0006, bound to `context`. */
  openLegacy(envelope: Uint8Array, context: string, what: string): Unsealed {
    return this.#cipher.open(envelope, context, what);
  }

  close(): void {
    this.#days.clear();
    this.#cipher.close();
  }

  /** Runs `use` on `day`'s statements; undefined when the day has no table (never created, or dropped). */
  #run<T>(day: string, use: (s: DayStatements) => T): T | undefined {
    const statements = this.#statements(day, false);
    if (!statements) return undefined;
    try {
      return use(statements);
    } catch (error) {
      // Dropped by another process since the statements were prepared.
      if (!isMissingTable(error)) throw error;
      this.#days.delete(day);
      return undefined;
    }
  }

  #statements(day: string, create: boolean): DayStatements | undefined {
    const cached = this.#days.get(day);
    if (cached) return cached;
    const table = tableOf(day);
    if (create) {
      this.#db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (ref TEXT PRIMARY KEY, envelope BLOB NOT NULL) STRICT`,
      );
    }
    try {
      const statements: DayStatements = {
        get: this.#db.prepare(`SELECT envelope FROM ${table} WHERE ref = ?`),
        put: this.#db.prepare(
          `INSERT INTO ${table} (ref, envelope) VALUES (?, ?) ON CONFLICT (ref) DO UPDATE SET envelope = excluded.envelope`,
        ),
        delete: this.#db.prepare(`DELETE FROM ${table} WHERE ref = ?`),
        any: this.#db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table}) AS found`),
      };
      this.#days.set(day, statements);
      return statements;
    } catch (error) {
      if (isMissingTable(error)) return undefined;
      throw error;
    }
  }
}

function isMissingTable(error: unknown): boolean {
  return error instanceof Error && /no such table/.test(error.message);
}
