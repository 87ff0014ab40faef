package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Protocol;
import dev.vaultengine.VaultEngine;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host with no SLF4J provider embeds the SQLite store and prints nothing it did not print
 * itself: no "No SLF4J providers were found" notice from the connection pool's logging. Run in a
 * fresh JVM whose class path is this module's without any SLF4J provider.
 */
class NoLoggingNoticeTest {
  private static final Pattern PROVIDER_JARS =
      Pattern.compile(".*(slf4j-(nop|jdk14|simple|reload4j|log4j12)|logback-classic|log4j-slf4j"
          + ").*\\.jar");

  @TempDir
  Path dir;

  /** The child: opens the embedded default, writes, closes. */
  public static void main(String[] args) {
    Path data = Path.of(args[0]);
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      engine.forAccount("host").createVault(CreateVaultRequest.builder().displayName("quiet")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://q.example/mcp")
              .protocol(Protocol.SSE).accessToken("tok_quiet_host_1").build()).build());
    }
    System.out.println("DONE");
  }

  @Test
  void aHostWithoutAnSlf4jProviderSeesNoNotice() throws Exception {
    List<String> entries = Arrays.stream(System.getProperty("java.class.path")
        .split(File.pathSeparator)).filter(e -> !PROVIDER_JARS.matcher(e).matches())
        .collect(Collectors.toList());
    assertTrue(entries.stream().anyMatch(e -> e.contains("slf4j-api")),
        "slf4j-api is on the class path (through the pool), so the notice could appear");
    // As a host runs it (README): native access for sqlite-jdbc, and on JDK 23+ protobuf's (Tink's)
    // use of sun.misc.Unsafe allowed; the JDK's own warnings are not what this test is about.
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", String.join(File.pathSeparator, entries),
        NoLoggingNoticeTest.class.getName(), dir.resolve("data").toString()));
    Process p = new ProcessBuilder(command).start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), err);
    assertEquals("DONE\n", out);
    assertEquals("", err, "the host's standard error");
  }
}
