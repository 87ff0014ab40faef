package dev.vaultengine.internal;

import dev.vaultengine.Secret;
import dev.vaultengine.spi.EncryptedToken;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decrypted tokens by credential id. A token never changes under a credential id (rotation makes a
 * new id), and an entry is used only when the row just read still holds the very ciphertext that
 * was decrypted, so a tampered, moved or re-encrypted row is never answered from here. Entries go
 * when this engine archives or deletes their credential or vault, and all are destroyed when the
 * engine closes.
 *
 * <p>Reads are lock-free ({@link ConcurrentHashMap}); past its capacity the cache drops an arbitrary
 * entry rather than the least recently used one, which keeps the resolve path free of a shared
 * lock. Hand-written rather than Caffeine because core's only dependency is Tink.
 */
final class TokenCache {
  private record Entry(String vaultId, EncryptedToken ciphertext, Secret token) {}

  private final int capacity;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  TokenCache(int capacity) {
    this.capacity = capacity;
  }

  /**
   * The cached token itself (not a copy) if it was decrypted from exactly {@code ciphertext}: for a
   * session that remembers it and copies it on each use. It is destroyed when evicted, so a holder
   * must treat a destroyed token as a miss.
   */
  Secret shared(String credentialId, EncryptedToken ciphertext) {
    Entry e = entries.get(credentialId);
    return e == null || !e.ciphertext().equals(ciphertext) ? null : e.token();
  }

  /** A copy of {@code shared}, or null if it is null or was destroyed by an eviction just now. */
  static Secret copyOf(Secret shared) {
    if (shared == null) {
      return null;
    }
    try {
      return shared.copy();
    } catch (IllegalStateException destroyed) {
      return null;
    }
  }

  void put(String credentialId, String vaultId, EncryptedToken ciphertext, Secret token) {
    if (capacity == 0) {
      return;
    }
    Entry old = entries.put(credentialId, new Entry(vaultId, ciphertext, token.copy()));
    if (old != null) {
      old.token().destroy();
    }
    if (entries.size() > capacity) {
      Iterator<String> any = entries.keySet().iterator();
      if (any.hasNext()) {
        evict(any.next());
      }
    }
  }

  void evict(String credentialId) {
    Entry e = entries.remove(credentialId);
    if (e != null) {
      e.token().destroy();
    }
  }

  void evictVault(String vaultId) {
    entries.entrySet().removeIf(e -> {
      if (e.getValue().vaultId().equals(vaultId)) {
        e.getValue().token().destroy();
        return true;
      }
      return false;
    });
  }

  void clear() {
    entries.values().forEach(e -> e.token().destroy());
    entries.clear();
  }
}
