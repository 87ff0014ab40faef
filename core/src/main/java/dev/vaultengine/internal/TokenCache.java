package dev.vaultengine.internal;

import dev.vaultengine.Secret;
import dev.vaultengine.internal.cache.BoundedCache;
import dev.vaultengine.spi.EncryptedToken;

/**
 * Decrypted tokens by credential id. A token never changes under a credential id (rotation makes a
 * new id), and an entry is used only when the row just read still holds the very ciphertext that
 * was decrypted, so a tampered, moved or re-encrypted row is never answered from here. Entries go
 * when this engine archives or deletes their credential or vault, and all are destroyed when the
 * engine closes.
 *
 * <p>Held in the engine's one {@link BoundedCache}: lock-free reads, and past its capacity an
 * arbitrary entry is dropped rather than the least recently used one, which keeps the resolve path
 * free of a shared lock. Hand-written rather than Caffeine because core's only dependency is Tink.
 * A token leaving the cache, for any reason, is destroyed.
 */
final class TokenCache {
  private record Entry(String vaultId, EncryptedToken ciphertext, Secret token) {}

  private final int capacity;
  private final BoundedCache<String, Entry> entries;

  TokenCache(int capacity) {
    this.capacity = capacity;
    this.entries = new BoundedCache<>(capacity, (id, e) -> e.token().destroy());
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
      return; // no copy to make, and none to destroy
    }
    entries.put(credentialId, new Entry(vaultId, ciphertext, token.copy()));
  }

  void evict(String credentialId) {
    entries.remove(credentialId);
  }

  void evictVault(String vaultId) {
    entries.removeIf((id, e) -> e.vaultId().equals(vaultId));
  }

  void clear() {
    entries.clear();
  }
}
