package dev.vaultengine.internal;

import dev.vaultengine.VaultException;

/**
 * Checks shared by every text field, so each field answers bad input with the same words. Lengths
 * count Unicode code points (an emoji is one character), the unit a person counts in.
 */
public final class TextRules {
  private TextRules() {}

  /** The bare field name of a parameter path: {@code credentials[0].access_token} -> access_token. */
  public static String field(String param) {
    return param.substring(param.lastIndexOf('.') + 1);
  }

  /** Requires non-null, non-empty, well-formed UTF-16 text of at most {@code max} characters. */
  public static void requireText(String value, String param, int max) {
    if (value == null) {
      throw VaultException.invalidRequest("Field '" + field(param) + "' is required.", param);
    }
    if (value.isEmpty()) {
      throw VaultException.invalidRequest("Field '" + field(param) + "' must not be empty.", param);
    }
    requireBounded(value, param, max);
  }

  /** Requires well-formed UTF-16 of at most {@code max} characters; empty is allowed. */
  public static void requireBounded(String value, String param, int max) {
    // Check the cheap bound first so a huge string costs O(1) before we walk it.
    if (value.length() > 2L * max) {
      throw tooLong(param, max);
    }
    requireWellFormed(value, param);
    if (value.codePointCount(0, value.length()) > max) {
      throw tooLong(param, max);
    }
  }

  /** Rejects unpaired surrogates: they cannot be stored as UTF-8 by any database. */
  public static void requireWellFormed(String value, String param) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw notUtf16(param);
      }
      if (Character.isLowSurrogate(c)) {
        throw notUtf16(param);
      }
    }
  }

  /** Rejects C0 and C1 control characters, which no name or key needs. */
  public static void rejectControl(String value, String param) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw VaultException.invalidRequest(
            "Field '" + field(param) + "' must not contain control characters.", param);
      }
    }
  }

  private static VaultException tooLong(String param, int max) {
    return VaultException.invalidRequest(
        "Field '" + field(param) + "' must be at most " + max + " characters.", param);
  }

  private static VaultException notUtf16(String param) {
    return VaultException.invalidRequest(
        "Field '" + field(param) + "' must be well-formed Unicode text (an unpaired surrogate was found).",
        param);
  }
}
