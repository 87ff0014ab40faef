package dev.vaultengine.jdbc.internal;

/**
 * Every SQL statement of the store, in one place. Table names carry the Jdbi attribute
 * {@code <prefix>} and row-locking reads end with {@code <for_update>}; both are defined once on the
 * store's {@code Jdbi} (see {@link #define}), so no statement is assembled by concatenation at run
 * time and no caller-supplied text ever reaches SQL.
 */
public final class Statements {
  private Statements() {}

  /**
   * {@code sql} with its {@code <prefix>} filled in, for the few statements on the resolve hot path
   * that are rendered once per store instead of by Jdbi's template engine at every call.
   */
  public static String rendered(String sql, String prefix) {
    return sql.replace("<prefix>", prefix);
  }

  /** Defines the attributes the statements use on {@code jdbi}. */
  public static void define(org.jdbi.v3.core.Jdbi jdbi, String prefix, Dialect dialect) {
    jdbi.define("prefix", prefix).define("for_update", dialect.forUpdate());
  }

  /** The columns {@link Rows#vault} reads, in its order. */
  public static final String VAULT_COLUMNS =
      "id, account_id, display_name, metadata, status, archived_at, created_at, updated_at";

  /**
   * The columns {@link Rows#credential} reads by position, in its order: the V1 columns first,
   * then those of migration V2. The folded search columns are never read back.
   */
  public static final String CREDENTIAL_COLUMNS = "id, account_id, vault_id, mcp_server_url, "
      + "url_key, protocol, type, status, archived_at, created_at, updated_at, token_key_id, token, "
      + "display_name, metadata, expires_at, details, refresh_token, client_secret";

  public static final String INSERT_VAULT = "INSERT INTO <prefix>vaults (id, account_id, "
      + "display_name, name_folded, metadata, status, archived_at, created_at, updated_at) "
      + "VALUES (:id, :account, :name, :folded, :metadata, :status, :archived, :created, :updated)";

  public static final String FIND_VAULT = "SELECT " + VAULT_COLUMNS
      + " FROM <prefix>vaults WHERE account_id = :account AND id = :id";

  public static final String COUNT_VAULT_ID = "SELECT COUNT(*) FROM <prefix>vaults WHERE id = :id";

  public static final String COUNT_CREDENTIAL_IDS =
      "SELECT COUNT(*) FROM <prefix>credentials WHERE id IN (<ids>)";

  public static final String UPDATE_VAULT = "UPDATE <prefix>vaults SET display_name = :name, "
      + "name_folded = :folded, metadata = :metadata, updated_at = :updated "
      + "WHERE account_id = :account AND id = :id AND status = 'active' AND updated_at = :expected";

  public static final String ARCHIVE_VAULT = "UPDATE <prefix>vaults SET status = 'archived', "
      + "archived_at = :at, updated_at = :at "
      + "WHERE account_id = :account AND id = :id AND status = 'active'";

  /**
   * What archiving a credential sets: the identity hash and every secret go (crypto-shredding),
   * freeing the URL or secret name.
   */
  private static final String ARCHIVED = "status = 'archived', archived_at = :at, updated_at = :at, "
      + "active_url_hash = NULL, token = NULL, refresh_token = NULL, client_secret = NULL, "
      + "token_key_id = NULL";

  public static final String ARCHIVE_VAULT_CREDENTIALS = "UPDATE <prefix>credentials SET "
      + ARCHIVED + " WHERE vault_id = :vault AND status = 'active'";

  /** The foreign key cascades to the vault's credentials in the same statement. */
  public static final String DELETE_VAULT =
      "DELETE FROM <prefix>vaults WHERE account_id = :account AND id = :id";

  public static final String VAULT_STATUS =
      "SELECT status FROM <prefix>vaults WHERE account_id = :account AND id = :id";

  /** {@link #VAULT_STATUS} bound by position (account, then id), for plain JDBC. */
  public static final String VAULT_STATUS_POSITIONAL =
      VAULT_STATUS.replace(":account", "?").replace(":id", "?");

