package dev.vaultengine.jdbc.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per embedded H2 database, shared by every store this JVM opens on it. An embedded H2
 * file is locked by H2 to one process, so a lock in this JVM orders every writer of the database:
 * that is what lets a credential insert be one autocommit statement (no transaction, no row lock)
 * while an archive or delete of its vault can still never slip between its check and its write.
 * Keyed by the JDBC URL, the same identity H2 itself gives the database within a JVM.
 */
public final class EmbeddedLocks {
  private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private EmbeddedLocks() {}

  /** The lock of the embedded database at {@code url}. */
  public static ReentrantLock forUrl(String url) {
    return LOCKS.computeIfAbsent(url, u -> new ReentrantLock());
  }
}
