package dev.vaultengine.internal;

import dev.vaultengine.Secret;
import dev.vaultengine.spi.EncryptedToken;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decrypted tokens by credential id, least recently used out first. A token never changes under a
 * credential id (rotation makes a new id), and an entry is used only when the row just read still
 * holds the very ciphertext that was decrypted, so a tampered, moved or re-encrypted row is never
 * answered from here. Entries go when this engine archives or deletes their credential or vault,
 * and all are destroyed when the engine closes.
 *
 * <p>Hand-written rather than Caffeine: core's only dependency is Tink, and an access-ordered
 * {@code LinkedHashMap} under one lock is enough for a cache that is read once per resolve.
 */
final class TokenCache {
  private record Entry(String vaultId, EncryptedToken ciphertext, Secret token) {}

  private final int capacity;
  private final LinkedHashMap<String, Entry> entries;

  TokenCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** A copy of the cached token if it was decrypted from exactly {@code ciphertext}. */
  synchronized Secret get(String credentialId, EncryptedToken ciphertext) {
    Entry e = entries.get(credentialId);
    return e != null && e.ciphertext().equals(ciphertext) ? e.token().copy() : null;
  }

  synchronized void put(String credentialId, String vaultId, EncryptedToken ciphertext,
      Secret token) {
    if (capacity == 0) {
      return;
    }
    Entry old = entries.put(credentialId, new Entry(vaultId, ciphertext, token.copy()));
    if (old != null) {
      old.token().destroy();
    }
    if (entries.size() > capacity) {
      Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
      eldest.next().getValue().token().destroy();
      eldest.remove();
    }
  }

  synchronized void evict(String credentialId) {
    Entry e = entries.remove(credentialId);
    if (e != null) {
      e.token().destroy();
    }
  }

  synchronized void evictVault(String vaultId) {
    entries.values().removeIf(e -> {
      if (e.vaultId().equals(vaultId)) {
        e.token().destroy();
        return true;
      }
      return false;
    });
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized void clear() {
    entries.values().forEach(e -> e.token().destroy());
    entries.clear();
  }
}
