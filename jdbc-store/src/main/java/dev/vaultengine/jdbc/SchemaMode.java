package dev.vaultengine.jdbc;

/** What a {@link JdbcVaultStore} does with the schema when it opens. */
public enum SchemaMode {
  /** Applies the migrations in the jar that the database has not recorded yet (the default). */
  MIGRATE,
  /**
   * Changes nothing and refuses to open unless the database holds exactly this build's schema, for
   * hosts that apply migrations themselves.
   */
  VALIDATE
}
