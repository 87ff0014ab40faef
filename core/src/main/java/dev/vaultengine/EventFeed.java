package dev.vaultengine;

import java.util.List;

/**
 * The engine's events: every change made through any engine on the same store, in commit order,
 * delivered at least once to each subscriber. Get it from {@link VaultEngine#events()}.
 */
public interface EventFeed {
  /**
   * Registers a durable subscriber: its position (the last event it handled) is kept in the store
   * under {@code name}, so after a crash or restart it receives every event it had not handled
   * yet. A name seen for the first time starts after the last event committed now.
   *
   * @throws VaultException.InvalidRequest for a name that is empty, longer than 128 characters,
   *     or holds anything but letters, digits, {@code .}, {@code _} and {@code -}; or that is
   *     already subscribed in this engine
   */
  Subscription subscribe(String name, EventListener listener);

  /** Registers a subscriber for events committed from now on, kept in memory only. */
  Subscription subscribe(EventListener listener);

  /** Forgets a durable subscriber's position; false if there was none. */
  boolean unsubscribe(String name);

  /**
   * Up to {@code limit} (1-1000) stored events after sequence {@code afterSequence}, oldest first.
   */
  List<VaultEvent> read(long afterSequence, int limit);

  /** The sequence of the last event committed, 0 if none. */
  long lastSequence();
}
