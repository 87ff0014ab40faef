package dev.vaultengine.jdbc.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The change count of a SQLite file with this store's own log-only commits left out. The file's
 * count moves at every commit, and a first disclosure's audit entry or a subscriber's position is
 * a commit that changes nothing a resolve reads: counted, it would make every session of every
 * engine on the file read the store again after each first disclosure, and the engine could no
 * longer tell that its own write was the only change (it keeps other sessions warm then).
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
  /** The steps kept, oldest dropped first: far more than a session lives through unread. */
  private static final int MAX_STEPS = 4_096;
  private static final int MAX_WALK = 256;

  /** Recorded log-only commits: file count before, file count after. */
  private final ConcurrentSkipListMap<Long, Long> steps = new ConcurrentSkipListMap<>();
  /** {file count last seen, count reported for it}. */
  private final AtomicReference<long[]> state = new AtomicReference<>(null);

  /** Records a log-only commit that moved the file's count from {@code before} to {@code after}. */
  public void record(long before, long after) {
    steps.put(before, after);
    while (steps.size() > MAX_STEPS) {
      steps.pollFirstEntry(); // only costs re-reads
    }
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
        Long next = steps.get(at);
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

  /**
   * How many of the commits between the file counts {@code before} and {@code after} were this
   * store's recorded log-only ones, or -1 when the counts are not in order (a wrapped counter:
   * the caller then cannot tell).
   */
  public long quietBetween(long before, long after) {
    if (after < before) {
      return -1;
    }
    long quiet = 0;
    for (Map.Entry<Long, Long> step : steps.subMap(before, true, after, false).entrySet()) {
      if (step.getValue() <= after) {
        quiet++;
      }
    }
    return quiet;
  }
}
