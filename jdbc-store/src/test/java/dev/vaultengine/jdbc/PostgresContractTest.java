package dev.vaultengine.jdbc;

import javax.sql.DataSource;

/** The store contract on PostgreSQL. */
class PostgresContractTest extends ServerContractTests {
  @Override
  DataSource dataSource() {
    return Databases.postgres();
  }
}
