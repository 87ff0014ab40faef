package dev.vaultengine.internal;

import dev.vaultengine.EventFeed;
import dev.vaultengine.EventListener;
import dev.vaultengine.EventType;
import dev.vaultengine.Subscription;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.VaultException;
import dev.vaultengine.spi.EventRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Delivers the store's events to this engine's subscribers on one daemon thread, started with the
 * first subscriber. It reads the store's event log (so it sees other processes' events too), is
 * woken at once by this engine's own writes and by a store that can push (PostgreSQL), and polls
 * otherwise. A durable subscriber's position is saved in the store after each event its listener
 * handled: a crash between the two repeats that one event (at-least-once), never skips one.
 * Purging of old acknowledged events runs here too.
 */
final class EventDispatcher implements EventFeed, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventDispatcher.class.getName());
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int BATCH = 200;
  private static final long RETRY_MILLIS = 1_000;
  private static final Duration FIRST_PURGE_AFTER = Duration.ofMinutes(1);

  private final GuardedStore store;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration retention;
  private final Map<Long, Sub> subscribers = new ConcurrentHashMap<>();
  private final AtomicLong subscriberIds = new AtomicLong();
  private final Object signal = new Object();
  private boolean woken; // guarded by signal
  private Thread thread; // guarded by this
  private AutoCloseable watch; // guarded by this
  private volatile boolean closed;
  private volatile Instant lastPurge = Instant.EPOCH;
  /**
   * The feed as a change count, when sessions may answer from memory on a shared database (see
   * {@link #startFeedWatch}): bumped when the log's last sequence moves and at every own write;
   * {@code feedCheckedNanos} is when the last look at the log began.
   */
  private final AtomicLong feedVersion = new AtomicLong();
  private volatile long feedSeen = -1;
  private volatile long feedCheckedNanos;
  private volatile long maxStalenessNanos = -1;

  EventDispatcher(GuardedStore store, Clock clock, Duration pollInterval, Duration retention) {
    this.store = store;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.retention = retention;
  }

  /**
   * Makes the dispatcher watch the event log even without subscribers, so that
   * {@link #feedChangeCount()} can stand in for a shared store's change count.
   */
  synchronized void startFeedWatch(Duration maxStaleness) {
    maxStalenessNanos = maxStaleness.toNanos();
    startThread();
  }

  /**
   * A change count from the event feed: the feed's version while the last look at the log began
   * less than the staleness bound ago, else -1 (read the store). Never a store call.
   */
  long feedChangeCount() {
    long bound = maxStalenessNanos;
    if (bound < 0 || feedSeen < 0 || System.nanoTime() - feedCheckedNanos > bound) {
      return -1;
    }
    return feedVersion.get();
  }

  /** An own write was committed: sessions must not answer from before it. */
  void ownWrite() {
    if (maxStalenessNanos >= 0) {
      feedVersion.incrementAndGet();
    }
    wake();
  }

  /** Wakes delivery: something was committed. Cheap when no one subscribes. */
  void wake() {
    if (subscribers.isEmpty() && maxStalenessNanos < 0) {
      return;
    }
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  @Override
  public Subscription subscribe(String name, EventListener listener) {
    requireName(name);
    requireListener(listener);
    for (Sub s : subscribers.values()) {
      if (name.equals(s.name)) {
        throw VaultException.invalidRequest("Subscriber '" + name + "' is already subscribed in "
            + "this engine.", "name");
      }
    }
    OptionalLong stored = store.subscriberPosition(name);
    long position;
    if (stored.isPresent()) {
      position = stored.getAsLong();
    } else {
      position = store.lastEventSequence();
      store.saveSubscriberPosition(name, position);
    }
    return start(new Sub(name, listener, position));
  }

  @Override
  public Subscription subscribe(EventListener listener) {
    requireListener(listener);
    return start(new Sub(null, listener, store.lastEventSequence()));
  }

  @Override
  public boolean unsubscribe(String name) {
    requireName(name);
    for (Sub s : subscribers.values()) {
      if (name.equals(s.name)) {
        s.close();
      }
    }
    return store.deleteSubscriber(name);
  }

  @Override
  public List<VaultEvent> read(long afterSequence, int limit) {
    if (afterSequence < 0) {
      throw VaultException.invalidRequest("Field 'after' must be 0 or more.", "after");
    }
    if (limit < 1 || limit > 1000) {
      throw VaultException.invalidRequest("Field 'limit' must be between 1 and 1000.", "limit");
    }
    return store.readEvents(afterSequence, limit).stream().map(EventDispatcher::toEvent)
        .flatMap(Optional::stream).toList();
  }

  @Override
  public long lastSequence() {
    return store.lastEventSequence();
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw VaultException.invalidRequest("Field 'name' must be 1-128 letters, digits, '.', '_' "
          + "or '-'.", "name");
    }
  }

  private static void requireListener(EventListener listener) {
    if (listener == null) {
      throw VaultException.invalidRequest("Field 'listener' is required.", "listener");
    }
  }

  private synchronized Subscription start(Sub sub) {
    if (closed) {
      throw GuardedStore.closedError();
    }
    subscribers.put(sub.key, sub);
    startThread();
    wake();
    return sub;
  }

  /**
   * Starts the thread for housekeeping alone (purging old events), which an engine with events
   * needs even when no one subscribes: without it nothing would ever be purged. It reads the log
   * only when a subscriber or the feed option needs it, and otherwise sleeps until the next
   * purge. The first purge comes a minute after the engine opened, or one purge interval if that is
   * shorter (a short-lived process, such as one `vault` command, writes nothing for it).
   */
  synchronized void startHousekeeping() {
    Duration first = FIRST_PURGE_AFTER.compareTo(purgeEvery()) < 0 ? FIRST_PURGE_AFTER
        : purgeEvery();
    lastPurge = clock.instant().minus(purgeEvery()).plus(first);
    startThread(false);
  }

  private synchronized void startThread() {
    startThread(true);
  }

  private synchronized void startThread(boolean listen) {
    if (closed) {
      throw GuardedStore.closedError();
    }
    if (thread == null) {
      thread = new Thread(this::run, "vault-engine-events");
      thread.setDaemon(true);
      thread.start();
    }
    if (listen && watch == null) {
      try {
        watch = store.watchEvents(this::wake);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the store cannot push events; polling only: "
            + e.getClass().getSimpleName());
      }
    }
  }

  /** Whether the log must be read: someone subscribes, or sessions answer from the feed. */
  private boolean watching() {
    return !subscribers.isEmpty() || maxStalenessNanos >= 0;
  }

  private void run() {
    while (!closed) {
      try {
        if (watching()) {
          long checked = System.nanoTime(); // before the read: every commit before it is seen
          long tail = store.lastEventSequence();
          if (tail != feedSeen) {
            feedSeen = tail;
            feedVersion.incrementAndGet();
          }
          feedCheckedNanos = checked;
          for (Sub sub : subscribers.values()) {
            sub.deliverUpTo(tail);
          }
        }
        purgeIfDue();
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.log(System.Logger.Level.WARNING, "event delivery failed; retrying: "
            + e.getClass().getSimpleName());
      }
      pause();
    }
  }

  private void pause() {
    long waitMillis = watching() ? pollInterval.toMillis()
        : Math.max(1, Duration.between(clock.instant(), lastPurge.plus(purgeEvery())).toMillis());
    for (Sub s : subscribers.values()) {
      if (s.retryAtMillis > 0) {
        waitMillis = Math.min(waitMillis, Math.max(1, s.retryAtMillis - System.currentTimeMillis()));
      }
    }
    synchronized (signal) {
      if (!woken && !closed) {
        try {
          signal.wait(Math.max(1, waitMillis));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
      woken = false;
    }
  }

  /** Every tenth of the retention, at most an hour apart. */
  private Duration purgeEvery() {
    return retention.dividedBy(10).compareTo(Duration.ofHours(1)) < 0
        ? retention.dividedBy(10) : Duration.ofHours(1);
  }

  private void purgeIfDue() {
    Instant now = clock.instant();
    if (Duration.between(lastPurge, now).compareTo(purgeEvery()) >= 0) {
      lastPurge = now;
      int purged = store.purgeEvents(now.minus(retention));
      if (purged > 0) {
        LOG.log(System.Logger.Level.DEBUG, "purged " + purged + " delivered events");
      }
    }
  }

  /** The public form of a stored event; empty for a type this version does not know. */
  static Optional<VaultEvent> toEvent(EventRow row) {
    return EventType.fromWireName(row.type()).map(type -> new VaultEvent(row.id(), row.sequence(),
        type, Optional.ofNullable(row.accountId()), Optional.ofNullable(row.vaultId()),
        Optional.ofNullable(row.credentialId()), row.at()));
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
      if (watch != null) {
        try {
          watch.close();
        } catch (Exception e) {
          LOG.log(System.Logger.Level.DEBUG, "closing the event watch failed", e);
        }
      }
    }
    synchronized (signal) {
      signal.notifyAll();
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One subscriber: its listener and position. */
  private final class Sub implements Subscription {
    final long key = subscriberIds.incrementAndGet();
    final String name;
    final EventListener listener;
    volatile long position;
    volatile long retryAtMillis;
    volatile boolean stopped;

    Sub(String name, EventListener listener, long position) {
      this.name = name;
      this.listener = listener;
      this.position = position;
    }

    /** Delivers every event up to {@code tail}, stopping at a listener's failure. */
    void deliverUpTo(long tail) {
      if (retryAtMillis > System.currentTimeMillis()) {
        return;
      }
      retryAtMillis = 0;
      while (!stopped && !closed && position < tail) {
        List<EventRow> batch = store.readEvents(position, BATCH);
        if (batch.isEmpty()) {
          position = tail; // purged meanwhile: nothing left to give
          break;
        }
        for (EventRow row : batch) {
          if (stopped || closed) {
            return;
          }
          Optional<VaultEvent> event = toEvent(row);
          if (event.isPresent()) {
            try {
              listener.onEvent(event.get());
            } catch (Exception | LinkageError e) {
              LOG.log(System.Logger.Level.WARNING, "subscriber " + (name == null ? "(transient)"
                  : name) + " failed on event " + row.sequence() + "; retrying it: "
                  + e.getClass().getSimpleName());
              retryAtMillis = System.currentTimeMillis() + RETRY_MILLIS;
              return;
            }
          }
          position = row.sequence();
          if (name != null) {
            store.saveSubscriberPosition(name, position);
          }
          synchronized (this) {
            notifyAll();
          }
        }
      }
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
      long target = store.lastEventSequence();
      long deadline = System.nanoTime() + timeout.toNanos();
      wake();
      synchronized (this) {
        while (position < target && !stopped) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          wait(Math.max(1, Math.min(left / 1_000_000, 50)));
        }
      }
      return position >= target;
    }

    @Override
    public void close() {
      stopped = true;
      subscribers.remove(key);
      synchronized (this) {
        notifyAll();
      }
    }

    @Override
    public String toString() {
      return "Subscription[" + (name == null ? "transient" : name) + " at " + position + "]";
    }
  }
}
