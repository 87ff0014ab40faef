package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.ErrorType;
import dev.vaultengine.VaultException;
import java.nio.file.Path;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * A store that cannot connect says why in words a user can act on (the server unreachable, the
 * user refused, no such database, a file that cannot be opened), as an {@code api_error} with no
 * driver exception, driver text or password in it.
 */
class ConnectFailureTest {
  @TempDir
  Path dir;

  private static VaultException opening(DataSource ds) {
    VaultException e = assertThrows(VaultException.class,
        () -> JdbcVaultStore.builder(ds).build().close());
    assertEquals(ErrorType.API, e.type());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(t instanceof SQLException || t.getClass().getName().startsWith("org.jdbi"),
          "no driver exception reaches the caller: " + t);
    }
    assertFalse(e.getMessage().contains("s3cret"), "no password in the message");
    return e;
  }

  private static PGSimpleDataSource postgres(String url) {
    Databases.requireLoopbackPostgres();
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    return ds;
  }

  @Test
  void aServerNotListeningIsSaidSo() {
    VaultException e = opening(postgres(
        "jdbc:postgresql://127.0.0.1:5999/test?user=postgres&password=s3cret"));
    assertTrue(e.getMessage().startsWith("Cannot connect to the database: the server could not "
        + "be reached or refused the connection (SQLState 08"), e.getMessage());
  }

  @Test
  void aDatabaseThatDoesNotExistIsSaidSo() {
    VaultException e = opening(postgres(
        "jdbc:postgresql://127.0.0.1:5432/nosuchdb_vault?user=postgres&password=s3cret"));
    assertTrue(e.getMessage().startsWith(
        "Cannot connect to the database: the database does not exist (SQLState 3D000"),
        e.getMessage());
  }

  @Test
  void anUnknownUserIsSaidSo() {
    VaultException e = opening(postgres(
        "jdbc:postgresql://127.0.0.1:5432/test?user=nobody_vault&password=s3cret"));
    assertTrue(e.getMessage().startsWith(
        "Cannot connect to the database: the server refused the user name or password (SQLState 28"),
        e.getMessage());
  }

  @Test
  void anUnknownMariaDbDatabaseIsSaidSo() throws SQLException {
    Databases.mariadb(); // skips visibly (or fails in CI) without the server
    VaultException e = opening(new MariaDbDataSource(
        "jdbc:mariadb://127.0.0.1:3306/nosuchdb_vault?user=root&password=s3cret"));
    assertTrue(e.getMessage().startsWith("Cannot connect to the database: "), e.getMessage());
    assertTrue(e.getMessage().contains("the database does not exist")
        || e.getMessage().contains("refused the user name or password"), e.getMessage());
  }

  @Test
  void aSqliteFileInAMissingDirectoryIsSaidSo() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("missing").resolve("x.db"));
    VaultException e = opening(ds);
    assertTrue(e.getMessage().startsWith("Cannot connect to the database: the database file "
        + "cannot be opened"), e.getMessage());
  }
}
