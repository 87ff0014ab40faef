package dev.vaultengine.internal;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a session, without reading the clock, that none of its remembered {@code mcp_oauth}
 * answers can have come due: an epoch that moves when the earliest remembered due time passes.
 * Reading the system clock costs 30-45 ns on the machines measured, as much as the rest of a
 * remembered resolve; comparing an epoch costs one volatile read. An answer remembered at epoch
 * {@code e} asks the timer to fire no later than its due time, so while the epoch is still
 * {@code e} it is not due; once the epoch moves, the session reads the clock once and, if still
 * not due, remembers the answer at the new epoch.
 *
 * <p>Only for the system clock: with another clock (a test's settable clock) nothing schedules on
 * its time, so every check reads the clock, as before. One daemon thread serves every engine.
 */
final class DueTimer {
  private static final long MAX_SLEEP_MILLIS = 1_000;
  private static ScheduledExecutorService scheduler;

  private final boolean enabled;
  private final Clock clock;
  private final AtomicLong epoch = new AtomicLong();
  /** The earliest due time a task is scheduled for, or MAX_VALUE when none is. */
  private final AtomicLong scheduledAt = new AtomicLong(Long.MAX_VALUE);

  DueTimer(Clock clock) {
    this.clock = clock;
    this.enabled = clock.getClass() == Clock.systemUTC().getClass();
  }

  /** The epoch to remember an answer at; read it before {@link #watch}. */
  long epoch() {
    return epoch.get();
  }

  /**
   * Whether an answer remembered at {@code answerEpoch} is known not to be due, without a clock
   * read: the timer runs and its epoch has not moved since.
   */
  boolean stillCurrent(long answerEpoch) {
    return enabled && answerEpoch == epoch.get();
  }

  /** Makes sure the epoch moves no later than {@code dueAtMillis}. */
  void watch(long dueAtMillis) {
    if (!enabled || dueAtMillis == Long.MAX_VALUE) {
      return;
    }
    while (true) {
      long current = scheduledAt.get();
      if (dueAtMillis >= current) {
        return; // an earlier (or the same) firing moves the epoch in time
      }
      if (scheduledAt.compareAndSet(current, dueAtMillis)) {
        schedule(dueAtMillis);
        return;
      }
    }
  }

  /**
   * Wakes at {@code at} on the wall clock. The scheduler counts monotonic time, which stops while
   * a machine sleeps and ignores clock steps, so it waits at most a second at a time and checks
   * the wall clock again: a suspended host serves a due token at most a second late.
   */
  private void schedule(long at) {
    long delay = Math.max(0, Math.min(MAX_SLEEP_MILLIS, at - clock.millis()));
    scheduler().schedule(() -> fire(at), delay, TimeUnit.MILLISECONDS);
  }

  private void fire(long at) {
    if (clock.millis() < at) {
      if (scheduledAt.get() == at) {
        schedule(at); // not yet on the wall clock
      }
      return;
    }
    // Clear first, then move the epoch: an answer remembered at the new epoch then finds no
    // firing scheduled and schedules its own.
    scheduledAt.compareAndSet(at, Long.MAX_VALUE);
    epoch.incrementAndGet();
  }

  private static synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "vault-engine-due-timer");
        t.setDaemon(true);
        return t;
      });
      s.setRemoveOnCancelPolicy(true);
      scheduler = s;
    }
    return scheduler;
  }
}
