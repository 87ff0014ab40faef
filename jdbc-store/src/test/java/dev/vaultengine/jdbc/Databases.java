package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The database servers of the test run. PostgreSQL and MariaDB are the loopback servers of the
 * build machines (DESIGN.md "Testing"). Without them, PostgreSQL comes from an embedded binary and
 * MariaDB tests are skipped with a visible line, unless {@code -Dvault.requireDatabases=true} (CI),
 * which makes a missing server a failure.
 */
final class Databases {
  private static final boolean REQUIRED = Boolean.getBoolean("vault.requireDatabases");
  private static DataSource postgres;
  private static DataSource mariadb;
  private static EmbeddedPostgres embedded;

  private Databases() {}

  static synchronized DataSource postgres() {
    if (postgres == null) {
      if (reachable(5432)) {
        PGConnectionPoolDataSource ds = new PGConnectionPoolDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
        ds.setUser("postgres");
        postgres = pool(ds);
      } else if (REQUIRED) {
        fail("PostgreSQL is required (vault.requireDatabases) but 127.0.0.1:5432 is not reachable");
      } else {
        System.out.println("PostgreSQL server not found on 127.0.0.1:5432: using embedded "
            + "PostgreSQL (zonky) instead.");
        try {
          embedded = EmbeddedPostgres.start();
        } catch (IOException e) {
          throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
        postgres = embedded.getPostgresDatabase();
      }
    }
    return postgres;
  }

  static synchronized DataSource mariadb() {
    if (mariadb == null) {
      if (!reachable(3306)) {
        if (REQUIRED) {
          fail("MariaDB is required (vault.requireDatabases) but 127.0.0.1:3306 is not reachable");
        }
        System.out.println("SKIPPED: MariaDB tests: no server on 127.0.0.1:3306 "
            + "(CI demands one; see README).");
        Assumptions.abort("no MariaDB server on 127.0.0.1:3306");
      }
      try {
        MariaDbDataSource ds = new MariaDbDataSource();
        // A session time zone far from UTC: stored times must not move with it.
        ds.setUrl("jdbc:mariadb://127.0.0.1:3306/test?user=root"
            + "&sessionVariables=time_zone='+05:45'");
        mariadb = pool(ds);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return mariadb;
  }

  private static DataSource pool(javax.sql.ConnectionPoolDataSource ds) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(ds);
    pool.setMaxConnections(16);
    return pool;
  }

  /**
   * For a test whose child process must reach PostgreSQL itself, which only the loopback server
   * allows (not the embedded one): fails when the servers are required (CI), else skips visibly.
   */
  static void requireLoopbackPostgres() {
    if (reachable(5432)) {
      return;
    }
    if (REQUIRED) {
      fail("PostgreSQL is required (vault.requireDatabases) but 127.0.0.1:5432 is not reachable");
    }
    System.out.println("SKIPPED: a test that needs the loopback PostgreSQL server on "
        + "127.0.0.1:5432 (CI demands one; see README).");
    Assumptions.abort("no PostgreSQL server on 127.0.0.1:5432");
  }

  private static boolean reachable(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Drops every table whose name starts with {@code prefix}. */
  static void dropTables(DataSource ds, String prefix) {
    try (Connection c = ds.getConnection()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), null, null,
          new String[] {"TABLE"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME");
          if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            tables.add(name);
          }
        }
      }
      // Children first, so foreign keys never block a drop.
      tables.sort((a, b) -> Boolean.compare(!a.endsWith("credentials"), !b.endsWith("credentials")));
      try (Statement s = c.createStatement()) {
        for (String t : tables) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cleaning up test tables failed", e);
    }
  }
}
