package dev.vaultengine.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock a test sets and moves by hand, so times in results are known in advance. Optionally it
 * steps forward by a fixed amount at every read, so that successive records get distinct times.
 * Thread-safe.
 */
public final class MutableClock extends Clock {
  private Instant now;
  private Duration step;

  /** A clock standing at {@code start} that does not move by itself. */
  public MutableClock(Instant start) {
    this(start, Duration.ZERO);
  }

  /** A clock standing at {@code start} that moves {@code stepPerRead} after every read. */
  public MutableClock(Instant start, Duration stepPerRead) {
    this.now = Objects.requireNonNull(start, "start");
    this.step = Objects.requireNonNull(stepPerRead, "stepPerRead");
  }

  /** Sets the time. */
  public synchronized void set(Instant instant) {
    this.now = Objects.requireNonNull(instant, "instant");
  }

  /** Moves the time by {@code amount} (which may be negative, to test clocks that step back). */
  public synchronized void advance(Duration amount) {
    this.now = now.plus(amount);
  }

  /** Sets how far the clock moves after each read. */
  public synchronized void stepPerRead(Duration amount) {
    this.step = Objects.requireNonNull(amount, "amount");
  }

  @Override
  public synchronized Instant instant() {
    Instant t = now;
    now = now.plus(step);
    return t;
  }

  /** The current time, without stepping. */
  public synchronized Instant peek() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("MutableClock is always UTC");
  }
}
