package dev.vaultengine.internal.cache;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * The one bounded cache of the engine and its stores: a {@link ConcurrentHashMap} that, once past
 * its capacity, drops one arbitrary entry (the first its iterator yields) for each entry added.
 * Reads take no lock and update nothing, so the resolve path shares no cache line between threads;
 * the price is no recency order, which the caches here do not need: each holds a few hot keys (the
 * URLs a host talks to, the credentials it resolves) far below its capacity. Before, three caches
 * emptied themselves completely when full, so one key too many cost every key a miss.
 *
 * @param <K> keys
 * @param <V> values
 */
public final class BoundedCache<K, V> {
  private final int capacity;
  private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();
  private final BiConsumer<K, V> onRemoval;

  /** A cache of at most {@code capacity} entries (0 keeps nothing). */
  public BoundedCache(int capacity) {
    this(capacity, (k, v) -> { });
  }

  /**
   * A cache of at most {@code capacity} entries that hands every entry it drops, replaces or
   * removes to {@code onRemoval} (to destroy a secret, say).
   */
  public BoundedCache(int capacity, BiConsumer<K, V> onRemoval) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be 0 or more: " + capacity);
    }
    this.capacity = capacity;
    this.onRemoval = onRemoval;
  }

  /** The value of {@code key}, or null. */
  public V get(K key) {
    return entries.get(key);
  }

  /** The value of {@code key}, computed and kept if absent (the computation is not atomic). */
  public V computeIfAbsent(K key, Function<K, V> compute) {
    V value = entries.get(key);
    if (value == null) {
      value = compute.apply(key);
      put(key, value);
    }
    return value;
  }

  /** Keeps {@code value} under {@code key}, dropping an arbitrary entry if past capacity. */
  public void put(K key, V value) {
    if (capacity == 0) {
      return;
    }
    V old = entries.put(key, value);
    if (old != null && old != value) {
      onRemoval.accept(key, old);
    }
    if (entries.size() > capacity) {
      Iterator<Map.Entry<K, V>> any = entries.entrySet().iterator();
      if (any.hasNext()) {
        Map.Entry<K, V> victim = any.next();
        remove(victim.getKey());
      }
    }
  }

  /** Removes {@code key}'s entry, if any. */
  public void remove(K key) {
    V old = entries.remove(key);
    if (old != null) {
      onRemoval.accept(key, old);
    }
  }

  /** Removes every entry {@code test} accepts. */
  public void removeIf(BiPredicate<K, V> test) {
    for (Map.Entry<K, V> e : entries.entrySet()) {
      if (test.test(e.getKey(), e.getValue()) && entries.remove(e.getKey(), e.getValue())) {
        onRemoval.accept(e.getKey(), e.getValue());
      }
    }
  }

  /** Removes every entry. */
  public void clear() {
    removeIf((k, v) -> true);
  }

  /** How many entries are kept now. */
  public int size() {
    return entries.size();
  }
}
