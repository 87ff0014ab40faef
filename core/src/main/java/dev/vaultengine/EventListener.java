package dev.vaultengine;

/**
 * Receives events, one at a time, in sequence order, on the engine's delivery thread. An event
 * counts as handled when this returns; if it throws, the same event is offered again after a
 * pause (at-least-once delivery), so a listener should tolerate seeing an event twice.
 */
@FunctionalInterface
public interface EventListener {
  /** Handles one event. */
  void onEvent(VaultEvent event) throws Exception;
}
