package dev.vaultengine;

/** A registered listener. Closing it stops delivery; a durable subscriber keeps its position. */
public interface Subscription extends AutoCloseable {
  /** The sequence of the last event this subscriber handled. */
  long position();

  /**
   * Waits until this subscriber has handled every event committed before the call, or the timeout
   * passes.
   *
   * @return true when it caught up
   */
  boolean awaitCaughtUp(java.time.Duration timeout) throws InterruptedException;

  /** Stops delivery to this listener. */
  @Override
  void close();
}
