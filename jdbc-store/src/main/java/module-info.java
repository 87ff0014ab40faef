/**
 * The JDBC store on Jdbi: {@code dev.vaultengine.jdbc} ({@code JdbcVaultStore},
 * {@code EmbeddedStores}). Its SQL, dialects and pools live in {@code dev.vaultengine.jdbc.internal},
 * which no other module can reach. H2 is needed only by a host that opens an H2 database, and the
 * PostgreSQL driver only by a host on PostgreSQL.
 */
module dev.vaultengine.jdbc {
  requires transitive dev.vaultengine.core;
  requires transitive java.sql;
  requires org.jdbi.v3.core;
  requires org.xerial.sqlitejdbc;
  requires com.zaxxer.hikari;
  requires com.fasterxml.jackson.core;
  requires static com.h2database;
  // Only PgEventWatch uses it, and only on PostgreSQL: a host on another database needs no jar.
  requires static org.postgresql.jdbc;

  exports dev.vaultengine.jdbc;
}
