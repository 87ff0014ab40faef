package dev.vaultengine.jdbc;

import javax.sql.DataSource;

/** The store contract on MariaDB, with a session time zone far from UTC. */
class MariaDbContractTest extends ServerContractTests {
  @Override
  DataSource dataSource() {
    return Databases.mariadb();
  }
}
