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
 * Turns the JMH JSON into the ratios, prints one {@code RATIO name median goal ...} line per ratio,
 * writes the result JSON, draws the list-latency chart, and rewrites the results table in
 * docs/BENCHMARKS.md.
 *
 * <p>Every ratio is computed per round: the members of a group of {@link Interleaved} take turns,
 * one iteration each per round, in one fork, so one round gives one value of each ratio of the
 * group. The ratio reported is the median over all rounds (of every fork), with the lowest and
 * highest round beside it. Benchmarks run on their own (get vault, PostgreSQL, re-encryption) are
 * reported as the median of all their measured iterations, and enter no ratio.
 *
 * <p>Arguments: jmh.json[,more-jmh.json...] footprint.json result.json chart.png BENCHMARKS.md
 */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final String CREATE = "EngineBenchmarks.createCredential[store=";
  private static final String RESOLVE = "EngineBenchmarks.resolve[store=";
  private static final String LIST = "ListBenchmark.listPageAtDepth[n=";
  private static final String READING = "ResolveFromStore.resolveReadingTheStore[store=";

  private Report() {}

  /** Median, lowest and highest of some values. */
  record Spread(double median, double min, double max, int count) {
    static Spread of(List<Double> values) {
      double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = v.length;
      double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      return new Spread(median, v[0], v[n - 1], n);
    }
  }

  /**
   * A ratio: in each round of {@code group}, the sum of the {@code numerator} members' times over
   * the sum of the {@code denominator} members' times. {@code op} {@link #NO_GOAL} marks a ratio
   * reported for information, with no goal.
   */
  record RatioDef(String name, String group, List<String> numerator, List<String> denominator,
      String op, double goal, String meaning) {
    boolean hasGoal() {
      return !op.equals(NO_GOAL);
    }
  }

  /** The {@code op} of a ratio with no goal. */
  static final String NO_GOAL = "none";
  private static final String OAUTH = Interleaved.OAUTH;
  private static final String MANY = Interleaved.MANY;
  private static final String MANY_REFRESHING = Interleaved.MANY_REFRESHING;
  private static final String MANY_WRITING = Interleaved.MANY_WRITING;

  /** A footprint figure of footprint.json with its goal. */
  record FootprintGoal(String key, String op, double goal, String meaning) {}

  static final List<RatioDef> RATIOS = List.of(
      new RatioDef("create_credential_memory_vs_floor", "createMemory",
          List.of(CREATE + "memory]"), List.of("Floors.memoryFloor"), "<=", 1.5,
          "create credential, in-memory / Tink encrypt + ConcurrentSkipListMap put of the same "
              + "row"),
      new RatioDef("create_credential_h2_vs_floor", "createH2",
          List.of(CREATE + "h2file]"), List.of("Floors.jdbcFloor"), "<=", 1.3,
          "create credential, H2 file / raw JDBC insert (prepared once) of the same encrypted row"),
      new RatioDef("create_credential_sqlite_vs_floor", "createSqlite",
          List.of(CREATE + "sqlite]"), List.of("Floors.sqliteFloor"), "<=", 1.3,
          "create credential, SQLite file, synchronous=FULL (the default) / raw JDBC insert "
              + "(prepared once) of the same encrypted row into a SQLite file with the same "
              + "settings"),
      new RatioDef("create_credential_sqlite_normal_vs_floor", "createSqliteNormal",
          List.of(CREATE + "sqlite_normal]"), List.of("Floors.sqliteNormalFloor"), "<=", 1.3,
          "create credential, SQLite file, synchronous=NORMAL / raw JDBC insert (prepared "
              + "once) of the same encrypted row into a SQLite file with the same settings"),
      new RatioDef("list_page_1m_vs_1k_memory", "listMemory",
          List.of(LIST + "1000000][store=memory]"), List.of(LIST + "1000][store=memory]"), "<=",
          1.5, "page of 20 at depth, N = 1,000,000 / N = 1,000, in-memory"),
      new RatioDef("list_page_1m_vs_1k_h2", "listH2",
          List.of(LIST + "1000000][store=h2file]"), List.of(LIST + "1000][store=h2file]"), "<=",
          1.5, "page of 20 at depth, N = 1,000,000 / N = 1,000, H2 file"),
      new RatioDef("list_page_1m_vs_1k_sqlite", "listSqlite",
          List.of(LIST + "1000000][store=sqlite]"), List.of(LIST + "1000][store=sqlite]"), "<=",
          1.5, "page of 20 at depth, N = 1,000,000 / N = 1,000, SQLite file"),
      new RatioDef("resolve_h2_vs_indexed_select", "resolveH2",
          List.of(RESOLVE + "h2file]"), List.of("Floors.indexedSelect"), "<=", 1.5,
          "resolve (hot, a repeated URL), H2 file / raw indexed select"),
      new RatioDef("resolve_h2_store_read_vs_indexed_select", "resolveH2",
          List.of(READING + "h2file]"), List.of("Floors.indexedSelect"), "<=", 1.5,
          "resolve (hot) that reads the H2 file every time (store over the host's own pool) / "
              + "raw indexed select"),
      new RatioDef("resolve_sqlite_vs_indexed_select", "resolveSqlite",
          List.of(RESOLVE + "sqlite]"), List.of("Floors.sqliteIndexedSelect"), "<=", 1.5,
          "resolve (hot, a repeated URL), SQLite file / raw indexed select"),
      new RatioDef("resolve_sqlite_store_read_vs_indexed_select", "resolveSqlite",
          List.of(READING + "sqlite]"), List.of("Floors.sqliteIndexedSelect"), "<=", 1.5,
          "resolve (hot) that reads the SQLite file every time (store over the host's own pool) "
              + "/ raw indexed select"),
      new RatioDef("resolve_memory_vs_map_get_plus_result", "resolveMemory",
          List.of(RESOLVE + "memory]"), List.of("Floors.mapGet", "Floors.resolveResultOnly"),
          "<=", 1.5, "resolve (hot), in-memory / (plain map get + building the result: a token "
              + "copy in a new ResolvedCredential and Optional)"),
      new RatioDef("writes_vs_pkcs12_at_10k", "createH2",
          List.of(Interleaved.PKCS12), List.of(CREATE + "h2file]"), ">=", 100,
          "write rate, H2 file create credential / PKCS12 KeyStore file, 10,000 secrets"),
      new RatioDef("writes_sqlite_vs_pkcs12_at_10k", "createSqlite",
          List.of(Interleaved.PKCS12), List.of(CREATE + "sqlite]"), ">=", 100,
          "write rate, SQLite file (synchronous=FULL, the default) create credential / PKCS12 "
              + "KeyStore file, 10,000 secrets"),
      new RatioDef("writes_sqlite_normal_vs_pkcs12_at_10k", "createSqliteNormal",
          List.of(Interleaved.PKCS12), List.of(CREATE + "sqlite_normal]"), ">=", 100,
          "write rate, SQLite file (synchronous=NORMAL) create credential / PKCS12 KeyStore "
              + "file, 10,000 secrets"),
      // What writes_sqlite_vs_pkcs12_at_10k can reach at best on this disk: the engine's create
      // cannot commit faster than a raw insert of its row with the same fsync.
      new RatioDef("raw_sqlite_insert_vs_pkcs12_at_10k", "createSqlite",
          List.of(Interleaved.PKCS12), List.of("Floors.sqliteFloor"), NO_GOAL, Double.NaN,
          "for information, the ceiling of the SQLite FULL write-rate ratio: write rate of a raw "
              + "insert of the same row (one fsync per commit) / PKCS12 KeyStore file (saved "
              + "without fsync), 10,000 secrets"),
      new RatioDef("resolve_oauth_not_due_vs_static_bearer_memory", "resolveOAuthMemory",
          List.of(OAUTH + "memory]"), List.of(RESOLVE + "memory]"), "<=", 1.1,
          "resolve (hot) of an mcp_oauth credential that is not due (expires in 6 h, refresh "
              + "block, engine with a refresher) / of a static_bearer one, in-memory"),
      new RatioDef("resolve_oauth_not_due_vs_static_bearer_sqlite", "resolveOAuthSqlite",
          List.of(OAUTH + "sqlite]"), List.of(RESOLVE + "sqlite]"), "<=", 1.1,
          "resolve (hot) of an mcp_oauth credential that is not due / of a static_bearer one, "
              + "SQLite file"),
      new RatioDef("resolve_many_sessions_while_refreshing_memory", "resolveManySessionsMemory",
          List.of(MANY_REFRESHING + "memory]"), List.of(MANY + "memory]"), "<=", 1.25,
          "resolve round-robin over 1,000 sessions of 1,000 vaults while other credentials are "
              + "refreshed at 10/s / the same without refreshes (time per op; <= 1.25 is "
              + "throughput >= 80%), in-memory"),
      new RatioDef("resolve_many_sessions_while_refreshing_sqlite", "resolveManySessionsSqlite",
          List.of(MANY_REFRESHING + "sqlite]"), List.of(MANY + "sqlite]"), "<=", 1.25,
          "the same, SQLite file (synchronous=FULL)"),
      new RatioDef("resolve_many_sessions_while_writing_memory", "resolveManySessionsMemory",
          List.of(MANY_WRITING + "memory]"), List.of(MANY + "memory]"), NO_GOAL, Double.NaN,
          "for information: the same resolves while ordinary writes (create vault) run at 10/s "
              + "/ without, in-memory"),
      new RatioDef("resolve_many_sessions_while_writing_sqlite", "resolveManySessionsSqlite",
          List.of(MANY_WRITING + "sqlite]"), List.of(MANY + "sqlite]"), NO_GOAL, Double.NaN,
          "for information: the same, SQLite file"),
      new RatioDef("mcp_tool_call_vault_vs_fixed_header", "mcpToolCall",
          List.of(Interleaved.MCP_VAULT), List.of(Interleaved.MCP_FIXED), "<=", 1.05,
          "MCP tools/call through the SDK's sync client (streamable HTTP, loopback Tomcat), "
              + "token from VaultMcpAuth's request customizer (in-memory engine session) / the "
              + "same call with a fixed Authorization header customizer"),
      new RatioDef("create_with_log_vs_without_memory", "createWithLogMemory",
          List.of(CREATE + "memory]"), List.of(Interleaved.CREATE_NO_LOG + "memory]"), "<=", 1.3,
          "create credential with events and the best-effort audit (the defaults) / with "
              + "events(false).auditMode(OFF), in-memory (issue 17)"),
      new RatioDef("log_work_floor_vs_without_memory", "createWithLogMemory",
          List.of(Interleaved.CREATE_NO_LOG + "memory]", "Floors.memoryLogWork"),
          List.of(Interleaved.CREATE_NO_LOG + "memory]"), NO_GOAL, Double.NaN,
          "for information: (create without the log + what the log must do at least, done "
              + "without the engine: two HMAC-SHA256s, an event and a chained entry kept) / "
              + "create without the log, in-memory: the lowest create_with_log_vs_without_memory "
              + "any engine could reach here"),
      new RatioDef("create_with_log_vs_without_sqlite", "createWithLogSqlite",
          List.of(CREATE + "sqlite]"), List.of(Interleaved.CREATE_NO_LOG + "sqlite]"), "<=", 1.3,
          "the same, SQLite file (synchronous=FULL, the default)"),
      new RatioDef("create_with_log_vs_raw_log_rows_sqlite", "createWithLogSqlite",
          List.of(CREATE + "sqlite]"), List.of("Floors.sqliteFloorWithLogRows"), NO_GOAL,
          Double.NaN, "for information: create with events and audit, SQLite FULL / raw JDBC "
              + "transaction writing the same rows (credential, event, audit, log head)"),
      new RatioDef("raw_log_rows_vs_raw_row_sqlite", "createWithLogSqlite",
          List.of("Floors.sqliteFloorWithLogRows"), List.of("Floors.sqliteFloor"), NO_GOAL,
          Double.NaN, "for information: what SQLite FULL itself charges for a logged create's "
              + "rows: raw transaction of the four writes / raw insert of the credential row"),
      new RatioDef("create_without_log_vs_raw_row_sqlite", "createWithLogSqlite",
          List.of("EventsBenchmarks.createCredentialWithoutLog[store=sqlite]"),
          List.of("Floors.sqliteFloor"), NO_GOAL, Double.NaN, "for information: create with "
              + "events and audit off / raw insert of the same row, SQLite FULL (the goal ratio "
              + "create_credential_sqlite_vs_floor is the default engine's, log on)"),
      new RatioDef("one_log_table_vs_raw_row_sqlite", "createWithLogSqlite",
          List.of("Floors.sqliteFloorWithOneLogTable"), List.of("Floors.sqliteFloor"), NO_GOAL,
          Double.NaN, "for information, a design probe: the credential row plus one row of a "
              + "log kept in one table (event and audit fields, head as its last row) / the "
              + "credential row alone, raw, SQLite FULL"),
      new RatioDef("create_with_log_vs_without_sqlite_normal", "createWithLogSqliteNormal",
          List.of(CREATE + "sqlite_normal]"),
          List.of(Interleaved.CREATE_NO_LOG + "sqlite_normal]"), NO_GOAL, Double.NaN,
          "for information: the same, SQLite file with synchronous=NORMAL (no fsync per commit: "
              + "the log's extra pages and statements without the flush)"),
      new RatioDef("create_with_log_vs_raw_log_rows_sqlite_normal", "createWithLogSqliteNormal",
          List.of(CREATE + "sqlite_normal]"), List.of("Floors.sqliteNormalFloorWithLogRows"),
          NO_GOAL, Double.NaN, "for information: create with events and audit / raw JDBC "
              + "transaction writing the same rows, SQLite NORMAL"),
      new RatioDef("raw_log_rows_vs_raw_row_sqlite_normal", "createWithLogSqliteNormal",
          List.of("Floors.sqliteNormalFloorWithLogRows"), List.of("Floors.sqliteNormalFloor"),
          NO_GOAL, Double.NaN, "for information: what SQLite NORMAL itself charges for a logged "
              + "create's rows: raw transaction of the four writes / raw insert of the credential "
              + "row (the floor of create_credential_sqlite_normal_vs_floor)"),
      new RatioDef("create_without_log_vs_raw_row_sqlite_normal", "createWithLogSqliteNormal",
          List.of(Interleaved.CREATE_NO_LOG + "sqlite_normal]"),
          List.of("Floors.sqliteNormalFloor"), NO_GOAL, Double.NaN, "for information: create "
              + "with events and audit off / raw insert of the same row, SQLite NORMAL"),
      new RatioDef("resolve_first_disclosure_vs_repeated_memory", "resolveDisclosureMemory",
          List.of(Interleaved.FIRST + "memory]"), List.of(RESOLVE + "memory]"), NO_GOAL,
          Double.NaN, "for information: open a session and resolve (first disclosure: one audit "
              + "entry appended) / repeated resolve in a warm session, in-memory"),
      new RatioDef("resolve_first_disclosure_vs_audit_off_memory", "resolveDisclosureMemory",
          List.of(Interleaved.FIRST + "memory]"), List.of(Interleaved.FIRST_AUDIT_OFF + "memory]"),
          NO_GOAL, Double.NaN, "for information: the same first resolve, audit on / audit off "
              + "(what the entry costs), in-memory"),
      new RatioDef("resolve_first_disclosure_vs_repeated_sqlite", "resolveDisclosureSqlite",
          List.of(Interleaved.FIRST + "sqlite]"), List.of(RESOLVE + "sqlite]"), NO_GOAL,
          Double.NaN, "for information: first disclosure / repeated resolve, SQLite file "
              + "(synchronous=FULL: the entry is a commit)"),
      new RatioDef("resolve_first_disclosure_vs_audit_off_sqlite", "resolveDisclosureSqlite",
          List.of(Interleaved.FIRST + "sqlite]"), List.of(Interleaved.FIRST_AUDIT_OFF + "sqlite]"),
          NO_GOAL, Double.NaN, "for information: first resolve, audit on / audit off, SQLite "
              + "file"),
      new RatioDef("resolve_feed_postgres_vs_memory", "resolveFromFeedPostgres",
          List.of(Interleaved.FEED + "postgres]"), List.of(RESOLVE + "memory]"), "<=", 3,
          "repeated resolve on PostgreSQL with resolveFromEventFeed(500 ms), poll 250 ms / "
              + "repeated resolve in-memory (issue 17)"),
      new RatioDef("resolve_postgres_default_vs_memory", "resolveFromFeedPostgres",
          List.of(RESOLVE + "postgres]"), List.of(RESOLVE + "memory]"), NO_GOAL, Double.NaN,
          "for information: repeated resolve on PostgreSQL with the default (reads the database "
              + "every time) / in-memory"));

  static final List<FootprintGoal> FOOTPRINT_GOALS = List.of(
      new FootprintGoal("sqlite_file_bytes_per_credential", "<=", 2048,
          "SQLite file bytes per credential (vault.db, -wal and -shm, store open), 10,000 "
              + "credentials each written in a commit of its own, synchronous=FULL"),
      new FootprintGoal("sqlite_normal_file_bytes_per_credential", "<=", 2048,
          "the same, synchronous=NORMAL"));

  /** Runs the report. */
  public static void main(String[] args) throws Exception {
    List<JsonNode> runs = new ArrayList<>();
    for (String file : args[0].split(",")) {
      if (!file.isBlank() && Files.size(Path.of(file)) > 0) {
        JSON.readTree(Path.of(file).toFile()).forEach(runs::add);
      }
    }
    JsonNode footprint = JSON.readTree(Path.of(args[1]).toFile());

    // Standalone benchmarks: all measured iterations. Groups: one map member -> time per round.
    Map<String, List<Double>> single = new LinkedHashMap<>();
    Map<String, List<Map<String, Double>>> rounds = new LinkedHashMap<>();
    // Single-shot and sampled benchmarks: JMH's median, p99 and maximum (us), over every shot.
    Map<String, double[]> percentiles = new LinkedHashMap<>();
    for (JsonNode run : runs) {
      String name = run.get("benchmark").asText().replace("dev.vaultengine.benchmarks.", "");
      String unit = run.get("primaryMetric").get("scoreUnit").asText();
      double toMicros = unit.startsWith("ms") ? 1000 : unit.startsWith("ns") ? 0.001 : 1;
      if (name.startsWith("Interleaved.")) {
        Interleaved.Group g = Interleaved.group(name.substring("Interleaved.".length()));
        if (g == null) {
          System.err.println("unknown group " + name + ": left out");
          continue;
        }
        int k = g.size();
        List<Map<String, Double>> rs = rounds.computeIfAbsent(g.method(), x -> new ArrayList<>());
        for (JsonNode fork : run.get("primaryMetric").get("rawData")) {
          for (int r = 0; (r + 1) * k <= fork.size(); r++) { // a partial last round is dropped
            Map<String, Double> round = new LinkedHashMap<>();
            for (int i = r * k; i < (r + 1) * k; i++) {
              round.put(g.members().get(Interleaved.memberOf(i, k)),
                  fork.get(i).asDouble() * toMicros);
            }
            rs.add(round);
          }
        }
        continue;
      }
      StringBuilder key = new StringBuilder(name);
      JsonNode params = run.get("params");
      if (params != null) {
        params.fields().forEachRemaining(p -> key.append('[').append(p.getKey()).append('=')
            .append(p.getValue().asText()).append(']'));
      }
      String mode = run.get("mode").asText();
      JsonNode pct = run.get("primaryMetric").get("scorePercentiles");
      if ((mode.equals("ss") || mode.equals("sample")) && pct != null) {
        percentiles.put(key.toString(), new double[] {pct.get("50.0").asDouble() * toMicros,
            pct.get("99.0").asDouble() * toMicros, pct.get("100.0").asDouble() * toMicros});
      }
      List<Double> values = new ArrayList<>();
      for (JsonNode fork : run.get("primaryMetric").get("rawData")) {
        for (JsonNode v : fork) {
          values.add(v.asDouble() * toMicros);
        }
      }
      if (!values.isEmpty()) {
        single.put(key.toString(), values);
      }
    }

    ObjectNode result = JSON.createObjectNode();
    ArrayNode rs = result.putArray("ratios");
    for (RatioDef d : RATIOS) {
      List<Double> perRound = new ArrayList<>();
      for (Map<String, Double> round : rounds.getOrDefault(d.group(), List.of())) {
        Double num = sum(round, d.numerator());
        Double den = sum(round, d.denominator());
        if (num != null && den != null && den > 0) {
          perRound.add(num / den);
        }
      }
      if (perRound.isEmpty()) {
        continue;
      }
      Spread s = Spread.of(perRound);
      String goal = d.hasGoal() ? d.op() + trim(d.goal()) : NO_GOAL;
      System.out.printf(Locale.ROOT, "RATIO %s %.3f %s spread=%.3f-%.3f rounds=%d%n", d.name(),
          s.median(), goal, s.min(), s.max(), s.count());
      ObjectNode r = rs.addObject().put("name", d.name()).put("group", d.group())
          .put("median", round(s.median())).put("min", round(s.min())).put("max", round(s.max()))
          .put("rounds", s.count()).put("goal", goal);
      if (d.hasGoal()) {
        r.put("met", d.op().equals("<=") ? s.median() <= d.goal() : s.median() >= d.goal());
      } else {
        r.putNull("met");
      }
      r.put("meaning", d.meaning());
      ArrayNode values = r.putArray("per_round");
      perRound.forEach(v -> values.add(round(v)));
    }

    // Each member's time per operation over its rounds, and each standalone benchmark's.
    ArrayNode members = result.putArray("interleaved_us_per_op");
    Map<String, Double> medians = new LinkedHashMap<>(); // for the chart
    rounds.forEach((group, list) -> {
      for (String member : Interleaved.group(group).members()) {
        List<Double> values = list.stream().map(m -> m.get(member)).toList();
        if (values.isEmpty()) {
          continue;
        }
        Spread s = Spread.of(values);
        medians.putIfAbsent(member, s.median());
        members.addObject().put("benchmark", member).put("group", group)
            .put("median", round(s.median())).put("min", round(s.min()))
            .put("max", round(s.max())).put("rounds", s.count());
      }
    });
    ArrayNode singles = result.putArray("single_us_per_op");
    single.forEach((k, values) -> {
      Spread s = Spread.of(values);
      medians.putIfAbsent(k, s.median());
      singles.addObject().put("benchmark", k).put("median", round(s.median()))
          .put("min", round(s.min())).put("max", round(s.max())).put("iterations", s.count());
    });

    ArrayNode latencies = result.putArray("latency_percentiles_ms");
    percentiles.forEach((k, p) -> {
      System.out.printf(Locale.ROOT, "LATENCY %s median=%.3f ms p99=%.3f ms max=%.3f ms%n", k,
          p[0] / 1000, p[1] / 1000, p[2] / 1000);
      latencies.addObject().put("benchmark", k).put("median", round(p[0] / 1000))
          .put("p99", round(p[1] / 1000)).put("max", round(p[2] / 1000))
          .put("shots", single.getOrDefault(k, List.of()).size());
    });

    result.set("footprint", footprint);
    ArrayNode fg = result.putArray("footprint_goals");
    for (FootprintGoal f : FOOTPRINT_GOALS) {
      if (footprint.has(f.key())) {
        double v = footprint.get(f.key()).asDouble();
        boolean met = f.op().equals("<=") ? v <= f.goal() : v >= f.goal();
        System.out.printf(Locale.ROOT, "FOOTPRINT %s %.0f %s%s%n", f.key(), v, f.op(),
            trim(f.goal()));
        fg.addObject().put("name", f.key()).put("measured", Math.round(v))
            .put("goal", f.op() + trim(f.goal())).put("met", met).put("meaning", f.meaning());
      }
    }
    ObjectNode reencrypt = result.putObject("reencrypt_tokens_per_second");
    for (String store : List.of("memory", "h2file", "sqlite")) {
      Double us = medians.get("ReencryptBenchmark.reencryptAll[store=" + store + "]");
      if (us != null) {
        reencrypt.put(store, Math.round(ReencryptBenchmark.TOKENS / (us / 1e6)));
      }
    }
    Files.writeString(Path.of(args[2]), JSON.writeValueAsString(result));
    chart(medians, Path.of(args[3]));
    table(result, Path.of(args[4]));
  }

  /** The sum of {@code names} in {@code round}, or null if one is missing. */
  private static Double sum(Map<String, Double> round, List<String> names) {
    double s = 0;
    for (String n : names) {
      Double v = round.get(n);
      if (v == null) {
        return null;
      }
      s += v;
    }
    return s;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * List-page latency against N, one line per store, both axes on a log scale (the stores' pages
   * cost from under a microsecond to milliseconds).
   */
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
    String[] stores = {"memory", "h2file", "sqlite"};
    Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
    double max = 0;
    double min = Double.MAX_VALUE;
    for (String s : stores) {
      for (int n : ns) {
        Double v = medians.get("ListBenchmark.listPageAtDepth[n=" + n + "][store=" + s + "]");
        if (v != null && v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    // Whole decades from below the lowest to above the highest value.
    int lowDecade = max == 0 ? -1 : (int) Math.floor(Math.log10(min));
    int highDecade = max == 0 ? 1 : (int) Math.ceil(Math.log10(max));
    if (highDecade <= lowDecade) {
      highDecade = lowDecade + 1;
    }
    int low = lowDecade;
    int decades = highDecade - lowDecade;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("List a page of 20 at depth: median latency vs records stored", left, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    for (int i = 0; i <= decades; i++) {
      int y = bottom - (bottom - top) * i / decades;
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, y, right, y);
      g.setColor(Color.BLACK);
      double label = Math.pow(10, low + i);
      g.drawString(label < 1 ? String.format(Locale.ROOT, "%s", label)
          : String.format(Locale.ROOT, "%,d", (long) label), 10, y + 4);
    }
    g.drawString("microseconds per page (log scale)", 10, top - 10);
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
        Double v = medians.get("ListBenchmark.listPageAtDepth[n=" + ns[i] + "][store="
            + stores[s] + "]");
        if (v == null) {
          continue;
        }
        int x = left + 40 + (right - left - 80) * i / (ns.length - 1);
        int y = bottom - (int) ((bottom - top) * (Math.log10(v) - low) / decades);
        g.fillOval(x - 4, y - 4, 8, 8);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.fillRect(right - 150, top + 10 + s * 20, 14, 4);
      g.drawString(switch (stores[s]) {
        case "memory" -> "in-memory store";
        case "h2file" -> "H2 file store";
        default -> "SQLite file store";
      }, right - 130, top + 16 + s * 20);
    }
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  /** Rewrites the part of BENCHMARKS.md between the results markers. */
  private static void table(ObjectNode result, Path md) throws Exception {
    StringBuilder t = new StringBuilder();
    t.append("| ratio | median over rounds | spread (lowest-highest round) | rounds | goal | met "
        + "| what it compares |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    for (JsonNode r : result.get("ratios")) {
      t.append(String.format(Locale.ROOT, "| `%s` | %.3f | %.3f-%.3f | %d | %s | %s | %s |%n",
          r.get("name").asText(), r.get("median").asDouble(), r.get("min").asDouble(),
          r.get("max").asDouble(), r.get("rounds").asInt(), r.get("goal").asText(),
          r.get("met").isNull() ? "-" : r.get("met").asBoolean() ? "yes" : "**no**",
          r.get("meaning").asText()));
    }
    if (!result.get("footprint_goals").isEmpty()) {
      t.append("\n| footprint | measured | goal | met | what it is |\n|---|---|---|---|---|\n");
      for (JsonNode f : result.get("footprint_goals")) {
        t.append(String.format(Locale.ROOT, "| `%s` | %d | %s | %s | %s |%n",
            f.get("name").asText(), f.get("measured").asLong(), f.get("goal").asText(),
            f.get("met").asBoolean() ? "yes" : "**no**", f.get("meaning").asText()));
      }
    }
    t.append("\n| benchmark | measured in | median µs/op | lowest-highest |\n|---|---|---|---|\n");
    for (JsonNode m : result.get("interleaved_us_per_op")) {
      t.append(String.format(Locale.ROOT, "| `%s` | group `%s`, %d rounds | %.3f | %.3f-%.3f |%n",
          m.get("benchmark").asText(), m.get("group").asText(), m.get("rounds").asInt(),
          m.get("median").asDouble(), m.get("min").asDouble(), m.get("max").asDouble()));
    }
    for (JsonNode m : result.get("single_us_per_op")) {
      int n = m.get("iterations").asInt();
      t.append(String.format(Locale.ROOT, "| `%s` | on its own, %d iteration%s | %.3f | %.3f-%.3f "
          + "|%n", m.get("benchmark").asText(), n, n == 1 ? "" : "s",
          m.get("median").asDouble(), m.get("min").asDouble(), m.get("max").asDouble()));
    }
    if (!result.get("latency_percentiles_ms").isEmpty()) {
      t.append("\n| benchmark (one shot each) | shots | median ms | p99 ms | max ms |\n"
          + "|---|---|---|---|---|\n");
      for (JsonNode m : result.get("latency_percentiles_ms")) {
        t.append(String.format(Locale.ROOT, "| `%s` | %d | %.3f | %.3f | %.3f |%n",
            m.get("benchmark").asText(), m.get("shots").asInt(), m.get("median").asDouble(),
            m.get("p99").asDouble(), m.get("max").asDouble()));
      }
    }
    JsonNode f = result.get("footprint");
    t.append(String.format(Locale.ROOT, "%nHeap bytes per credential (in-memory store): %s. "
        + "H2 file bytes per credential: %s (%s credentials).%n",
        f.get("memory_heap_bytes_per_credential"), f.get("h2_file_bytes_per_credential"),
        f.get("credentials")));
    if (f.has("sqlite_file_bytes_per_credential")) {
      t.append(String.format(Locale.ROOT, "SQLite file bytes per credential after %s credentials "
          + "written one commit each (vault.db, -wal and -shm): %s with synchronous=FULL, %s with "
          + "NORMAL while the store is open; %s and %s once it is closed.%n",
          f.get("sqlite_credentials"), f.get("sqlite_file_bytes_per_credential"),
          f.get("sqlite_normal_file_bytes_per_credential"),
          f.get("sqlite_closed_file_bytes_per_credential"),
          f.get("sqlite_normal_closed_file_bytes_per_credential")));
    }
    JsonNode re = result.get("reencrypt_tokens_per_second");
    if (!re.isEmpty()) {
      List<String> parts = new ArrayList<>();
      re.fields().forEachRemaining(e -> parts.add(e.getValue() + " tokens/s (" + switch (e.getKey()) {
        case "memory" -> "in-memory";
        case "h2file" -> "H2 file";
        default -> "SQLite file";
      } + ")"));
      t.append("Re-encryption after a data-key rotation: ").append(String.join(", ", parts))
          .append(".\n");
    }
    String doc = Files.exists(md) ? Files.readString(md) : "";
    String start = "<!-- results:start -->";
    String end = "<!-- results:end -->";
    int a = doc.indexOf(start);
    int b = doc.indexOf(end);
    if (a >= 0 && b > a) {
      doc = doc.substring(0, a + start.length()) + "\n" + t + doc.substring(b);
      Files.writeString(md, doc);
      System.out.println("table written to " + md);
    } else {
      System.out.println("no results markers in " + md + ": table not written");
    }
  }
}
