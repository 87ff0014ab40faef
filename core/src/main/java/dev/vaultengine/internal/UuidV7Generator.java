package dev.vaultengine.internal;

import static java.util.Objects.requireNonNull;

import dev.vaultengine.IdGenerator;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;

/**
 * RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then 74 bits that start random in each new
 * millisecond and count up by one within it (a monotonic counter), so ids from one generator
 * strictly increase even when the clock stalls or steps back.
 */
public final class UuidV7Generator implements IdGenerator {
  private static final long RAND_B_MASK = (1L << 62) - 1;

  private final Clock clock;
  private final Random random;
  private long lastMillis = Long.MIN_VALUE;
  private long randA; // 12 bits
  private long randB; // 62 bits

  /** A generator reading {@code clock}, drawing from {@code random}. */
  public UuidV7Generator(Clock clock, Random random) {
    this.clock = requireNonNull(clock, "clock");
    this.random = requireNonNull(random, "random");
  }

  @Override
  public synchronized UUID next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      randA = random.nextInt(1 << 12);
      // Leave headroom below the top so the counter rarely spills into the next millisecond.
      randB = random.nextLong() & (RAND_B_MASK >>> 1);
    } else {
      // Within a millisecond the 74 bits count up by one (RFC 9562, monotonic counter): cheap,
      // and ids are not secrets; fresh random bits start each new millisecond.
      long next = randB + 1;
      if (next > RAND_B_MASK) { // the 62-bit counter spilled: carry into rand_a, then the time
        next &= RAND_B_MASK;
        randA = (randA + 1) & 0xFFF;
        if (randA == 0) {
          lastMillis++;
        }
      }
      randB = next;
    }
    long msb = (lastMillis << 16) | (0x7L << 12) | randA;
    long lsb = (0x2L << 62) | randB;
    return new UUID(msb, lsb);
  }
}
