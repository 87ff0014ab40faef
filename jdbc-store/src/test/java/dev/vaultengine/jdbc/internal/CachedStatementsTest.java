package dev.vaultengine.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jdbi's statements on SQLite are prepared once per connection and kept open, for statements
 * written with named parameters and a defined table prefix as the store writes them (Jdbi passes
 * the parsed SQL when it asks for a statement and the SQL as written when it is done with it; the
 * cache once missed every such statement and prepared it at every call).
 */
class CachedStatementsTest {
  @TempDir Path dir;
  private Connection connection;
  private Jdbi jdbi;
  private final List<Statement> executed = new ArrayList<>();

  @BeforeEach
  void open() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE p_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }
    jdbi = Jdbi.create(connection);
    CachedStatements.install(jdbi);
    jdbi.define("prefix", "p_");
    jdbi.addCustomizer(new StatementCustomizer() {
      @Override
      public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
        executed.add(stmt);
      }
    });
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void aTemplatedUpdateIsPreparedOnceAndKeptOpen() throws SQLException {
    try (Handle h = jdbi.open()) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(1, h.createUpdate("INSERT INTO <prefix>items (id, name) VALUES (:id, :name)")
            .bind("id", i).bind("name", "n" + i).execute());
      }
    }
    assertEquals(3, executed.size());
    assertSame(executed.get(0), executed.get(1), "the second insert reuses the statement");
    assertSame(executed.get(0), executed.get(2));
    assertFalse(executed.get(0).isClosed(), "kept open for the next call");
  }

  @Test
  void aReusedQueryAnswersWithItsNewBindings() throws SQLException {
    try (Handle h = jdbi.open()) {
      h.createUpdate("INSERT INTO <prefix>items (id, name) VALUES (1, 'one'), (2, 'two')")
          .execute();
      for (int id : new int[] {1, 2, 1, 3}) {
        List<String> names = h.createQuery("SELECT name FROM <prefix>items WHERE id = :id")
            .bind("id", id).mapTo(String.class).list();
        assertEquals(switch (id) {
          case 1 -> List.of("one");
          case 2 -> List.of("two");
          default -> List.of();
        }, names, "id " + id);
      }
    }
    assertEquals(5, executed.size());
    assertSame(executed.get(1), executed.get(4), "one query statement for all four reads");
  }

  @Test
  void differentSqlGetsItsOwnStatement() {
    try (Handle h = jdbi.open()) {
      h.createUpdate("INSERT INTO <prefix>items (id, name) VALUES (:id, 'a')").bind("id", 1)
          .execute();
      h.createUpdate("UPDATE <prefix>items SET name = :name WHERE id = :id").bind("id", 1)
          .bind("name", "b").execute();
      assertEquals("b", h.createQuery("SELECT name FROM <prefix>items WHERE id = 1")
          .mapTo(String.class).one());
    }
    assertNotSame(executed.get(0), executed.get(1));
  }
}
