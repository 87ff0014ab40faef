package dev.vaultengine.jdbc;

import javax.sql.DataSource;

/** Reliability on PostgreSQL. */
class PostgresReliabilityTest extends JdbcReliabilityTests.Server {
  @Override
  DataSource dataSource() {
    return Databases.postgres();
  }

  @Override
  protected String storeName() {
    return "postgresql";
  }
}
