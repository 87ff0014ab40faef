package dev.vaultengine.jdbc.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The change count of a SQLite file with this store's own log-only commits left out. The file's
 * count moves at every commit, and a first disclosure's audit entry or a subscriber's position is
 * a commit that changes nothing a resolve reads: counted, it would make every session of every
 * engine on the file read the store again after each first disclosure.
 *
 * <p>A log-only transaction records the count it saw while holding the file's write lock (no
 * other commit can happen then) and the count right after its commit, when exactly one commit
 * lies between them (its own). The reported count stays what it was while the file's count moved
 * only along such recorded steps; any other move reports the file's count itself. Reported values
 * are always file counts, which only grow, so a value never comes back after a real change: at
 * worst (a step recorded after a reader passed it, two readers racing) a change is reported that
 * was only the log, which costs one read.
 */
public final class QuietCommits {
  /** Recorded steps are consumed by readers; this many unconsumed ones are plenty. */
  private static final int MAX_STEPS = 4_096;
  private static final int MAX_WALK = 64;

  private final ConcurrentHashMap<Long, Long> steps = new ConcurrentHashMap<>();
  /** {file count last seen, count reported for it}. */
  private final AtomicReference<long[]> state = new AtomicReference<>(null);

  /** Records a log-only commit that moved the file's count from {@code before} to {@code after}. */
  public void record(long before, long after) {
    if (steps.size() >= MAX_STEPS) {
      steps.clear(); // only costs re-reads
    }
    steps.put(before, after);
  }

  /** The count to report for the file's count {@code raw}. */
  public long reported(long raw) {
    long[] s = state.get();
    if (s != null && s[0] == raw) {
      return s[1];
    }
    long reported = raw;
    if (s != null) {
      long at = s[0];
      for (int i = 0; i < MAX_WALK && at != raw; i++) {
        Long next = steps.remove(at);
        if (next == null) {
          break;
        }
        at = next;
      }
      if (at == raw) {
        reported = s[1]; // only this store's log-only commits since: nothing a resolve reads
      }
    }
    state.compareAndSet(s, new long[] {raw, reported});
    return reported;
  }
}