  /** Locks the vault row so no archive can slip between a check and an insert. */
  public static final String LOCK_VAULT_STATUS = VAULT_STATUS + "<for_update>";

  /**
   * A credential's columns in the order of {@code Rows}' parameter list, which the positional
   * insert binds in turn: change both together.
   */
  private static final String CREDENTIAL_INSERT_COLUMNS = " (id, account_id, vault_id, "
      + "mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, status, archived_at, "
      + "created_at, updated_at, token_key_id, token, display_name, name_folded, metadata, "
      + "expires_at, details, refresh_token, client_secret) ";

  private static final String CREDENTIAL_VALUES = ":id, :account, :vault, :url, :urlKey, "
      + ":urlFolded, :hash, :protocol, :type, :status, :archived, :created, :updated, :keyId, :token, "
      + ":name, :nameFolded, :metadata, :expires, :details, :refresh, :clientSecret";

  public static final String INSERT_CREDENTIAL = "INSERT INTO <prefix>credentials"
      + CREDENTIAL_INSERT_COLUMNS + "VALUES (" + CREDENTIAL_VALUES + ")";

  /**
   * Writes the row only while its vault is active, in one statement (the embedded databases):
   * positional, for {@code Rows.bindCredential(PreparedStatement, int, CredentialRow)} on plain
   * JDBC, the vault's account and id last.
   */
  public static final String INSERT_CREDENTIAL_IF_VAULT_ACTIVE = "INSERT INTO <prefix>credentials"
      + CREDENTIAL_INSERT_COLUMNS + "SELECT " + "?, ".repeat(Rows.CREDENTIAL_PARAMETER_COUNT - 1)
      + "? FROM <prefix>vaults WHERE account_id = ? AND id = ? AND status = 'active'";

  public static final String FIND_CREDENTIAL = "SELECT " + CREDENTIAL_COLUMNS
      + " FROM <prefix>credentials WHERE account_id = :account AND vault_id = :vault AND id = :id";

  /**
   * Replaces everything {@code VaultStore.updateCredential} may change, if the row is active and
   * unchanged since it was read; never the id, vault, identity key and its hash, status or
   * created_at.
   */
  private static final String UPDATE_CREDENTIAL_FIELDS = "UPDATE <prefix>credentials SET "
      + "mcp_server_url = :url, url_folded = :urlFolded, protocol = :protocol, type = :type, "
      + "display_name = :name, name_folded = :nameFolded, metadata = :metadata, "
      + "expires_at = :expires, details = :details, ";

  private static final String UPDATE_CREDENTIAL_WHERE = "updated_at = :updated "
      + "WHERE account_id = :account AND vault_id = :vault AND id = :id AND status = 'active' "
      + "AND updated_at = :expected";

  /** New secrets also end the refresh lease: a hold for the old grant's failure is over. */
  public static final String UPDATE_CREDENTIAL = UPDATE_CREDENTIAL_FIELDS
      + "token_key_id = :keyId, token = :token, refresh_token = :refresh, "
      + "client_secret = :clientSecret, refresh_lease_owner = NULL, refresh_lease_until = NULL, "
      + UPDATE_CREDENTIAL_WHERE;

  /**
   * An update that leaves the secrets as stored: a re-encryption that ran meanwhile (which does
   * not change updated_at) must not be undone by writing back the ciphertext read before it.
   */
  public static final String UPDATE_CREDENTIAL_KEEPING_SECRETS = UPDATE_CREDENTIAL_FIELDS
      + UPDATE_CREDENTIAL_WHERE;

  /** What an update that changed nothing reports from: the row's status and updated_at. */
  public static final String CREDENTIAL_STATE = "SELECT status, updated_at FROM <prefix>credentials "
      + "WHERE account_id = :account AND vault_id = :vault AND id = :id";

  public static final String ARCHIVE_CREDENTIAL = "UPDATE <prefix>credentials SET " + ARCHIVED
      + " WHERE account_id = :account AND vault_id = :vault AND id = :id AND status = 'active'";

  public static final String DELETE_CREDENTIAL = "DELETE FROM <prefix>credentials "
      + "WHERE account_id = :account AND vault_id = :vault AND id = :id";

