package dev.vaultengine.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/** Conversions between rows and values, shared by every dialect. */
public final class Sql {
  private Sql() {}

  /** An instant as BIGINT microseconds since the epoch: exact and time-zone free on every database. */
  public static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /** The instant in a BIGINT microseconds column, or null. */
  public static Instant instant(ResultSet rs, String column) throws SQLException {
    return fromMicros(rs.getLong(column), rs);
  }

  /** As {@link #instant(ResultSet, String)}, for the column at {@code index} (from 1). */
  public static Instant instant(ResultSet rs, int index) throws SQLException {
    return fromMicros(rs.getLong(index), rs);
  }

  private static Instant fromMicros(long m, ResultSet rs) throws SQLException {
    if (rs.wasNull()) {
      return null;
    }
    return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000);
  }

  /**
   * Why a connection could not be opened, from the standard SQLState classes (and SQLite's and
   * MariaDB's codes, which carry no SQLState for these), in words a user can act on. The driver's
   * own text is left out: some drivers repeat the JDBC URL, and a URL may hold a password.
   */
  public static String connectFailure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    int code = e.getErrorCode();
    String why;
    if (state.startsWith("08")) {
      why = "the server could not be reached or refused the connection";
    } else if (state.startsWith("28") || code == 1045) {
      why = "the server refused the user name or password";
    } else if (state.startsWith("3D") || code == 1049 || code == 90146) {
      why = "the database does not exist";
    } else if (code == 14) { // SQLITE_CANTOPEN
      why = "the database file cannot be opened (a missing directory, or no permission)";
    } else if (code == 26) { // SQLITE_NOTADB
      why = "the file is not a SQLite database";
    } else {
      why = "the driver refused the connection";
    }
    return "Cannot connect to the database: " + why + " (SQLState " + (state.isEmpty() ? "none"
        : state) + ", code " + code + ").";
  }

  /** Metadata as JSON text. */
  public static String metadata(Map<String, String> metadata) {
    return MetadataJson.write(metadata);
  }

  /** Metadata from JSON text. */
  public static Map<String, String> readMetadata(String json) {
    return MetadataJson.read(json);
  }

  /** A literal for LIKE ... ESCAPE '!': the three characters LIKE treats specially are escaped. */
  public static String likeLiteral(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** Lower-case hex SHA-256 of UTF-8 text. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex SHA-256. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SQLException behind a Jdbi exception, if any. */
  public static SQLException cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
