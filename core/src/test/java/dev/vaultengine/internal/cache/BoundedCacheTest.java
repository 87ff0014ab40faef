package dev.vaultengine.internal.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {
  private final List<String> removed = new ArrayList<>();

  @Test
  void pastCapacityOneEntryGoesPerEntryAddedNotAll() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(100, (k, v) -> removed.add(v));
    for (int i = 0; i < 150; i++) {
      cache.put(i, "v" + i);
    }
    assertEquals(100, cache.size());
    assertEquals(50, removed.size());
    assertEquals("v149", cache.get(149), "the entry just added stays");
  }

  @Test
  void replacedAndRemovedValuesAreHandedToTheListener() {
    BoundedCache<String, String> cache = new BoundedCache<>(10, (k, v) -> removed.add(v));
    cache.put("a", "1");
    cache.put("a", "2");
    cache.put("b", "3");
    cache.remove("b");
    cache.put("c", "4");
    cache.removeIf((k, v) -> v.equals("4"));
    assertEquals(List.of("1", "3", "4"), removed);
    cache.clear();
    assertEquals(List.of("1", "3", "4", "2"), removed);
    assertEquals(0, cache.size());
  }

  @Test
  void capacityZeroKeepsNothing() {
    BoundedCache<String, String> cache = new BoundedCache<>(0);
    assertEquals("x", cache.computeIfAbsent("k", k -> "x"));
    assertNull(cache.get("k"));
  }
}
