package dev.vaultengine.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The store changes this engine knows the extent of: writes it made itself that were the store's
 * only change at the time (the change count moved by exactly one across the write), with the one
 * credential each touched, or none for a write no resolve reads (a refresh lease). A session whose
 * remembered answer is older than the current count may keep it when every change in between is
 * known here and none touched its credential: an OAuth refresh of one credential then leaves every
 * other session's answers warm.
 *
 * <p>A change by anyone else (another thread's write overlapping ours, another process) leaves a
 * gap in the chain, and a gap always means "read the store again".
 */
final class OwnWrites {
  /** Changes remembered; older ones are forgotten, which only costs a store read. */
  private static final int CAPACITY = 4096;
  /** The longest chain a session walks before it reads the store instead. */
  private static final int MAX_WALK = 64;

  /** The change that led to a count: from {@code before}, touching {@code credentialId} or none. */
  private record Step(long before, String credentialId) {}

  private final ConcurrentHashMap<Long, Step> steps = new ConcurrentHashMap<>();

  /**
   * Runs {@code write} between two readings of {@code count}, and records it when the count moved
   * by exactly one (so the one change was this write).
   */
  <T> T run(Supplier<Long> count, String credentialId, Supplier<T> write) {
    long before = count.get();
    T result = write.get();
    long after = count.get();
    if (before >= 0 && after == before + 1) {
      steps.put(after, new Step(before, credentialId));
      if (steps.size() > CAPACITY) {
        steps.keySet().removeIf(k -> k < after - CAPACITY);
      }
    }
    return result;
  }

  /**
   * True when every change from {@code from} to {@code to} is a known own write and none touched
   * {@code credentialId} (null: an answer with no credential, which no single-credential refresh
   * can change).
   */
  boolean untouched(long from, long to, String credentialId) {
    long at = to;
    for (int i = 0; i < MAX_WALK && at != from; i++) {
      Step step = steps.get(at);
      if (step == null || step.credentialId() != null && step.credentialId().equals(credentialId)
          || step.before() < from) {
        return false;
      }
      at = step.before();
    }
    return at == from;
  }
}
