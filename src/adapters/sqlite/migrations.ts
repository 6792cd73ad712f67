/**
 * The schema, as forward-only steps: step N brings the database to version N. Applied steps are
 * never edited; a change is a new step at the end.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    purchase_date TEXT NOT NULL,
    last_updated_time TEXT NOT NULL,
    pending_packages INTEGER NOT NULL,
    pii_status TEXT NOT NULL,
    body TEXT NOT NULL
  ) STRICT;
  CREATE INDEX orders_state ON orders (state, purchase_date);
  CREATE INDEX orders_pending_packages ON orders (pending_packages) WHERE pending_packages > 0;
  CREATE INDEX orders_pii_status ON orders (pii_status);

  -- The ship-to (PII) lives apart so that erasing it leaves the order's history intact.
  CREATE TABLE ship_to (
    order_id TEXT PRIMARY KEY REFERENCES orders (order_id),
    fields TEXT NOT NULL
  ) STRICT;

  CREATE TABLE pii_purges (
    order_id TEXT PRIMARY KEY,
    purged_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE outbound_documents (
    file_name TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    document_type TEXT NOT NULL,
    bytes BLOB,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at TEXT
  ) STRICT;
  CREATE INDEX outbound_documents_order ON outbound_documents (order_id);
  CREATE INDEX outbound_documents_unsent ON outbound_documents (created_at)
    WHERE sent_at IS NULL AND bytes IS NOT NULL;

  -- One row per file handled, duplicates included: the log of what came in and what became of it.
  CREATE TABLE inbound_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL,
    document_id TEXT,
    file_name TEXT NOT NULL,
    document_type TEXT,
    po_number TEXT,
    outcome TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX inbound_documents_sha256 ON inbound_documents (sha256);
  CREATE INDEX inbound_documents_document_id ON inbound_documents (document_id) WHERE document_id IS NOT NULL;

  CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    ok INTEGER NOT NULL,
    summary TEXT NOT NULL
  ) STRICT;
  CREATE INDEX job_runs_job ON job_runs (job, id);

  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    key TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    order_id TEXT,
    file_name TEXT,
    raised_at TEXT NOT NULL,
    count INTEGER NOT NULL,
    resolved_at TEXT
  ) STRICT;
  -- At most one active alert per code and key: raising it again counts instead of duplicating.
  CREATE UNIQUE INDEX alerts_active ON alerts (code, key) WHERE resolved_at IS NULL;
  `,
  `
  -- Ship-tos sealed with AES-256-GCM (docs/adr/0005); key_id names the data key in the key ring,
  -- which lives outside the database. Rows of the plaintext ship_to table above are sealed and
  -- deleted by the store when it opens.
  CREATE TABLE sealed_ship_to (
    order_id TEXT PRIMARY KEY REFERENCES orders (order_id),
    key_id INTEGER NOT NULL,
    envelope BLOB NOT NULL
  ) STRICT;
  CREATE INDEX sealed_ship_to_key ON sealed_ship_to (key_id);

  -- The data key that sealed bytes; NULL for bytes erased, or written in plaintext before this step.
  ALTER TABLE outbound_documents ADD COLUMN key_id INTEGER;
  CREATE INDEX outbound_documents_key ON outbound_documents (key_id) WHERE key_id IS NOT NULL;
  `,
  `
  -- docs/adr/0006. The purge works a deadline day at a time: every value sealed under a day's key
  -- lives in that day's table pii_<YYYYMMDD> (ref, envelope), created when first needed, and the
  -- purge drops the table as it destroys the key. Orders are not rewritten by the purge: an order
  -- whose day is purged reads as purged. Rows of sealed_ship_to, pii_purges and outbound bytes
  -- written by step 2 are moved by the store when it opens, and these tables then stay empty.
  CREATE TABLE order_bodies (
    order_id TEXT PRIMARY KEY REFERENCES orders (order_id),
    body TEXT NOT NULL
  ) STRICT;
  INSERT INTO order_bodies (order_id, body) SELECT order_id, body FROM orders;
  ALTER TABLE orders DROP COLUMN body;
  DROP INDEX orders_pii_status;
  ALTER TABLE orders DROP COLUMN pii_status;

  -- The UTC day of the PII deadline (names the data key and the table holding the order's sealed
  -- values), the deadline, the hard-cap warning time; NULL for orders that never held PII. All are
  -- computed from the retention policy recorded in store_meta, and recomputed when it changes.
  ALTER TABLE orders ADD COLUMN pii_day TEXT;
  ALTER TABLE orders ADD COLUMN pii_deadline TEXT;
  ALTER TABLE orders ADD COLUMN pii_alert_at TEXT;
  -- Set when this order's PII was erased on its own (a deadline on the day of the purge run).
  ALTER TABLE orders ADD COLUMN pii_purged_at TEXT;
  CREATE INDEX orders_pii_day ON orders (pii_day, pii_deadline) WHERE pii_purged_at IS NULL;
  CREATE INDEX orders_pii_alert ON orders (pii_alert_at) WHERE pii_alert_at IS NOT NULL AND pii_purged_at IS NULL;

  -- Every deadline day an order was ever given; purged_at once the purge destroyed that day.
  CREATE TABLE pii_days (
    day TEXT PRIMARY KEY,
    purged_at TEXT
  ) STRICT;

  -- Where an outbound document's sealed bytes are (pii_<day>), NULL once they are erased.
  ALTER TABLE outbound_documents ADD COLUMN pii_day TEXT;
  DROP INDEX outbound_documents_unsent;
  CREATE INDEX outbound_documents_unsent ON outbound_documents (created_at)
    WHERE sent_at IS NULL AND pii_day IS NOT NULL;

  CREATE TABLE store_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- docs/adr/0007. The order's JSON record goes back into its row: every change of an order is one
  -- UPDATE of one row, and reading it one lookup. (SQLite's ADD COLUMN needs a default for NOT
  -- NULL; every row gets its record in the next statement, and every insert names it.) The state
  -- index now also holds what counting orders by state reads, so that count never reads records.
  ALTER TABLE orders ADD COLUMN body TEXT NOT NULL DEFAULT '';
  UPDATE orders SET body = (SELECT b.body FROM order_bodies b WHERE b.order_id = orders.order_id);
  DROP TABLE order_bodies;
  DROP INDEX orders_state;
  CREATE INDEX orders_state ON orders (state, purchase_date, pii_day, pii_purged_at);
  `,
];
