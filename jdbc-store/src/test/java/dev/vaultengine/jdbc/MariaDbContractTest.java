package dev.vaultengine.jdbc;

import javax.sql.DataSource;

/**
 * The store contract and the reliability suite on MariaDB, with a session time zone far from UTC.
 */
class MariaDbContractTest extends ServerContractTests {
  @Override
  DataSource dataSource() {
    return Databases.mariadb();
  }

  @Override
  protected String storeName() {
    return "mariadb";
  }
}
