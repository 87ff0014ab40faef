package dev.vaultengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.KeyManager;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.testkit.TestKeys;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boundaries a host meets, checked by the compiler: a small host module compiled on the module
 * path against the built artifacts may use every exported package, and fails to compile on any
 * use of an {@code internal} package. The key manager an engine hands out cannot decrypt.
 */
class ModuleBoundaryTest {
  @TempDir
  Path dir;

  @Test
  void aHostModuleCompilesAgainstThePublicApi() throws IOException {
    String out = compile("""
        package host.app;

        import dev.vaultengine.VaultEngine;
        import dev.vaultengine.jdbc.EmbeddedStores;
        import dev.vaultengine.memory.InMemoryVaultStore;
        import dev.vaultengine.spi.VaultStore;

        public class App {
          public static void main(String[] args) {
            VaultStore store = new InMemoryVaultStore();
            System.out.println(VaultEngine.class + " " + EmbeddedStores.class + " " + store);
          }
        }
        """);
    assertEquals("", out);
  }

  @Test
  void everyInternalPackageIsInvisibleToAHost() throws IOException {
    for (String internal : List.of("dev.vaultengine.internal.Engine",
        "dev.vaultengine.internal.crypto.DataKeys", "dev.vaultengine.jdbc.internal.Statements")) {
      String out = compile("""
          package host.app;

          public class App {
            Object reach = %s.class;
          }
          """.formatted(internal));
      String pkg = internal.substring(0, internal.lastIndexOf('.'));
      assertTrue(out.contains("package " + pkg + " is not visible"), () -> internal + ": " + out);
    }
  }

  @Test
  void theKeyManagerHandedOutCannotDecrypt() {
    try (VaultEngine engine = VaultEngine.builder().store(new InMemoryVaultStore())
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      KeyManager keys = engine.keys();
      List<String> methods = new ArrayList<>();
      for (Class<?> c = keys.getClass(); c != null; c = c.getSuperclass()) {
        Arrays.stream(c.getDeclaredMethods()).map(Method::getName).forEach(methods::add);
        Arrays.stream(c.getInterfaces()).flatMap(i -> Arrays.stream(i.getMethods()))
            .map(Method::getName).forEach(methods::add);
      }
      assertFalse(methods.stream().anyMatch(m -> m.toLowerCase().contains("decrypt")),
          () -> "methods of " + keys.getClass() + ": " + methods);
      assertEquals(List.of(KeyManager.class), List.of(keys.getClass().getInterfaces()));
    }
  }

  /** Compiles module {@code host} with {@code source} as its one class; returns javac's output. */
  private String compile(String source) throws IOException {
    Path src = dir.resolve("src/host");
    Files.createDirectories(src.resolve("host/app"));
    Files.writeString(src.resolve("module-info.java"), """
        module host {
          requires dev.vaultengine.jdbc;
          requires dev.vaultengine.memory;
        }
        """);
    Files.writeString(src.resolve("host/app/App.java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter out = new StringWriter();
    javac.getTask(out, null, null, List.of("-d", dir.resolve("out").toString(),
            "--module-path", System.getProperty("java.class.path"),
            "--module-source-path", dir.resolve("src").toString(), "-m", "host"),
        null, null).call();
    return out.toString();
  }
}
