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
 * only along such recorded steps; any other move reports the file's count itself. A reader that
 * sees a count before its step is recorded (the commit is done, the record is not yet) reports it
 * as a change; recording the step then sets the reported count back, so only the sessions that
 * resolved in between read again. Without that correction the count seen early stayed the
 * reported one, and every session of the engine read the store again after every first
 * disclosure (issue 15's many-sessions-while-refreshing ratio on SQLite went from 1.18 to 2.4 with
 * the audit on). Setting it back is safe: the step proves the one commit between the two counts
 * was this store's log-only transaction, so an answer from before it is as good as one after.
 */
public final class QuietCommits {
  /** The steps kept, oldest dropped first: far more than a session lives through unread. */
  private static final int MAX_STEPS = 4_096;
  private static final int MAX_WALK = 256;

  /** Recorded log-only commits: file count before, file count after. */
  private final ConcurrentSkipListMap<Long, Long> steps = new ConcurrentSkipListMap<>();
  /**
   * {file count last seen, count reported for it, the count where the walk from the previous state
   * stopped short of it (-1 when it did not), the count reported at that point}.
   */
  private final AtomicReference<long[]> state = new AtomicReference<>(null);

  /** Records a log-only commit that moved the file's count from {@code before} to {@code after}. */
  public void record(long before, long after) {
    steps.put(before, after);
    while (steps.size() > MAX_STEPS) {
      steps.pollFirstEntry(); // only costs re-reads
    }
    // A reader that saw `after` before this step existed reported it as a change: set it back.
    long[] s = state.get();
    if (s != null && s[0] == after && s[1] == after && s[2] == before) {
      state.compareAndSet(s, new long[] {after, s[3], -1, 0});
    }
  }

  /** The count to report for the file's count {@code raw}. */
  public long reported(long raw) {
    long[] s = state.get();
    if (s != null && s[0] == raw) {
      return s[1];
    }
    long reported = raw;
    long stoppedAt = -1;
    long reportedAtStop = 0;
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
      } else {
        stoppedAt = at; // perhaps a step not recorded yet (see record)
        reportedAtStop = s[1];
      }
    }
    long[] next = new long[] {raw, reported, stoppedAt, reportedAtStop};
    if (state.compareAndSet(s, next) && stoppedAt >= 0
        && Long.valueOf(raw).equals(steps.get(stoppedAt))) {
      // The step was recorded between the walk and the line above, so record() found nothing
      // to set back: set it back here.
      state.compareAndSet(next, new long[] {raw, reportedAtStop, -1, 0});
      return reportedAtStop;
    }
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
