package dev.vaultengine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code --output table} view for people: aligned columns for lists, fields for objects. */
final class Output {
  /** Output formats. */
  enum Format {
    /** The seeds' JSON. */
    JSON,
    /** Aligned columns. */
    TABLE
  }

  private Output() {}

  static String table(JsonNode node) {
    if (node.has("data") && node.get("data").isArray()) {
      return rows(node.get("data")) + "\nfirst_id: " + text(node.get("first_id"))
          + "  last_id: " + text(node.get("last_id")) + "  has_more: " + node.get("has_more");
    }
    StringBuilder b = new StringBuilder();
    int width = 0;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      width = Math.max(width, it.next().length());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      b.append(pad(e.getKey(), width)).append("  ").append(text(e.getValue())).append('\n');
    }
    return b.toString().stripTrailing();
  }

  /** Scalar columns of the rows, in first-seen order, padded to the widest cell. */
  private static String rows(JsonNode rows) {
    Set<String> columns = new LinkedHashSet<>();
    for (JsonNode row : rows) {
      row.fields().forEachRemaining(e -> {
        if (e.getValue().isValueNode()) {
          columns.add(e.getKey());
        }
      });
    }
    List<String> cols = new ArrayList<>(columns);
    int[] width = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      width[i] = cols.get(i).length();
      for (JsonNode row : rows) {
        width[i] = Math.max(width[i], text(row.get(cols.get(i))).length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      b.append(pad(cols.get(i).toUpperCase(java.util.Locale.ROOT), width[i])).append("  ");
    }
    b.append('\n');
    for (JsonNode row : rows) {
      for (int i = 0; i < cols.size(); i++) {
        b.append(pad(text(row.get(cols.get(i))), width[i])).append("  ");
      }
      b.append('\n');
    }
    return b.toString().stripTrailing();
  }

  private static String text(JsonNode n) {
    if (n == null || n.isNull()) {
      return "-";
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
