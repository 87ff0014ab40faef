package dev.vaultengine.jdbc;

import javax.sql.DataSource;

/** Reliability on MariaDB. */
class MariaDbReliabilityTest extends JdbcReliabilityTests.Server {
  @Override
  DataSource dataSource() {
    return Databases.mariadb();
  }

  @Override
  protected String storeName() {
    return "mariadb";
  }
}
