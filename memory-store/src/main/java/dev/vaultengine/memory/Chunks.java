package dev.vaultengine.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only sequence, dropped from the front, kept in fixed-size chunks: a log that only
 * grows must never be copied whole. An {@code ArrayList} or {@code ArrayDeque} of a million
 * entries grows by copying into a new array of a million references, which the collector then
 * scans whole at its next young collection (G1 spent 4 of every 10 seconds scanning such arrays
 * in the create benchmark); here an append writes one slot of a small array, and reading entry
 * {@code i} is two array loads. Not thread-safe (the store's lock guards it).
 */
final class Chunks<T> {
  private static final int SHIFT = 10;
  private static final int SIZE = 1 << SHIFT;
  private static final int MASK = SIZE - 1;

  private final List<Object[]> chunks = new ArrayList<>();
  /** Index, counted from the first entry ever appended, of the first entry kept. */
  private long first;
  /** Index of the first slot of {@code chunks.get(0)}. */
  private long base;
  private long end;

  void add(T value) {
    int slot = (int) ((end - base) & MASK);
    if (slot == 0) {
      chunks.add(new Object[SIZE]);
    }
    chunks.get((int) ((end - base) >>> SHIFT))[slot] = value;
    end++;
  }

  /** Index of the first entry kept (every earlier one was dropped). */
  long first() {
    return first;
  }

  /** Index one past the last entry appended. */
  long end() {
    return end;
  }

  boolean isEmpty() {
    return first == end;
  }

  /** The entry at {@code index}, which must be in {@code [first(), end())}. */
  @SuppressWarnings("unchecked")
  T get(long index) {
    if (index < first || index >= end) {
      throw new IndexOutOfBoundsException(index + " outside [" + first + ", " + end + ")");
    }
    long offset = index - base;
    return (T) chunks.get((int) (offset >>> SHIFT))[(int) (offset & MASK)];
  }

  /** Drops the first kept entry. */
  void dropFirst() {
    if (isEmpty()) {
      throw new IllegalStateException("nothing to drop");
    }
    chunks.get((int) ((first - base) >>> SHIFT))[(int) ((first - base) & MASK)] = null;
    first++;
    if (first - base == SIZE) {
      chunks.remove(0);
      base += SIZE;
    }
  }
}
