package dev.vaultengine.jdbc;

import javax.sql.DataSource;

/** The store contract and the reliability suite on PostgreSQL. */
class PostgresContractTest extends ServerContractTests {
  @Override
  DataSource dataSource() {
    return Databases.postgres();
  }

  @Override
  protected String storeName() {
    return "postgresql";
  }
}
