package dev.vaultengine.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Shrinks a failing sequence by dropping steps while it still fails: chunks of half the sequence
 * first, then smaller chunks down to single steps, so a long failing run ends as the few steps
 * that matter. Operations refer to records modulo what exists, so every shorter sequence is still
 * a valid one.
 */
final class Shrinker {
  private Shrinker() {}

  /**
   * The shortest sequence found, by dropping steps of {@code failing}, for which
   * {@code stillFails} holds; never empty.
   */
  static <T> List<T> shrink(List<T> failing, Predicate<List<T>> stillFails) {
    List<T> current = new ArrayList<>(failing);
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
      boolean removed = true;
      while (removed) {
        removed = false;
        for (int from = 0; from + chunk <= current.size(); from += chunk) {
          List<T> candidate = new ArrayList<>(current.subList(0, from));
          candidate.addAll(current.subList(from + chunk, current.size()));
          if (!candidate.isEmpty() && stillFails.test(candidate)) {
            current = candidate;
            removed = true;
            break;
          }
        }
      }
      if (chunk == 1) {
        break;
      }
    }
    return current;
  }
}
