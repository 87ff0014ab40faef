package dev.vaultengine.spi;

/**
 * Sends refresh-token grant requests for the engine. The engine decides when to refresh, makes
 * sure one request is in flight per credential across threads and hosts, stores the result and
 * backs off after failures; a refresher only speaks the protocol. {@code vault-engine-oauth}
 * implements it with the Nimbus OAuth SDK.
 *
 * <p>Implementations are thread-safe, bound every call by their own connect and read timeouts, and
 * never throw for a protocol or network failure: they return a {@link RefreshOutcome}. Nothing they
 * log or return may hold a token, a client secret or a response body.
 */
@FunctionalInterface
public interface TokenRefresher {

  /** Sends {@code grant} and returns what the token endpoint answered. */
  RefreshOutcome refresh(RefreshGrant grant);
}
