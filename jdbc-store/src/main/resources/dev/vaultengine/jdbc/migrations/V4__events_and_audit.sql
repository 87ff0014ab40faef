-- vault-engine schema, version 4: lifecycle events and the tamper-evident audit trail (issue 17).
-- New tables only, so a store at version 3 keeps every row as it is and starts with an empty log.
-- Every statement can run again (IF NOT EXISTS, and the head row is inserted only when missing):
-- where migrations do not run in one transaction (H2, PostgreSQL, MariaDB), one interrupted
-- between two statements completes when run again under the migration lock.
--
-- log_head: one row (id 1), the head of the log. Every transaction that appends events or an
--   audit entry locks it as its last step and keeps the lock until commit, so appenders are
--   serialized across processes: sequences come from this row, gapless and in commit order.
--   event_sequence: the last event's sequence (0 for none; purged events keep their numbers);
--   audit_sequence and audit_mac: the last audit entry's sequence and chain MAC (0 and NULL for
--   none), kept apart from the entries so that a trail cut off at its tail is found.
-- events: the outbox, one row per event, never a secret; purged once every durable subscriber
--   acknowledged it and it is older than the retention. Times are microseconds, like every time.
-- audit: one row per operation; secrets appear only as HMACs (field=hex pairs) under the audit
--   key; mac chains each entry to the one before. Text columns are VARCHAR and stored exactly
--   (never padded), since the MAC covers them byte for byte.
-- subscribers: a durable subscriber's name and the last event sequence it acknowledged.
-- The audit key (wrapped by the data keyset) is the keyset table's row with id 2.
CREATE TABLE IF NOT EXISTS ${prefix}log_head (
  id INTEGER NOT NULL PRIMARY KEY,
  event_sequence BIGINT NOT NULL,
  audit_sequence BIGINT NOT NULL,
  audit_mac ${binary}
)${table_options};

INSERT INTO ${prefix}log_head (id, event_sequence, audit_sequence, audit_mac)
  SELECT 1, 0, 0, NULL FROM ${prefix}schema_history
  WHERE version = 1 AND NOT EXISTS (SELECT id FROM ${prefix}log_head WHERE id = 1);

CREATE TABLE IF NOT EXISTS ${prefix}events (
  sequence BIGINT NOT NULL PRIMARY KEY,
  id VARCHAR(64) NOT NULL,
  type VARCHAR(64) NOT NULL,
  account_id VARCHAR(255),
  vault_id VARCHAR(64),
  credential_id VARCHAR(64),
  at BIGINT NOT NULL
)${table_options};

CREATE TABLE IF NOT EXISTS ${prefix}audit (
  sequence BIGINT NOT NULL PRIMARY KEY,
  at BIGINT NOT NULL,
  account_id VARCHAR(255),
  actor VARCHAR(255),
  operation VARCHAR(64) NOT NULL,
  vault_id VARCHAR(1024),
  credential_id VARCHAR(1024),
  outcome VARCHAR(64) NOT NULL,
  secrets ${text},
  detail ${text},
  mac ${binary} NOT NULL
)${table_options};

CREATE TABLE IF NOT EXISTS ${prefix}subscribers (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  position BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
)${table_options};