  public static final String CREDENTIAL_STATUS = "SELECT status FROM <prefix>credentials "
      + "WHERE account_id = :account AND vault_id = :vault AND id = :id";

  private static final String ACTIVE = "SELECT " + CREDENTIAL_COLUMNS + " FROM <prefix>credentials"
      + " WHERE ";

  /**
   * The resolve read for one vault: a plain equality, which every database plans and caches best.
   * The unique (vault_id, active_url_hash) index serves it.
   */
  public static final String ACTIVE_IN_VAULT =
      ACTIVE + "vault_id = :vault AND active_url_hash = :hash AND account_id = :account";

  /** The resolve read for a whole session: the same index serves each vault of the list. */
  public static final String ACTIVE_IN_VAULTS =
      ACTIVE + "vault_id IN (<vault_ids>) AND active_url_hash = :hash AND account_id = :account";

  public static final String LOAD_KEYSET = "SELECT wrapped FROM <prefix>keyset WHERE id = 1";

  public static final String INSERT_KEYSET =
      "INSERT INTO <prefix>keyset (id, wrapped, digest) VALUES (1, :w, :d)";

  public static final String REPLACE_KEYSET = "UPDATE <prefix>keyset SET wrapped = :w, "
      + "digest = :d WHERE id = 1 AND digest = :old";

  public static final String TOKENS_ON_KEY = "SELECT " + CREDENTIAL_COLUMNS
      + " FROM <prefix>credentials WHERE token_key_id = :key AND id > :after "
      + "ORDER BY token_key_id, id LIMIT :limit";

  public static final String COUNT_TOKENS_NOT_ON_KEY = "SELECT COUNT(*) FROM <prefix>credentials "
      + "WHERE token_key_id IS NOT NULL AND token_key_id != :key";

  /**
   * Takes a credential's refresh lease when it is free, ended, or already this owner's: one
   * conditional write, so of several hosts at once exactly one changes the row.
   */
  public static final String TAKE_REFRESH_LEASE = "UPDATE <prefix>credentials SET "
      + "refresh_lease_owner = :owner, refresh_lease_until = :until "
      + "WHERE account_id = :account AND id = :id AND status = 'active' "
      + "AND (refresh_lease_owner IS NULL OR refresh_lease_until < :now "
      + "OR refresh_lease_owner = :owner)";

  /** Who holds a credential's lease until when, for the host that did not get it. */
  public static final String REFRESH_LEASE = "SELECT status, refresh_lease_until "
      + "FROM <prefix>credentials WHERE account_id = :account AND id = :id";

  public static final String RELEASE_REFRESH_LEASE = "UPDATE <prefix>credentials SET "
      + "refresh_lease_owner = NULL, refresh_lease_until = NULL "
      + "WHERE account_id = :account AND id = :id AND refresh_lease_owner = :owner";

  public static final String LOCK_TOKEN = "SELECT token FROM <prefix>credentials "
      + "WHERE account_id = :account AND id = :id AND token_key_id = :key<for_update>";

  /** Every secret of a credential, on one data key (re-encryption). */
  public static final String REPLACE_SECRETS = "UPDATE <prefix>credentials SET token = :token, "
      + "refresh_token = :refresh, client_secret = :clientSecret, token_key_id = :keyId "
      + "WHERE account_id = :account AND id = :id";

  /** A list of vaults: {@link ListFilter} adds the conditions, the order and the limit. */
  public static final String LIST_VAULTS =
      "SELECT " + VAULT_COLUMNS + " FROM <prefix>vaults WHERE account_id = :account";

  /** A list of one vault's credentials: {@link ListFilter} adds the rest. */
  public static final String LIST_CREDENTIALS = "SELECT " + CREDENTIAL_COLUMNS
      + " FROM <prefix>credentials WHERE account_id = :account AND vault_id = :vault";

  // ---------------------------------------------------------------- the log (schema version 4)

