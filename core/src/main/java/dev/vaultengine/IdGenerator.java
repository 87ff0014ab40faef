package dev.vaultengine;

import dev.vaultengine.internal.UuidV7Generator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;

/**
 * Source of the UUIDs behind vault and credential ids. Ids must increase with time (lists are
 * ordered by id, newest first), so a custom generator must return strictly increasing UUIDs.
 */
@FunctionalInterface
public interface IdGenerator {

  /**
   * The next id; strictly greater than every id this generator returned before, never null (a
   * null is an {@code api_error} of the operation that asked, which then writes nothing).
   */
  UUID next();

  /** UUIDv7 from {@code clock} with secure random bits, monotonic within the process. */
  static IdGenerator uuidV7(Clock clock) {
    return new UuidV7Generator(clock, new SecureRandom());
  }

  /** Deterministic UUIDv7 from {@code clock} and {@code seed}, for tests that replay. */
  static IdGenerator uuidV7(Clock clock, long seed) {
    return new UuidV7Generator(clock, new Random(seed));
  }
}
