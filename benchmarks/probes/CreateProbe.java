import dev.vaultengine.*;
import dev.vaultengine.jdbc.EmbeddedStores;
import java.nio.file.*;
import java.util.List;

/**
 * Hand-run profile target (issue 17, session 6), not a JMH benchmark: N creates into one vault
 * after 300 unmeasured ones, with events and the best-effort audit (log) or with neither (nolog),
 * on SQLite (synchronous=FULL, the default), SQLite with synchronous=NORMAL (normal) or in memory;
 * prints the time per create and the store's files. Used under JFR for the figures in
 * docs/BENCHMARKS.md "Events and audit":
 *
 * <pre>java -XX:StartFlightRecording=filename=log.jfr,settings=profile \
 *   -cp benchmarks/target/benchmarks.jar benchmarks/probes/CreateProbe.java log 20000 normal</pre>
 */
public class CreateProbe {
  public static void main(String[] a) throws Exception {
    boolean log = a[0].equals("log");
    int n = Integer.parseInt(a[1]);
    Path dir = Files.createTempDirectory("bench-probe-");
    String kind = a.length > 2 ? a[2] : "sqlite";
    VaultEngine.Builder b = VaultEngine.builder().store(switch (kind) {
      case "memory" -> new dev.vaultengine.memory.InMemoryVaultStore();
      case "normal" -> EmbeddedStores.sqlite(dir, dev.vaultengine.jdbc.Durability.SURVIVES_PROCESS_KILL);
      default -> EmbeddedStores.sqlite(dir);
    })
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json")));
    if (!log) b.events(false).auditMode(AuditMode.OFF);
    try (VaultEngine e = b.build()) {
      VaultService v = e.forAccount("bench");
      String vault = v.createVault(CreateVaultRequest.builder().displayName("t")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://t.example/mcp")
              .protocol(Protocol.SSE).accessToken("tok_x").build()).build()).vault().id();
      for (int i = 0; i < 300; i++) create(v, vault, "w" + i);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) create(v, vault, "m" + i);
      long t = System.nanoTime() - t0;
      System.out.printf("%s: %d creates, %.1f us each%n", a[0], n, n == 0 ? 0 : t / 1e3 / n);
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          System.out.println("  " + f.getFileName() + " " + Files.size(f));
        }
      }
    }
  }

  static void create(VaultService v, String vault, String s) {
    v.createCredential(vault, CreateCredentialRequest.builder().mcpServerUrl("https://" + s
        + ".example/mcp").protocol(Protocol.SSE).accessToken("tok_benchmark_0123456789").build());
  }
}
