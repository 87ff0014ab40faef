import dev.vaultengine.*;
import dev.vaultengine.jdbc.EmbeddedStores;
import dev.vaultengine.jdbc.Durability;
import java.nio.file.*;
import java.sql.*;
import java.util.*;

/**
 * Hand-run diagnosis (issue 13, session 9), not a JMH benchmark: where a SQLite create's time
 * goes beyond a raw insert. Four members take turns 100 operations at a time in one JVM (order
 * reversed every other block), each on a file of its own with the same durability:
 * <ul>
 *   <li>memengine+raw: an in-memory engine's create followed by a raw insert (the create is also
 *       timed alone: what the engine's code costs when SQLite ran just before it);</li>
 *   <li>engine: the engine's create with events and audit off, its store's insertCredential timed
 *       through a proxy (what is left is the time outside the store);</li>
 *   <li>raw-big: a raw JDBC insert of a row of the engine's sizes, prepared once;</li>
 *   <li>store-direct: the store's insertCredential called directly with a prepared row.</li>
 * </ul>
 * Prints the median per operation of each member over the blocks:
 *
 * <pre>javac -cp benchmarks/target/benchmarks.jar -d /tmp/probe benchmarks/probes/CreateShares.java
 * java -cp benchmarks/target/benchmarks.jar:/tmp/probe CreateShares normal 60</pre>
 */
