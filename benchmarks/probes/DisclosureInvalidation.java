import dev.vaultengine.*;
import dev.vaultengine.jdbc.EmbeddedStores;
import java.nio.file.*;
import java.util.List;

/**
 * Hand-run check (issue 17, session 6), not a JMH benchmark: a warm session's next resolve right
 * after another session's first disclosure (which appends an audit entry), against the same
 * resolve with nothing in between. 2,000 pairs after 200. Arguments: memory|sqlite|postgres on|off
 * (audit); postgres: 127.0.0.1:5432, database test, user postgres, with
 * {@code resolveFromEventFeed(500 ms)} and a 250 ms poll, tables dropped at the end.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar benchmarks/probes/DisclosureInvalidation.java sqlite on</pre>
 */
public class DisclosureInvalidation {
  public static void main(String[] a) throws Exception {
    Path dir = Files.createTempDirectory("bench-probe-");
    org.h2.jdbcx.JdbcConnectionPool pool = null;
    String prefix = "bench" + Long.toHexString(System.nanoTime() & 0xffffff) + "_";
    dev.vaultengine.spi.VaultStore store;
    if (a[0].equals("postgres")) {
      org.postgresql.ds.PGConnectionPoolDataSource ds =
          new org.postgresql.ds.PGConnectionPoolDataSource();
      ds.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
      ds.setUser("postgres");
      pool = org.h2.jdbcx.JdbcConnectionPool.create(ds);
      store = dev.vaultengine.jdbc.JdbcVaultStore.builder(pool).tablePrefix(prefix).build();
    } else {
      store = a[0].equals("memory") ? new dev.vaultengine.memory.InMemoryVaultStore()
          : EmbeddedStores.sqlite(dir);
    }
    VaultEngine.Builder b = VaultEngine.builder().store(store)
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json")));
    if (a[1].equals("off")) b.auditMode(AuditMode.OFF);
    if (a[0].equals("postgres")) {
      // The shared-database option as the benchmarks use it.
      b.eventPollInterval(java.time.Duration.ofMillis(250))
          .resolveFromEventFeed(java.time.Duration.ofMillis(500));
    }
    try (VaultEngine e = b.build()) {
      VaultService v = e.forAccount("bench");
      String url = "https://hot.example/mcp";
      String vault = v.createVault(CreateVaultRequest.builder().displayName("t")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl(url)
              .protocol(Protocol.SSE).accessToken("tok_x").build()).build()).vault().id();
      String other = v.createVault(CreateVaultRequest.builder().displayName("o")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://o.example/mcp")
              .protocol(Protocol.SSE).accessToken("tok_o").build()).build()).vault().id();
      VaultSession warm = v.openSession(List.of(vault));
      long quiet = 0, after = 0;
      int n = 2000;
      for (int i = 0; i < n + 200; i++) {
        warm.resolve(url); warm.resolve(url);
        long t0 = System.nanoTime();
        warm.resolve(url);
        long t1 = System.nanoTime();
        v.openSession(List.of(other)).resolve("https://o.example/mcp"); // first disclosure elsewhere
        long t2 = System.nanoTime();
        warm.resolve(url);
        long t3 = System.nanoTime();
        if (i >= 200) { quiet += t1 - t0; after += t3 - t2; }
      }
      System.out.printf("%s audit=%s: warm resolve %.2f us; the same right after another session's "
          + "first disclosure %.2f us%n", a[0], a[1], quiet / 1e3 / n, after / 1e3 / n);
    } finally {
      if (pool != null) {
        try (java.sql.Connection c = pool.getConnection();
            java.sql.Statement st = c.createStatement()) {
          for (String t : new String[] {"credentials", "vaults", "events", "audit", "log_head",
              "subscribers", "keyset", "schema_history"}) {
            st.execute("DROP TABLE IF EXISTS " + prefix + t + " CASCADE");
          }
        }
        pool.dispose();
      }
    }
  }
}
