package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leak detectors must be able to fail: planted tokens are found in every form. */
class LeakDetectorsTest {
  private static final String TOKEN = "tok_planted_0123456789abcdef";

  @Test
  void scannerFindsEveryEncodingAtEveryAlignment() {
    PlaintextScanner scanner = new PlaintextScanner(List.of(TOKEN, "tok_other_token_xxxxxxxxxxx"));
    assertEquals(List.of(), scanner.findIn("nothing here tok_plant".getBytes(StandardCharsets.UTF_8)));
    byte[] utf8 = TOKEN.getBytes(StandardCharsets.UTF_8);
    assertFalse(scanner.findIn(concat("xx", utf8)).isEmpty(), "utf-8");
    assertFalse(scanner.findIn(concat("x", TOKEN.getBytes(StandardCharsets.UTF_16LE))).isEmpty());
    assertFalse(scanner.findIn(concat("x", TOKEN.getBytes(StandardCharsets.UTF_16BE))).isEmpty());
    for (String prefix : List.of("", "a", "ab", "abc")) {
      byte[] plain = (prefix + TOKEN + "tail").getBytes(StandardCharsets.UTF_8);
      assertFalse(scanner.findIn(Base64.getEncoder().encode(plain)).isEmpty(), "b64 " + prefix);
      assertFalse(scanner.findIn(Base64.getUrlEncoder().encode(plain)).isEmpty(), "b64u " + prefix);
    }
  }

  @Test
  void objectDumpSeesNestedStrings() {
    record Holder(List<Object> items) {}
    byte[] dump = ObjectGraphDump.of(new Holder(List.of(1, java.util.Map.of("k", TOKEN))));
    assertFalse(new PlaintextScanner(List.of(TOKEN)).findIn(dump).isEmpty());
  }

  @Test
  void guardCatchesLoggedPrintedAndThrownTokens() {
    for (int form = 0; form < 3; form++) {
      // Planted tokens are test data, but keep them off the console all the same.
      SecretLeakGuard guard = new SecretLeakGuard(false);
      Logger root = Logger.getLogger("");
      Handler[] consoleHandlers = root.getHandlers();
      for (Handler h : consoleHandlers) {
        root.removeHandler(h);
      }
      guard.start();
      try {
        guard.token(TOKEN);
        assertTrue(guard.leaks().isEmpty());
        switch (form) {
          case 0 -> Logger.getLogger("leak-test").warning("oops " + TOKEN);
          case 1 -> System.out.println("oops " + TOKEN.replace("tok", "TOK").toLowerCase());
          default -> guard.record(new IllegalStateException("oops " + TOKEN));
        }
      } finally {
        guard.stop();
        for (Handler h : consoleHandlers) {
          root.addHandler(h);
        }
      }
      assertEquals(1, guard.leaks().size(), "form " + form);
      assertFalse(guard.leaks().get(0).contains(TOKEN), "the report itself must not leak");
    }
  }

  @Test
  void scannerFindsANonAsciiSecretValueInEveryFormAndNamesTheFile(@TempDir Path dir)
      throws Exception {
    String value = "sv_planted_\u00fc\u00df_\uD83D\uDD11_wert";
    PlaintextScanner scanner = new PlaintextScanner(List.of(value, TOKEN));
    assertFalse(scanner.findIn(concat("x", value.getBytes(StandardCharsets.UTF_8))).isEmpty());
    assertFalse(scanner.findIn(concat("x", value.getBytes(StandardCharsets.UTF_16LE))).isEmpty());
    assertFalse(scanner.findIn(concat("x", value.getBytes(StandardCharsets.UTF_16BE))).isEmpty());
    for (String prefix : List.of("", "a", "ab")) {
      byte[] plain = (prefix + value + "tail").getBytes(StandardCharsets.UTF_8);
      assertFalse(scanner.findIn(Base64.getEncoder().encode(plain)).isEmpty(), "b64 " + prefix);
      assertFalse(scanner.findIn(Base64.getUrlEncoder().encode(plain)).isEmpty(), "b64u " + prefix);
    }
    // One byte less of the secret is not the secret.
    byte[] almost = value.substring(0, value.length() - 1).getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(), scanner.findIn(almost));
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("clean.db"), new byte[1000]);
    Files.write(dir.resolve("sub").resolve("leaky.log"),
        concat("log: ", value.getBytes(StandardCharsets.UTF_16LE)));
    List<String> found = scanner.findInDirectory(dir);
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).startsWith(Path.of("sub", "leaky.log") + ": utf-16le at byte 5"),
        found.toString());
    assertFalse(found.get(0).contains(value));
  }

  @Test
  void guardCatchesBase64AndUtf16FormsOfAnyKindOfSecret() {
    String value = "sv_planted_value_\u00fc\u00df";
    for (int form = 0; form < 4; form++) {
      SecretLeakGuard guard = new SecretLeakGuard(false);
      Logger root = Logger.getLogger("");
      Handler[] consoleHandlers = root.getHandlers();
      for (Handler h : consoleHandlers) {
        root.removeHandler(h);
      }
      guard.start();
      try {
        guard.token(TOKEN);
        guard.token(value);
        assertTrue(guard.leaks().isEmpty());
        switch (form) {
          case 0 -> Logger.getLogger("leak-test").info("header: Basic " + Base64.getEncoder()
              .encodeToString(("client:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
          case 1 -> System.out.println("x" + Base64.getUrlEncoder()
              .encodeToString(value.getBytes(StandardCharsets.UTF_8)));
          case 2 -> System.out.write(TOKEN.getBytes(StandardCharsets.UTF_16LE), 0,
              TOKEN.length() * 2);
          default -> guard.record(java.util.Map.of("value", value));
        }
        System.out.flush();
      } finally {
        guard.stop();
        for (Handler h : consoleHandlers) {
          root.addHandler(h);
        }
      }
      assertEquals(1, guard.leaks().size(), "form " + form + ": " + guard.leaks());
      assertFalse(guard.leaks().get(0).contains(TOKEN) || guard.leaks().get(0).contains(value),
          "the report itself must not leak");
    }
  }

  private static byte[] concat(String prefix, byte[] bytes) {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[p.length + bytes.length];
    System.arraycopy(p, 0, out, 0, p.length);
    System.arraycopy(bytes, 0, out, p.length, bytes.length);
    return out;
  }
}