public class CreateShares {
  static long inStore, inserts, lastStore; static long[] outside = new long[2_000_000]; static int nOut;
  static VaultService v; static String vault; static int k;
  public static void main(String[] a) throws Exception {
    boolean full = !a[0].equals("normal");
    int blocks = Integer.parseInt(a[1]);
    Path d1 = Files.createTempDirectory("cmp-e");
    dev.vaultengine.spi.VaultStore realStore = full ? EmbeddedStores.sqlite(d1)
        : EmbeddedStores.sqlite(d1, Durability.SURVIVES_PROCESS_KILL);
    dev.vaultengine.spi.VaultStore timed = (dev.vaultengine.spi.VaultStore) java.lang.reflect.Proxy.newProxyInstance(CreateShares.class.getClassLoader(), new Class<?>[] {dev.vaultengine.spi.VaultStore.class}, (px, m, args) -> {
      long s0 = System.nanoTime();
      try { return m.invoke(realStore, args); } catch (java.lang.reflect.InvocationTargetException x) { throw x.getCause(); }
      finally { if (m.getName().equals("insertCredential")) { lastStore = System.nanoTime() - s0; inStore += lastStore; inserts++; } }
    });
    VaultEngine e = VaultEngine.builder().store(timed)
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(d1.resolve("kek.json")))
        .events(false).auditMode(AuditMode.OFF).build();
    v = e.forAccount("bench");
    vault = v.createVault(CreateVaultRequest.builder().displayName("t").addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://t.example/mcp").protocol(Protocol.SSE).accessToken("tok_x").build()).build()).vault().id();
    Raw big = new Raw(full, true, false);
    Path d3 = Files.createTempDirectory("cmp-s");
    store = full ? EmbeddedStores.sqlite(d3) : EmbeddedStores.sqlite(d3, Durability.SURVIVES_PROCESS_KILL);
    java.time.Instant i0 = java.time.Instant.now();
    store.insertVault(new dev.vaultengine.spi.VaultRow("bench", "vault_01a208ffaad77bb49854a46b5cbd8e9d", "t", Map.of(), Status.ACTIVE, null, i0, i0), List.of(), dev.vaultengine.spi.Journal.NONE);
    VaultEngine me = VaultEngine.builder().store(new dev.vaultengine.memory.InMemoryVaultStore()).keyEncryptionKey(KeyEncryptionKey.localKeysetFile(d1.resolve("kek2.json"))).events(false).auditMode(AuditMode.OFF).build();
    VaultService mv = me.forAccount("bench");
    String mvault = mv.createVault(CreateVaultRequest.builder().displayName("t").addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://t.example/mcp").protocol(Protocol.SSE).accessToken("tok_x").build()).build()).vault().id();
    long[] memAlone = new long[1_000_000]; int[] nm = {0};
    Runnable memThenRaw = () -> { long a0 = System.nanoTime(); mv.createCredential(mvault, CreateCredentialRequest.builder().mcpServerUrl("https://s" + (k++) + ".example/mcp").protocol(Protocol.SSE).accessToken("tok_benchmark_0123456789abcdefghijklmnopqrstuv").build()); memAlone[nm[0]++] = System.nanoTime() - a0; big.run(); };
    Runnable[] ops = {memThenRaw, () -> { long a0 = System.nanoTime(); eng(); outside[nOut++] = System.nanoTime() - a0 - lastStore; }, big::run, CreateShares::direct};
    String[] names = {"memengine+raw", "engine", "raw-big", "store-direct"};
    for (int i = 0; i < 500; i++) for (Runnable r : ops) r.run();
    double[][] t = new double[ops.length][blocks];
    inStore = 0; inserts = 0; long engTotal = 0; nOut = 0;
    for (int b = 0; b < blocks; b++) {
      for (int o = 0; o < ops.length; o++) {
        int oo = (b % 2 == 0) ? o : ops.length - 1 - o;
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) ops[oo].run();
        t[oo][b] = (System.nanoTime() - t0) / 100e3;
        if (oo == 1) engTotal += System.nanoTime() - t0;
      }
    }
    StringBuilder sb = new StringBuilder(a[0] + String.format(" [engine mean %.1f us, its store.insertCredential mean %.1f us over %d]", engTotal / 1e3 / inserts, inStore / 1e3 / inserts, inserts));
    for (int o = 0; o < ops.length; o++) { Arrays.sort(t[o]); sb.append(String.format("  %s %.1f", names[o], t[o][blocks/2])); }
    long[] mm = Arrays.copyOf(memAlone, nm[0]); Arrays.sort(mm); long[] mw = Arrays.copyOf(mm, mm.length);
    sb.append(String.format("  [memory engine create between raw inserts: median %.1f us]", mm[mm.length/2]/1e3));
    long[] o = Arrays.copyOf(outside, nOut); Arrays.sort(o);
    sb.append(String.format("  [outside the store: p10 %.1f median %.1f p90 %.1f mean %.1f]", o[nOut/10]/1e3, o[nOut/2]/1e3, o[nOut*9/10]/1e3, Arrays.stream(o).average().getAsDouble()/1e3));
    System.out.println(sb);
    e.close();
  }
  static dev.vaultengine.spi.VaultStore store; static int m;
  static void direct() {
    m++; String url = "https://svc" + m + ".example/mcp";
    java.time.Instant now = java.time.Instant.now();
    var row = new dev.vaultengine.spi.CredentialRow("bench", String.format("vcred_01a2%028x", System.nanoTime()), "vault_01a208ffaad77bb49854a46b5cbd8e9d", url,
      new CredentialKind.StaticBearer(url, Protocol.SSE), null, Map.of(), Status.ACTIVE, null, now, now,
      new dev.vaultengine.spi.EncryptedSecrets(new dev.vaultengine.spi.EncryptedToken(1002210150, new byte[79]), null, null));
    if (store.insertCredential(row, dev.vaultengine.spi.Journal.NONE) != dev.vaultengine.spi.WriteOutcome.OK) throw new IllegalStateException();
  }
  static void eng() {
    v.createCredential(vault, CreateCredentialRequest.builder().mcpServerUrl("https://s" + (k++) + ".example/mcp").protocol(Protocol.SSE).accessToken("tok_benchmark_0123456789abcdefghijklmnopqrstuv").build());
  }
  static final class Raw {
    final Connection c; final PreparedStatement ins; final boolean big, sel; int n; final String vid;
    Raw(boolean full, boolean big, boolean sel) throws Exception {
      this.big = big; this.sel = sel;
      Path d = Files.createTempDirectory("cmp-r");
      EmbeddedStores.sqlite(d, full ? Durability.SURVIVES_POWER_LOSS : Durability.SURVIVES_PROCESS_KILL).close();
      org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig(); cfg.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL); cfg.setSynchronous(full ? org.sqlite.SQLiteConfig.SynchronousMode.FULL : org.sqlite.SQLiteConfig.SynchronousMode.NORMAL); cfg.setGetGeneratedKeys(false); cfg.enforceForeignKeys(true);
      c = cfg.createConnection("jdbc:sqlite:" + d.resolve("vault.db"));
      vid = big ? "vault_01a208ffaad77bb49854a46b5cbd8e9d" : "vault_floor";
      c.createStatement().execute("INSERT INTO ve_vaults (id, account_id, display_name, name_folded, metadata, status, created_at, updated_at) VALUES ('" + vid + "','bench','floor','floor','{}','active',0,0)");
      String cols = "(id, account_id, vault_id, mcp_server_url, url_key, url_folded, active_url_hash, protocol, type, status, archived_at, created_at, updated_at, token_key_id, token, display_name, name_folded, metadata, expires_at, details, refresh_token, client_secret)";
      ins = c.prepareStatement(sel ? "INSERT INTO ve_credentials " + cols + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM ve_vaults WHERE account_id = ? AND id = ? AND status = 'active'"
          : "INSERT INTO ve_credentials " + cols + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }
    public void run() {
      try {
        n++; String url = "https://svc" + n + ".example/mcp";
        String id = big ? String.format("vcred_01a2%028x", System.nanoTime()) : "vcred_floor" + n;
        ins.setString(1, id); ins.setString(2, "bench"); ins.setString(3, vid); ins.setString(4, url); ins.setString(5, url); ins.setString(6, url);
        ins.setString(7, sha(url)); ins.setString(8, "sse"); ins.setString(9, "static_bearer"); ins.setString(10, "active"); ins.setNull(11, Types.BIGINT);
        long now = System.currentTimeMillis() * 1000; ins.setLong(12, now); ins.setLong(13, now); ins.setInt(14, 1002210150); ins.setBytes(15, new byte[big ? 79 : 90]);
        ins.setNull(16, Types.VARCHAR); ins.setNull(17, Types.VARCHAR); ins.setNull(18, Types.VARCHAR); ins.setNull(19, Types.BIGINT); ins.setNull(20, Types.VARCHAR); ins.setNull(21, Types.VARBINARY); ins.setNull(22, Types.VARBINARY);
        if (sel) { ins.setString(23, "bench"); ins.setString(24, vid); }
        if (ins.executeUpdate() != 1) throw new IllegalStateException();
      } catch (Exception x) { throw new RuntimeException(x); }
    }
    static String sha(String s) throws Exception { return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes())); }
  }
}
