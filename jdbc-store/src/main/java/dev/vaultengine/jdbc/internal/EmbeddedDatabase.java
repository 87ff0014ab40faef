package dev.vaultengine.jdbc.internal;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every store in this JVM on one embedded H2 database shares. H2 locks an embedded database
 * file to one process, so the stores of this JVM are all of its writers: a lock here orders them,
 * and a counter here sees every change. The lock lets a credential insert be one autocommit
 * statement (no transaction, no row lock) while an archive or delete of its vault can never slip
 * between the statement's check and its write; the counter is the store's change count.
 *
 * <p>Keyed by the database's name as H2 reports it ({@code getURL()} without settings, {@code
 * file:} dropped), the identity H2 itself gives the database within a JVM.
 */
public final class EmbeddedDatabase {
  private static final ConcurrentHashMap<String, EmbeddedDatabase> OPEN = new ConcurrentHashMap<>();

  private final ReentrantLock writers = new ReentrantLock();
  private final AtomicLong changes = new AtomicLong();

  private EmbeddedDatabase() {}

  /**
   * The shared state of the H2 database at {@code url} (a JDBC URL as the driver reports it), or
   * null when it is not embedded in this JVM: H2's TCP and SSL server modes.
   */
  public static EmbeddedDatabase of(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:tcp:")
        || lower.startsWith("jdbc:h2:ssl:")) {
      return null;
    }
    String name = url.substring("jdbc:h2:".length());
    int settings = name.indexOf(';');
    if (settings >= 0) {
      name = name.substring(0, settings);
    }
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    }
    return OPEN.computeIfAbsent(name, n -> new EmbeddedDatabase());
  }

  /** The lock that orders credential inserts against vault archives and deletes. */
  public ReentrantLock writers() {
    return writers;
  }

  /** Counts a write (done or failed: a spurious change only costs a reader a re-read). */
  public void changed() {
    changes.incrementAndGet();
  }

  /** Writes counted so far. */
  public long changes() {
    return changes.get();
  }
}
