-- vault-engine schema, version 2: the credential kinds (static_bearer, mcp_oauth,
-- environment_variable), display names and metadata on every credential. Only nullable columns
-- are added, one ALTER TABLE per statement (SQLite allows one column per statement and cannot
-- relax the NOT NULL of the version 1 columns without rebuilding the table), so a version 1 row
-- stays a valid static_bearer row as it is, and the upgrade writes no row. Where migrations do
-- not run in one transaction (H2, PostgreSQL, MariaDB), ${add_if_missing} is IF NOT EXISTS, so
-- one interrupted between two statements completes when run again; SQLite runs it in one
-- transaction and has no IF NOT EXISTS here.
--
-- Layout of a credential row by kind (type column):
--   column          static_bearer / mcp_oauth          environment_variable
--   mcp_server_url  the URL as written                 '' (empty)
--   protocol        sse / streamable_http              '' (empty)
--   url_key         the identity key: the normalized URL, or 'env:' + the secret name; the
--                   one-active-credential rule is still the unique (vault_id, active_url_hash)
--                   index, active_url_hash = SHA-256 of url_key while active, NULL once archived
--   url_folded      the URL as written, lower-cased    the secret name, lower-cased
--   display_name    the display name, NULL for none (every kind); name_folded: it lower-cased
--   metadata        JSON object as for vaults, NULL for no pairs (every version 1 row)
--   expires_at      mcp_oauth: access token expiry in microseconds, NULL for none; else NULL
--   details         JSON of the kind's other non-secret fields, in the REST body's shape:
--                   static_bearer NULL; mcp_oauth NULL without a refresh grant, else
--                   {"token_endpoint","client_id","scope"?,"resource"?,"token_endpoint_auth":{"type"}}
--                   environment_variable {"secret_name","networking":{"type","allowed_hosts"?},
--                   "injection_location":{"header","body"}}
--   token           ciphertext of access_token (MCP kinds) or secret_value (environment_variable)
--   refresh_token   mcp_oauth with a refresh grant: its refresh_token ciphertext, else NULL
--   client_secret   mcp_oauth whose token_endpoint_auth sends a secret: its ciphertext, else NULL
--   token_key_id    the data key of all three secrets (one key per credential)
-- Archiving sets token, refresh_token, client_secret, token_key_id and active_url_hash to NULL.
ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}display_name VARCHAR(1024);

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}name_folded VARCHAR(3072);

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}metadata ${text};

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}expires_at BIGINT;

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}details ${text};

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}refresh_token ${binary};

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}client_secret ${binary};
