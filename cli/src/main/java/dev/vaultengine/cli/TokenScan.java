package dev.vaultengine.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Looks for tokens in raw bytes as UTF-8, UTF-16 (both byte orders) and Base64 at every alignment,
 * for the demo's "no token on disk" step. The test kit's {@code PlaintextScanner} does the same
 * at scale for tests; the CLI keeps this small copy so that its jar does not carry JUnit.
 */
final class TokenScan {
  private final List<String> needles = new ArrayList<>();

  TokenScan(List<String> tokens) {
    for (String t : tokens) {
      byte[] utf8 = t.getBytes(StandardCharsets.UTF_8);
      needles.add(latin1(utf8));
      needles.add(latin1(t.getBytes(StandardCharsets.UTF_16LE)));
      needles.add(latin1(t.getBytes(StandardCharsets.UTF_16BE)));
      for (int align = 0; align < 3; align++) {
        byte[] shifted = new byte[align + utf8.length];
        System.arraycopy(utf8, 0, shifted, align, utf8.length);
        String b64 = Base64.getEncoder().withoutPadding().encodeToString(shifted);
        needles.add(b64.substring(align == 0 ? 0 : 4, (shifted.length / 3) * 4));
      }
    }
  }

  boolean foundIn(byte[] bytes) {
    String hay = latin1(bytes);
    return needles.stream().anyMatch(hay::contains);
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
