package dev.vaultengine.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds tokens in raw bytes (a database file, a dump of a store's memory) in every form a careless
 * store might keep them: UTF-8, UTF-16 (either byte order) and Base64 (standard and URL-safe, at
 * every alignment). One pass per form over the bytes, whatever the number of tokens.
 */
public final class PlaintextScanner {
  /** Needles of one length in one form. */
  private record Needles(String form, int length, Set<String> values) {}

  private final List<Needles> needles = new ArrayList<>();
  private final Map<String, String> tokenOf = new HashMap<>();

  /** A scanner for {@code tokens} (ASCII, at least 8 characters each). */
  public PlaintextScanner(Collection<String> tokens) {
    Map<String, Set<String>> byForm = new HashMap<>();
    for (String token : tokens) {
      byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
      add(byForm, "utf-8", new String(utf8, StandardCharsets.ISO_8859_1), token);
      add(byForm, "utf-16le", latin1(token.getBytes(StandardCharsets.UTF_16LE)), token);
      add(byForm, "utf-16be", latin1(token.getBytes(StandardCharsets.UTF_16BE)), token);
      for (int align = 0; align < 3; align++) {
        byte[] shifted = new byte[align + utf8.length];
        System.arraycopy(utf8, 0, shifted, align, utf8.length);
        for (var encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
          String encoded = encoder.withoutPadding().encodeToString(shifted);
          // Keep only the characters that depend on the token alone.
          int from = align == 0 ? 0 : 4;
          int to = (shifted.length % 3 == 0) ? encoded.length() : (shifted.length / 3) * 4;
          if (to - from >= 8) {
            add(byForm, "base64/" + align, encoded.substring(from, to), token);
          }
        }
      }
    }
    Map<String, Needles> grouped = new HashMap<>();
    byForm.forEach((formAndLength, values) -> {
      String form = formAndLength.substring(0, formAndLength.lastIndexOf('#'));
      int length = Integer.parseInt(formAndLength.substring(formAndLength.lastIndexOf('#') + 1));
      grouped.put(formAndLength, new Needles(form, length, values));
    });
    needles.addAll(grouped.values());
  }

  private void add(Map<String, Set<String>> byForm, String form, String needle, String token) {
    byForm.computeIfAbsent(form + "#" + needle.length(), k -> new HashSet<>()).add(needle);
    tokenOf.put(needle, token);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Descriptions ("utf-8 at 1234") of every token found in {@code bytes}; never the token. */
  public List<String> findIn(byte[] bytes) {
    String hay = latin1(bytes);
    List<String> found = new ArrayList<>();
    for (Needles n : needles) {
      for (int i = 0; i + n.length() <= hay.length(); i++) {
        if (n.values().contains(hay.substring(i, i + n.length()))) {
          found.add(n.form() + " at byte " + i);
        }
      }
    }
    return found;
  }
}
