package dev.vaultengine.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The vault and credential tables as raw rows, for copying a store to another database exactly as
 * stored: every column (the folded names, the URL hash, every secret's ciphertext and key id) is
 * read and written as it is, nothing is recomputed or decrypted. Statements use the store's
 * {@code <prefix>} define, like {@link Statements}.
 */
public final class CopyRows {
  private CopyRows() {}

  /** What a column holds: text, a fixed-width id or hash, a BIGINT, an INTEGER or bytes. */
  private enum Kind {
    TEXT(String.class), CHAR(String.class), BIGINT(Long.class), INTEGER(Integer.class),
    BYTES(byte[].class);

    final Class<?> javaType;

    Kind(Class<?> javaType) {
      this.javaType = javaType;
    }
  }

  /** A copied table, its columns in order (the id first) and its statements. */
  public enum Table {
    VAULTS("vaults", new String[] {"id", "account_id", "display_name", "name_folded", "metadata",
        "status", "archived_at", "created_at", "updated_at"},
        new Kind[] {Kind.CHAR, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.BIGINT,
            Kind.BIGINT, Kind.BIGINT}),
    CREDENTIALS("credentials", new String[] {"id", "account_id", "vault_id", "mcp_server_url",
        "url_key", "url_folded", "active_url_hash", "protocol", "type", "status", "archived_at",
        "created_at", "updated_at", "token_key_id", "token", "display_name", "name_folded",
        "metadata", "expires_at", "details", "refresh_token", "client_secret"},
        new Kind[] {Kind.CHAR, Kind.TEXT, Kind.CHAR, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.CHAR,
            Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.BIGINT, Kind.BIGINT, Kind.BIGINT, Kind.INTEGER,
            Kind.BYTES, Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.BIGINT, Kind.TEXT, Kind.BYTES,
            Kind.BYTES});

    private final String[] columns;
    private final Kind[] kinds;
    private final String page;
    private final String byIds;
    private final String insert;
    private final String update;
    private final String count;
    private final String countsByAccount;

    Table(String name, String[] columns, Kind[] kinds) {
      this.columns = columns;
      this.kinds = kinds;
      String list = String.join(", ", columns);
      String table = "<prefix>" + name;
      this.page = "SELECT " + list + " FROM " + table + " WHERE id > :after ORDER BY id LIMIT :limit";
      this.byIds = "SELECT " + list + " FROM " + table + " WHERE id IN (<ids>)";
      StringBuilder values = new StringBuilder();
      StringBuilder sets = new StringBuilder();
      for (int i = 0; i < columns.length; i++) {
        values.append(i == 0 ? "" : ", ").append(":c").append(i);
        if (i > 0) {
          sets.append(i == 1 ? "" : ", ").append(columns[i]).append(" = :c").append(i);
        }
      }
      this.insert = "INSERT INTO " + table + " (" + list + ") VALUES (" + values + ")";
      this.update = "UPDATE " + table + " SET " + sets + " WHERE id = :c0";
      this.count = "SELECT COUNT(*) FROM " + table;
      // Per account: rows, and rows holding a token, a refresh token and a client secret (always
      // 0 for vaults).
      this.countsByAccount = "SELECT account_id, COUNT(*), "
          + (name.equals("credentials") ? "SUM(CASE WHEN token IS NULL THEN 0 ELSE 1 END), "
              + "SUM(CASE WHEN refresh_token IS NULL THEN 0 ELSE 1 END), "
              + "SUM(CASE WHEN client_secret IS NULL THEN 0 ELSE 1 END)" : "0, 0, 0")
          + " FROM " + table + " GROUP BY account_id";
    }

    /** How many columns a row of this table has. */
    public int width() {
      return columns.length;
    }

    /** The index of {@code column}. */
    public int column(String column) {
      int i = Arrays.asList(columns).indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException(column);
      }
      return i;
    }
  }

  /**
   * One row, its values in column order: a String, Long, Integer or byte[], or null. Fixed-width
   * columns are read without trailing blanks, so a row compares equal across databases that pad
   * {@code CHAR} values and those that do not.
   */
  public static final class Row {
    private final Object[] values;

    Row(Object[] values) {
      this.values = values;
    }

    /** The row's id. */
    public String id() {
      return (String) values[0];
    }

    /** The value of column {@code index}. */
    public Object get(int index) {
      return values[index];
    }

    /** The value of a text column. */
    public String text(int index) {
      return (String) values[index];
    }

    /** The value of a BIGINT column, or null. */
    public Long bigint(int index) {
      return (Long) values[index];
    }

    /** True when both rows hold exactly the same values (bytes compared by content). */
    public boolean sameAs(Row other) {
      return Arrays.deepEquals(values, other.values);
    }

    /** The id only: a row holds ciphertext and names, which have no business in a log line. */
    @Override
    public String toString() {
      return "Row[" + id() + "]";
    }
  }

  /** Up to {@code limit} rows in id order after {@code after} ("" for the start). */
  public static List<Row> page(Handle h, Table t, String after, int limit) {
    return h.createQuery(t.page).bind("after", after).bind("limit", limit)
        .map((rs, ctx) -> read(rs, t)).list();
  }

  /** The rows of {@code ids} that exist, by id. */
  public static Map<String, Row> byIds(Handle h, Table t, Collection<String> ids) {
    Map<String, Row> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    h.createQuery(t.byIds).bindList("ids", new ArrayList<>(ids)).map((rs, ctx) -> read(rs, t))
        .forEach(r -> out.put(r.id(), r));
    return out;
  }

  /** Inserts {@code rows} as they are. */
  public static void insert(Handle h, Table t, List<Row> rows) {
    write(h.prepareBatch(t.insert), t, rows);
  }

  /** Overwrites every column of the rows with these ids. */
  public static void update(Handle h, Table t, List<Row> rows) {
    write(h.prepareBatch(t.update), t, rows);
  }

  /** The number of rows. */
  public static long count(Handle h, Table t) {
    return h.createQuery(t.count).mapTo(Long.class).one();
  }

  /**
   * Per account: {rows, rows holding a token, a refresh token, a client secret}, sorted by
   * account.
   */
  public static Map<String, List<Long>> countsByAccount(Handle h, Table t) {
    Map<String, List<Long>> out = new TreeMap<>();
    h.createQuery(t.countsByAccount)
        .map((rs, ctx) -> Map.entry(rs.getString(1),
            List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static void write(PreparedBatch batch, Table t, List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    for (Row row : rows) {
      for (int i = 0; i < t.columns.length; i++) {
        // Typed, so that a null in one row and a value in the next bind alike in one batch.
        batch.bindByType("c" + i, row.values[i], t.kinds[i].javaType);
      }
      batch.add();
    }
    batch.execute();
  }

  private static Row read(ResultSet rs, Table t) throws SQLException {
    Object[] values = new Object[t.columns.length];
    for (int i = 0; i < values.length; i++) {
      int c = i + 1;
      values[i] = switch (t.kinds[i]) {
        case TEXT -> rs.getString(c);
        case CHAR -> {
          String s = rs.getString(c);
          yield s == null ? null : s.stripTrailing();
        }
        case BIGINT -> {
          long v = rs.getLong(c);
          yield rs.wasNull() ? null : v;
        }
        case INTEGER -> {
          int v = rs.getInt(c);
          yield rs.wasNull() ? null : v;
        }
        case BYTES -> rs.getBytes(c);
      };
    }
    return new Row(values);
  }
}
