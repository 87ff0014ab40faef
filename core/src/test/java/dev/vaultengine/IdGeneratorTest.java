package dev.vaultengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

  @Test
  void uuidV7IsVersionedTimeStampedAndStrictlyIncreasingOnAStoppedClock() {
    Instant t = Instant.parse("2026-05-18T15:34:16.874Z");
    IdGenerator ids = IdGenerator.uuidV7(Clock.fixed(t, ZoneOffset.UTC), 1);
    UUID previous = ids.next();
    assertEquals(7, previous.version());
    assertEquals(2, previous.variant());
    assertEquals(t.toEpochMilli(), previous.getMostSignificantBits() >>> 16);
    for (int i = 0; i < 100_000; i++) {
      UUID next = ids.next();
      assertTrue(hex(next).compareTo(hex(previous)) > 0, "ids must strictly increase");
      previous = next;
    }
  }

  @Test
  void sameSeedSameIds() {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    IdGenerator a = IdGenerator.uuidV7(clock, 7);
    IdGenerator b = IdGenerator.uuidV7(clock, 7);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.next(), b.next());
    }
  }

  private static String hex(UUID u) {
    return u.toString().replace("-", "");
  }
}
