-- vault-engine schema, version 1. Placeholders are filled per database by the store's dialect.
-- Times are BIGINT microseconds since the epoch (UTC): identical on every database, whatever the
-- session time zone. The one-active-credential-per-URL rule is the unique index over
-- (vault_id, active_url_hash): the hash is NULL once a credential is archived.
CREATE TABLE ${prefix}vaults (
  id CHAR(38) NOT NULL PRIMARY KEY,
  account_id VARCHAR(255) NOT NULL,
  display_name VARCHAR(1024) NOT NULL,
  name_folded VARCHAR(3072) NOT NULL,
  metadata ${text} NOT NULL,
  status VARCHAR(16) NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
)${table_options};

CREATE INDEX ${prefix}vaults_account ON ${prefix}vaults (account_id, id);

CREATE TABLE ${prefix}credentials (
  id CHAR(38) NOT NULL PRIMARY KEY,
  account_id VARCHAR(255) NOT NULL,
  vault_id CHAR(38) NOT NULL,
  mcp_server_url VARCHAR(2048) NOT NULL,
  url_key VARCHAR(2049) NOT NULL,
  url_folded VARCHAR(6144) NOT NULL,
  active_url_hash CHAR(64),
  protocol VARCHAR(32) NOT NULL,
  type VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL,
  archived_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  token_key_id INTEGER,
  token ${binary},
  CONSTRAINT ${prefix}credentials_vault FOREIGN KEY (vault_id)
    REFERENCES ${prefix}vaults (id) ON DELETE CASCADE
)${table_options};

CREATE UNIQUE INDEX ${prefix}credentials_active_url ON ${prefix}credentials (vault_id, active_url_hash);

CREATE INDEX ${prefix}credentials_vault ON ${prefix}credentials (vault_id, id);

CREATE INDEX ${prefix}credentials_token_key ON ${prefix}credentials (token_key_id, id);

CREATE TABLE ${prefix}keyset (
  id INTEGER NOT NULL PRIMARY KEY,
  wrapped ${binary} NOT NULL,
  digest CHAR(64) NOT NULL
)${table_options};
