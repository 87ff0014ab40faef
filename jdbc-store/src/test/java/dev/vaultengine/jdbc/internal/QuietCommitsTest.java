package dev.vaultengine.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The SQLite change count with this store's log-only commits left out, including a log-only
 * commit seen by a reader before it was recorded (a first disclosure racing every resolve).
 */
class QuietCommitsTest {

  @Test
  void aLogOnlyCommitRecordedBeforeItIsSeenIsNotAChange() {
    QuietCommits q = new QuietCommits();
    assertEquals(10, q.reported(10));
    q.record(10, 11);
    assertEquals(10, q.reported(11));
    assertEquals(10, q.reported(11), "again, from the cached state");
  }

  @Test
  void aLogOnlyCommitSeenBeforeItIsRecordedIsSetBackWhenRecorded() {
    QuietCommits q = new QuietCommits();
    assertEquals(10, q.reported(10));
    assertEquals(11, q.reported(11), "not recorded yet: reported as a change (one read)");
    q.record(10, 11);
    assertEquals(10, q.reported(11), "recorded: every later reader sees no change");
    q.record(11, 12);
    assertEquals(10, q.reported(12), "a chain of log-only commits");
  }

  @Test
  void aRealChangeStaysAChange() {
    QuietCommits q = new QuietCommits();
    assertEquals(10, q.reported(10));
    q.record(10, 11);
    assertEquals(10, q.reported(11));
    assertEquals(12, q.reported(12), "another commit (no step): a change");
    q.record(20, 21); // an unrelated step does not set it back
    assertEquals(12, q.reported(12));
    q.record(12, 13);
    assertEquals(12, q.reported(13));
  }

  @Test
  void aStepThatIsNotTheMissingOneSetsNothingBack() {
    QuietCommits q = new QuietCommits();
    assertEquals(10, q.reported(10));
    assertEquals(12, q.reported(12), "two commits: 10 -> 11 (someone else's), 11 -> 12");
    q.record(11, 12); // only the second was log-only: 10 -> 12 is still a change
    assertEquals(12, q.reported(12));
  }
}
