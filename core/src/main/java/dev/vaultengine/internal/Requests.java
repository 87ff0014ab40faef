package dev.vaultengine.internal;

import dev.vaultengine.ListRequest;
import dev.vaultengine.VaultException;
import dev.vaultengine.spi.ListQuery;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validation of request bodies into values the engine can trust. Every limit of the seeds and
 * DESIGN.md lives here; nothing reaches a store before passing through.
 */
final class Requests {
  static final int DISPLAY_NAME_MAX = 255;
  static final int METADATA_MAX_KEYS = 16;
  static final int METADATA_KEY_MAX = 64;
  static final int METADATA_VALUE_MAX = 512;
  static final int NAME_FILTER_MAX = 2048;
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Requests() {}

  static VaultException bodyRequired() {
    return VaultException.invalidRequest("Request body is required.", null);
  }

  static String displayName(String value, String param) {
    TextRules.requireText(value, param, DISPLAY_NAME_MAX);
    TextRules.rejectControl(value, param);
    if (value.isBlank()) {
      // Only spaces shows as nothing in every list: refused like an empty name.
      throw VaultException.invalidRequest("Field '" + TextRules.field(param)
          + "' must not be empty.", param);
    }
    return value;
  }

  /** Validates metadata of a create request; null is an empty map. Keys come back sorted. */
  static Map<String, String> metadata(Map<String, String> metadata) {
    return metadata(metadata, "metadata");
  }

  /** As {@link #metadata(Map)}, naming {@code param} in errors. */
  static Map<String, String> metadata(Map<String, String> metadata, String param) {
    Map<String, String> result = new TreeMap<>();
    if (metadata == null) {
      return result;
    }
    if (metadata.size() > METADATA_MAX_KEYS) {
      throw tooManyKeys(param);
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      metadataKey(e.getKey(), param);
      if (e.getValue() == null) {
        throw VaultException.invalidRequest("Field 'metadata' values must not be null.", param);
      }
      result.put(e.getKey(), metadataValue(e.getValue(), param));
    }
    return result;
  }

  /** Applies a patch that passed {@link #checkPatch} (null removes the key) to {@code current}. */
  static Map<String, String> patchMetadata(Map<String, String> current, Map<String, String> patch) {
    return patchMetadata(current, patch, "metadata");
  }

  /** As {@link #patchMetadata(Map, Map)}, naming {@code param} in errors. */
  static Map<String, String> patchMetadata(Map<String, String> current, Map<String, String> patch,
      String param) {
    Map<String, String> result = new TreeMap<>(current);
    for (Map.Entry<String, String> e : patch.entrySet()) {
      if (e.getValue() == null) {
        result.remove(e.getKey());
      } else {
        result.put(e.getKey(), e.getValue());
      }
    }
    if (result.size() > METADATA_MAX_KEYS) {
      throw tooManyKeys(param);
    }
    return result;
  }

  /** Checks the shape of a patch before any read, so bad input costs no store call. */
  static void checkPatch(Map<String, String> patch) {
    checkPatch(patch, "metadata");
  }

  /** As {@link #checkPatch(Map)}, naming {@code param} in errors. */
  static void checkPatch(Map<String, String> patch, String param) {
    if (patch.size() > 2 * METADATA_MAX_KEYS) {
      throw tooManyKeys(param);
    }
    for (Map.Entry<String, String> e : patch.entrySet()) {
      metadataKey(e.getKey(), param);
      if (e.getValue() != null) {
        metadataValue(e.getValue(), param);
      }
    }
  }

  private static void metadataKey(String key, String param) {
    if (key == null || key.isEmpty()) {
      throw VaultException.invalidRequest(
          "Field 'metadata' keys must be 1-" + METADATA_KEY_MAX + " characters.", param);
    }
    TextRules.requireWellFormed(key, param);
    if (key.codePointCount(0, key.length()) > METADATA_KEY_MAX) {
      throw VaultException.invalidRequest(
          "Field 'metadata' keys must be 1-" + METADATA_KEY_MAX + " characters.", param);
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw VaultException.invalidRequest(
            "Field 'metadata' keys must not contain control characters.", param);
      }
    }
  }

  private static String metadataValue(String value, String param) {
    TextRules.requireWellFormed(value, param);
    if (value.length() > 2 * METADATA_VALUE_MAX
        || value.codePointCount(0, value.length()) > METADATA_VALUE_MAX) {
      throw VaultException.invalidRequest(
          "Field 'metadata' values must be at most " + METADATA_VALUE_MAX + " characters.",
          param);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // Values are free text: line breaks and tabs are fine, other controls are not.
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        throw VaultException.invalidRequest(
            "Field 'metadata' values must not contain control characters other than tab and "
                + "line breaks.", param);
      }
    }
    return value;
  }

  private static VaultException tooManyKeys(String param) {
    return VaultException.invalidRequest(
        "Field 'metadata' must have at most " + METADATA_MAX_KEYS + " keys.", param);
  }

  /** Validates a list request for records whose ids are of kind {@code ids}. */
  static ListQuery list(ListRequest request, Ids ids) {
    ListRequest r = request == null ? ListRequest.firstPage() : request;
    int limit = r.limit() == null ? DEFAULT_LIMIT : r.limit();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw VaultException.invalidRequest(
          "Field 'limit' must be between 1 and " + MAX_LIMIT + ".", "limit");
    }
    if (r.afterId() != null && r.beforeId() != null) {
      throw VaultException.invalidRequest(
          "Only one of 'after_id' and 'before_id' may be given.", "before_id");
    }
    String after = r.afterId() == null ? null : ids.requireId(r.afterId(), "after_id");
    String before = r.beforeId() == null ? null : ids.requireId(r.beforeId(), "before_id");
    String folded = null;
    if (r.name() != null && !r.name().isEmpty()) {
      TextRules.requireBounded(r.name(), "name", NAME_FILTER_MAX);
      TextRules.rejectControl(r.name(), "name");
      folded = r.name().toLowerCase(Locale.ROOT);
    }
    checkInstant(r.createdAtGte(), "created_at[gte]");
    checkInstant(r.createdAtLte(), "created_at[lte]");
    if (r.createdAtGte() != null && r.createdAtLte() != null
        && r.createdAtGte().isAfter(r.createdAtLte())) {
      throw VaultException.invalidRequest(
          "Field 'created_at[gte]' must not be later than 'created_at[lte]'.", "created_at[gte]");
    }
    return new ListQuery(limit, after, before, r.includeArchived(), folded,
        r.createdAtGte(), r.createdAtLte());
  }

  private static void checkInstant(Instant value, String param) {
    if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
      throw VaultException.invalidRequest("Field '" + param
          + "' must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.", param);
    }
  }
}
