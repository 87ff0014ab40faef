package dev.vaultengine.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Turns the JMH JSON into the ratios (medians of all measured iterations, each against its
 * baseline from the same run), prints one {@code RATIO name measured goal} line per ratio, writes
 * the result JSON, draws the list-latency chart, and rewrites the results table in
 * docs/BENCHMARKS.md.
 *
 * <p>Arguments: jmh.json[,more-jmh.json...] footprint.json result.json chart.png BENCHMARKS.md
 */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  /** One ratio against its goal. */
  record Ratio(String name, double measured, String op, double goal, String meaning) {
    boolean met() {
      return op.equals("<=") ? measured <= goal : measured >= goal;
    }
  }

  /** Runs the report. */
  public static void main(String[] args) throws Exception {
    List<JsonNode> runs = new ArrayList<>();
    for (String file : args[0].split(",")) {
      JSON.readTree(Path.of(file).toFile()).forEach(runs::add);
    }
    JsonNode footprint = JSON.readTree(Path.of(args[1]).toFile());
    Map<String, Double> medians = new LinkedHashMap<>(); // benchmark[params] -> median µs/op
    for (JsonNode run : runs) {
      String name = run.get("benchmark").asText().replace("dev.vaultengine.benchmarks.", "");
      StringBuilder key = new StringBuilder(name);
      JsonNode params = run.get("params");
      if (params != null) {
        params.fields().forEachRemaining(p -> key.append('[').append(p.getKey()).append('=')
            .append(p.getValue().asText()).append(']'));
      }
      List<Double> values = new ArrayList<>();
      for (JsonNode fork : run.get("primaryMetric").get("rawData")) {
        for (JsonNode v : fork) {
          values.add(v.asDouble());
        }
      }
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
      String unit = run.get("primaryMetric").get("scoreUnit").asText();
      double toMicros = unit.startsWith("ms") ? 1000 : 1;
      medians.put(key.toString(), median * toMicros);
    }

    List<Ratio> ratios = new ArrayList<>();
    ratio(ratios, medians, "create_credential_memory_vs_floor",
        "EngineBenchmarks.createCredential[store=memory]", "Floors.memoryFloor", "<=", 1.5,
        "create credential, in-memory / Tink encrypt + ConcurrentSkipListMap put of the same row");
    ratio(ratios, medians, "create_credential_h2_vs_floor",
        "EngineBenchmarks.createCredential[store=h2file]", "Floors.jdbcFloor", "<=", 1.3,
        "create credential, H2 file / raw Jdbi insert of the same encrypted row");
    ratio(ratios, medians, "list_page_1m_vs_1k_memory",
        "ListBenchmark.listPageAtDepth[n=1000000][store=memory]",
        "ListBenchmark.listPageAtDepth[n=1000][store=memory]", "<=", 1.5,
        "page of 20 at depth, N = 1,000,000 / N = 1,000, in-memory");
    ratio(ratios, medians, "list_page_1m_vs_1k_h2",
        "ListBenchmark.listPageAtDepth[n=1000000][store=h2file]",
        "ListBenchmark.listPageAtDepth[n=1000][store=h2file]", "<=", 1.5,
        "page of 20 at depth, N = 1,000,000 / N = 1,000, H2 file");
    ratio(ratios, medians, "resolve_h2_vs_indexed_select",
        "EngineBenchmarks.resolve[store=h2file]", "Floors.indexedSelect", "<=", 1.5,
        "resolve (hot, a repeated URL), H2 file / raw indexed select");
    ratio(ratios, medians, "resolve_h2_store_read_vs_indexed_select",
        "ResolveFromStore.resolveReadingTheStore", "Floors.indexedSelect", "<=", 1.5,
        "resolve (hot) that reads the H2 file every time (store over the host's own pool) / raw "
            + "indexed select");
    ratio(ratios, medians, "resolve_memory_vs_map_get",
        "EngineBenchmarks.resolve[store=memory]", "Floors.mapGet", "<=", 3.0,
        "resolve (hot), in-memory / plain map get");
    Double peer = get(medians, "Pkcs12Peer.pkcs12Write");
    Double ours = get(medians, "EngineBenchmarks.createCredential[store=h2file]");
    if (peer != null && ours != null) {
      ratios.add(new Ratio("writes_vs_pkcs12_at_10k", peer / ours, ">=", 100,
          "write rate, H2 file create credential / PKCS12 KeyStore file, 10,000 secrets"));
    }

    ObjectNode result = JSON.createObjectNode();
    ObjectNode m = result.putObject("medians_us_per_op");
    medians.forEach((k, v) -> m.put(k, round(v)));
    ArrayNode rs = result.putArray("ratios");
    for (Ratio r : ratios) {
      System.out.printf(Locale.ROOT, "RATIO %s %.3f %s%s%n", r.name(), r.measured(), r.op(),
          trim(r.goal()));
      rs.addObject().put("name", r.name()).put("measured", round(r.measured()))
          .put("goal", r.op() + trim(r.goal())).put("met", r.met()).put("meaning", r.meaning());
    }
    result.set("footprint", footprint);
    Double reencrypt = get(medians, "ReencryptBenchmark.reencryptAll[store=h2file]");
    Double reencryptMem = get(medians, "ReencryptBenchmark.reencryptAll[store=memory]");
    if (reencrypt != null && reencryptMem != null) {
      result.put("reencrypt_tokens_per_second_h2file", Math.round(2000 / (reencrypt / 1e6)));
      result.put("reencrypt_tokens_per_second_memory", Math.round(2000 / (reencryptMem / 1e6)));
    }
    Files.writeString(Path.of(args[2]), JSON.writeValueAsString(result));
    chart(medians, Path.of(args[3]));
    table(result, medians, Path.of(args[4]));
  }

  private static Double get(Map<String, Double> medians, String key) {
    return medians.get(key);
  }

  private static void ratio(List<Ratio> out, Map<String, Double> medians, String name,
      String measured, String baseline, String op, double goal, String meaning) {
    Double a = get(medians, measured);
    Double b = get(medians, baseline);
    if (a != null && b != null) {
      out.add(new Ratio(name, a / b, op, goal, meaning));
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** List-page latency against N, log scale on x, one line per store. */
  private static void chart(Map<String, Double> medians, Path png) throws Exception {
    int w = 720;
    int h = 420;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int left = 80;
    int right = w - 30;
    int top = 50;
    int bottom = h - 60;
    int[] ns = {1000, 100000, 1000000};
    String[] stores = {"memory", "h2file"};
    Color[] colors = {new Color(0x1f77b4), new Color(0xd62728)};
    double max = 0;
    for (String s : stores) {
      for (int n : ns) {
        Double v = get(medians, "ListBenchmark.listPageAtDepth[n=" + n + "][store=" + s + "]");
        max = Math.max(max, v == null ? 0 : v);
      }
    }
    max = max == 0 ? 1 : max * 1.15;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("List a page of 20 at depth: median latency vs records stored", left, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    for (int i = 0; i <= 4; i++) {
      int y = bottom - (bottom - top) * i / 4;
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, y, right, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.1f", max * i / 4), 30, y + 4);
    }
    g.drawString("microseconds per page", 10, top - 10);
    for (int i = 0; i < ns.length; i++) {
      int x = left + 40 + (right - left - 80) * i / (ns.length - 1);
      g.drawString(String.format(Locale.ROOT, "N = %,d", ns[i]), x - 30, bottom + 20);
    }
    g.drawString("records stored (log scale)", (left + right) / 2 - 70, bottom + 42);
    for (int s = 0; s < stores.length; s++) {
      g.setColor(colors[s]);
      g.setStroke(new BasicStroke(2.5f));
      int px = -1;
      int py = -1;
      for (int i = 0; i < ns.length; i++) {
        Double v = get(medians, "ListBenchmark.listPageAtDepth[n=" + ns[i] + "][store="
            + stores[s] + "]");
        if (v == null) {
          continue;
        }
        int x = left + 40 + (right - left - 80) * i / (ns.length - 1);
        int y = bottom - (int) ((bottom - top) * v / max);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.fillRect(right - 150, top + 10 + s * 20, 14, 4);
      g.drawString(stores[s].equals("memory") ? "in-memory store" : "H2 file store",
          right - 130, top + 16 + s * 20);
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  /** Rewrites the part of BENCHMARKS.md between the results markers. */
  private static void table(ObjectNode result, Map<String, Double> medians, Path md)
      throws Exception {
    StringBuilder t = new StringBuilder();
    t.append("| ratio | measured (median) | goal | met | what it compares |\n");
    t.append("|---|---|---|---|---|\n");
    for (JsonNode r : result.get("ratios")) {
      t.append(String.format(Locale.ROOT, "| `%s` | %.3f | %s | %s | %s |%n",
          r.get("name").asText(), r.get("measured").asDouble(), r.get("goal").asText(),
          r.get("met").asBoolean() ? "yes" : "**no**", r.get("meaning").asText()));
    }
    t.append("\n| benchmark | median µs/op |\n|---|---|\n");
    medians.forEach((k, v) -> t.append(String.format(Locale.ROOT, "| `%s` | %.3f |%n", k, v)));
    JsonNode f = result.get("footprint");
    t.append(String.format(Locale.ROOT, "%nHeap bytes per credential (in-memory store): %s. "
        + "H2 file bytes per credential: %s (%s credentials).%n",
        f.get("memory_heap_bytes_per_credential"), f.get("h2_file_bytes_per_credential"),
        f.get("credentials")));
    if (result.has("reencrypt_tokens_per_second_h2file")) {
      t.append(String.format(Locale.ROOT, "Re-encryption after a data-key rotation: %s tokens/s "
          + "(H2 file), %s tokens/s (in-memory).%n",
          result.get("reencrypt_tokens_per_second_h2file"),
          result.get("reencrypt_tokens_per_second_memory")));
    }
    String doc = Files.exists(md) ? Files.readString(md) : "";
    String start = "<!-- results:start -->";
    String end = "<!-- results:end -->";
    int a = doc.indexOf(start);
    int b = doc.indexOf(end);
    if (a >= 0 && b > a) {
      doc = doc.substring(0, a + start.length()) + "\n" + t + doc.substring(b);
      Files.writeString(md, doc);
    }
    System.out.println("table written to " + md);
  }
}
