package dev.vaultengine.internal;

import dev.vaultengine.spi.TokenRefresher;
import java.time.Duration;
import java.util.Objects;

/**
 * How the engine refreshes {@code mcp_oauth} tokens.
 *
 * @param refresher the protocol side, or null: tokens are then served as stored
 * @param window how long before {@code expires_at} a resolve refreshes first
 * @param lease how long a host may hold a credential's refresh before another host takes over; it
 *     must outlast the refresher's own timeouts
 * @param maxWait how long a resolve waits for a refresh that another thread or host is making
 */
public record RefreshSettings(TokenRefresher refresher, Duration window, Duration lease,
    Duration maxWait) {

  /** The defaults: a 60 s window, a 30 s lease, a 20 s wait. */
  public static RefreshSettings defaults(TokenRefresher refresher) {
    return new RefreshSettings(refresher, Duration.ofSeconds(60), Duration.ofSeconds(30),
        Duration.ofSeconds(20));
  }

  /** Requires the durations, positive (the window may be zero). */
  public RefreshSettings {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(maxWait, "maxWait");
    if (window.isNegative() || lease.isNegative() || lease.isZero() || maxWait.isNegative()) {
      throw new IllegalArgumentException("refresh durations must be positive");
    }
  }
}
