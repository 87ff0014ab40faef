package dev.vaultengine.jdbc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process on a SQLite file, for the tests that need one: opens a plain sqlite-jdbc
 * connection, runs each argument after the first as one statement, prints "DONE" and what the last
 * query returned, and exits.
 */
public final class SqliteOtherProcess {
  private SqliteOtherProcess() {}

  /** Arguments: the database file, then SQL statements. */
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      String last = "";
      for (int i = 1; i < args.length; i++) {
        if (s.execute(args[i])) {
          try (var rs = s.getResultSet()) {
            last = rs.next() ? rs.getString(1) : "";
          }
        }
      }
      System.out.println("DONE " + last);
    }
  }

  /** Runs this class in a child JVM on {@code db} and returns what its last query returned. */
  static String run(Path db, String... statements) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), SqliteOtherProcess.class.getName(),
        db.toAbsolutePath().toString()));
    command.addAll(List.of(statements));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int code = p.waitFor();
    String done = out.lines().filter(l -> l.startsWith("DONE")).findFirst().orElse(null);
    if (code != 0 || done == null) {
      throw new AssertionError("the other process failed (exit " + code + "):\n" + out);
    }
    return done.substring(4).trim();
  }
}