  /**
   * Locks the log head for the rest of the transaction: the last step of every transaction that
   * appends events or an audit entry (on SQLite the transaction already holds the database's
   * write lock, and this is a plain read).
   */
  public static final String LOCK_LOG_HEAD = "SELECT event_sequence, audit_sequence, audit_mac "
      + "FROM <prefix>log_head WHERE id = 1<for_update>";

  public static final String UPDATE_LOG_HEAD = "UPDATE <prefix>log_head SET "
      + "event_sequence = :events, audit_sequence = :audit, audit_mac = :mac WHERE id = 1";

  public static final String LAST_EVENT_SEQUENCE =
      "SELECT event_sequence FROM <prefix>log_head WHERE id = 1";

  public static final String AUDIT_HEAD =
      "SELECT audit_sequence, audit_mac FROM <prefix>log_head WHERE id = 1";

  /** The columns of an event row, in the order {@link Rows#event} reads them. */
  public static final String EVENT_COLUMNS =
      "sequence, id, type, account_id, vault_id, credential_id, at";

  public static final String INSERT_EVENT = "INSERT INTO <prefix>events (" + EVENT_COLUMNS
      + ") VALUES (:sequence, :id, :type, :account, :vault, :credential, :at)";

  public static final String READ_EVENTS = "SELECT " + EVENT_COLUMNS + " FROM <prefix>events "
      + "WHERE sequence > :after ORDER BY sequence LIMIT :limit";

  /** The columns of an audit row, in the order {@link Rows#audit} reads them. */
  public static final String AUDIT_COLUMNS = "sequence, at, account_id, actor, operation, "
      + "vault_id, credential_id, outcome, secrets, detail, mac";

  public static final String INSERT_AUDIT = "INSERT INTO <prefix>audit (" + AUDIT_COLUMNS
      + ") VALUES (:sequence, :at, :account, :actor, :operation, :vault, :credential, :outcome, "
      + ":secrets, :detail, :mac)";

  public static final String READ_AUDIT = "SELECT " + AUDIT_COLUMNS + " FROM <prefix>audit "
      + "WHERE sequence > :after ORDER BY sequence LIMIT :limit";

  public static final String SUBSCRIBER_POSITION =
      "SELECT position FROM <prefix>subscribers WHERE name = :name";

  public static final String UPDATE_SUBSCRIBER = "UPDATE <prefix>subscribers SET "
      + "position = :position, updated_at = :now WHERE name = :name";

  public static final String INSERT_SUBSCRIBER = "INSERT INTO <prefix>subscribers "
      + "(name, position, updated_at) VALUES (:name, :position, :now)";

  public static final String DELETE_SUBSCRIBER =
      "DELETE FROM <prefix>subscribers WHERE name = :name";

  /** The lowest acknowledged position; NULL when there are no durable subscribers. */
  public static final String MIN_SUBSCRIBER_POSITION =
      "SELECT MIN(position) FROM <prefix>subscribers";

  public static final String PURGE_EVENTS = "DELETE FROM <prefix>events "
      + "WHERE at < :before AND sequence <= :acknowledged";

  /** The audit key: the keyset table's second row. */
  public static final String LOAD_AUDIT_KEY = "SELECT wrapped FROM <prefix>keyset WHERE id = 2";

  public static final String INSERT_AUDIT_KEY =
      "INSERT INTO <prefix>keyset (id, wrapped, digest) VALUES (2, :w, :d)";

  public static final String REPLACE_AUDIT_KEY = "UPDATE <prefix>keyset SET wrapped = :w, "
      + "digest = :d WHERE id = 2 AND digest = :old";

  /**
   * Every credential of a vault, which its delete cascades to: read after the vault row was
   * locked (every credential insert locks it first), so none is added between this read and the
   * delete.
   */
  public static final String VAULT_CREDENTIAL_IDS =
      "SELECT id FROM <prefix>credentials WHERE vault_id = :vault";

  /** The active credentials of a vault that an archive of it will archive. */
  public static final String ACTIVE_VAULT_CREDENTIAL_IDS = "SELECT id FROM <prefix>credentials "
      + "WHERE vault_id = :vault AND status = 'active'<for_update>";
}
