package dev.vaultengine.internal;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.RefreshProblem;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.VaultException;
import dev.vaultengine.internal.crypto.SecretField;
import dev.vaultengine.internal.crypto.TokenPlace;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.RefreshGrant;
import dev.vaultengine.spi.RefreshOutcome;
import dev.vaultengine.spi.WriteOutcome;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * OAuth refresh of {@code mcp_oauth} credentials, decided here and spoken by a
 * {@link dev.vaultengine.spi.TokenRefresher}. One token request per expiry: within the process a
 * future per credential (the first resolve makes the request, the others wait for it, bounded);
 * across hosts a lease decided by the store (the holder refreshes, the others re-read until the row
 * changes; a lease of a host that died ends on its own). A failure is remembered with a backoff, and
 * the lease is held until the backoff ends, so no host asks again sooner however many resolves come
 * in. A refused grant is not retried until the credential changes (or {@code validateCredential}
 * asks).
 */
final class Refreshes {
  static final Duration BACKOFF_FIRST = Duration.ofSeconds(1);
  static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
  static final Duration RETRY_AFTER_MAX = Duration.ofHours(1);
  /** How long other hosts are kept from retrying a grant the endpoint refused. */
  static final Duration REVOKED_HOLD = Duration.ofHours(1);
  private static final long POLL_MILLIS = 25;
  /**
   * What tells a lease held for a backoff from one held for a refresh in flight: a backoff hold
   * ends more than this past a refresh lease's length. It absorbs the time between a host reading
   * its clock and the store deciding, and clock differences between hosts.
   */
  static final Duration HOLD_MARGIN = Duration.ofSeconds(5);
  private static final int WRITE_ATTEMPTS = 8;

  /**
   * A credential as it should be served, and why its token is not fresh (null when it is).
   * {@code outcome} is the token endpoint's answer when this call made the request. {@code gone}:
   * the credential was found archived or deleted meanwhile, so {@code row} must not be served.
   */
  record Fresh(CredentialRow row, RefreshProblem problem, RefreshOutcome outcome, boolean gone) {
    Fresh(CredentialRow row, RefreshProblem problem, RefreshOutcome outcome) {
      this(row, problem, outcome, false);
    }

    static Fresh goneFrom(CredentialRow row) {
      return new Fresh(row, null, null, true);
    }
  }

  /** A forced refresh after a rejection waits this long after the credential's last change. */
  static final Duration REJECTION_INTERVAL = Duration.ofSeconds(10);

  /** A failed refresh of the row version {@code updatedAt}: no new request before retryAt. */
  private record Failure(Instant updatedAt, RefreshProblem problem, Instant retryAt, int attempts) {}

  private final Engine engine;
  private final RefreshSettings settings;
  /** This engine's name in leases: random, so two engines of one process are two hosts. */
  private final String owner;
  private final ConcurrentHashMap<String, CompletableFuture<Fresh>> inflight =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Failure> failures = new ConcurrentHashMap<>();

  Refreshes(Engine engine, RefreshSettings settings) {
    this.engine = engine;
    this.settings = settings;
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.owner = "engine-" + HexFormat.of().formatHex(id);
  }

  /**
   * The epoch millisecond from which a resolve of {@code row} must refresh first, or
   * {@link Long#MAX_VALUE} when never: the one number the resolve fast path compares.
   */
  long dueAtMillis(CredentialRow row) {
    if (row.kind() instanceof CredentialKind.McpOAuth o && o.expiresAt().isPresent()) {
      // Half the token's life at most: a token that lives less than twice the window would
      // otherwise be due the moment it is stored, and every resolve would refresh it again.
      long expires = o.expiresAt().get().toEpochMilli();
      long life = Math.max(0, expires - row.updatedAt().toEpochMilli());
      return expires - Math.min(settings.window().toMillis(), life / 2);
    }
    return Long.MAX_VALUE;
  }

  /** What explain says about {@code row}'s token, without making a request. */
  RefreshProblem diagnose(CredentialRow row) {
    if (!(row.kind() instanceof CredentialKind.McpOAuth o)) {
      return null;
    }
    if (o.refresh().isPresent() && settings.refresher() == null) {
      return RefreshProblem.NO_REFRESHER;
    }
    boolean due = engine.clock.millis() >= dueAtMillis(row);
    if (due && o.refresh().isEmpty()) {
      return RefreshProblem.NO_REFRESH_GRANT;
    }
    Failure f = failures.get(row.id());
    return f != null && f.updatedAt().equals(row.updatedAt()) ? f.problem() : null;
  }

  /** Why a credential is refreshed. */
  enum Why {
    /** A resolve found it within the window: refresh unless backing off. */
    DUE,
    /** The MCP server refused the token just served: refresh now unless backing off. */
    REJECTED,
    /** {@code validateCredential}: refresh now, whatever the window or backoff. */
    VALIDATE
  }

  /**
   * {@code row} ready to serve: refreshed first when {@code why} calls for it, with one request per
   * credential across threads and hosts.
   */
  Fresh freshen(CredentialRow row, Why why) {
    boolean force = why != Why.DUE;
    if (!(row.kind() instanceof CredentialKind.McpOAuth o)) {
      return new Fresh(row, null, null);
    }
    if (!force && engine.clock.millis() < dueAtMillis(row)) {
      return new Fresh(row, null, null);
    }
    if (o.refresh().isEmpty()) {
      return new Fresh(row, RefreshProblem.NO_REFRESH_GRANT, null);
    }
    if (settings.refresher() == null) {
      return new Fresh(row, RefreshProblem.NO_REFRESHER, null);
    }
    if (why == Why.REJECTED
        && engine.now().isBefore(row.updatedAt().plus(REJECTION_INTERVAL))) {
      // Just refreshed or changed, and refused again: another refresh now would not help, and a
      // server refusing every token must not get a token request per MCP request.
      return new Fresh(row, null, null);
    }
    if (why != Why.VALIDATE) {
      Failure f = failures.get(row.id());
      if (f != null && f.updatedAt().equals(row.updatedAt())
          && engine.now().isBefore(f.retryAt())) {
        return new Fresh(row, f.problem(), null);
      }
    }
    CompletableFuture<Fresh> mine = new CompletableFuture<>();
    CompletableFuture<Fresh> running = inflight.putIfAbsent(row.id(), mine);
    if (running != null) {
      return await(running, row);
    }
    try {
      Fresh fresh = underLease(row, force);
      mine.complete(fresh);
      return fresh;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inflight.remove(row.id(), mine);
    }
  }

  private Fresh await(CompletableFuture<Fresh> running, CredentialRow row) {
    try {
      Fresh f = running.get(settings.maxWait().toMillis(), TimeUnit.MILLISECONDS);
      return new Fresh(f.row(), f.problem(), null, f.gone());
    } catch (TimeoutException e) {
      return new Fresh(row, RefreshProblem.REFRESHING_ELSEWHERE, null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof VaultException v) {
        throw v;
      }
      throw VaultException.api("Refreshing credential '" + row.id() + "' failed.", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Fresh(row, RefreshProblem.REFRESHING_ELSEWHERE, null);
    }
  }

  /** Takes the store's lease (or waits for its holder's result), then refreshes. */
  private Fresh underLease(CredentialRow row, boolean force) {
    String account = row.accountId();
    String id = row.id();
    long deadline = System.nanoTime() + settings.maxWait().toNanos();
    CredentialRow current = row;
    while (true) {
      Instant now = engine.now();
      Optional<Instant> held = engine.ownWrite(null,
          () -> engine.store.tryLeaseRefresh(account, id, owner, now, now.plus(settings.lease())),
          Optional::isEmpty);
      if (held.isEmpty()) {
        break;
      }
      if (held.get().equals(Instant.MAX)) {
        return Fresh.goneFrom(current); // archived or deleted meanwhile
      }
      if (held.get().isAfter(now.plus(settings.lease()).plus(HOLD_MARGIN))) {
        // Held past any refresh's length: another host is backing off after a failure.
        return new Fresh(current, RefreshProblem.TEMPORARILY_UNAVAILABLE, null);
      }
      if (System.nanoTime() - deadline >= 0) {
        return new Fresh(current, RefreshProblem.REFRESHING_ELSEWHERE, null);
      }
      sleep(POLL_MILLIS);
      Optional<CredentialRow> again = engine.store.findCredential(account, row.vaultId(), id);
      if (again.isEmpty() || again.get().status() != Status.ACTIVE) {
        return Fresh.goneFrom(current);
      }
      if (!again.get().updatedAt().equals(current.updatedAt())) {
        current = again.get(); // the holder wrote: its result is ours
        if (force || engine.clock.millis() < dueAtMillis(current)) {
          return new Fresh(current, null, null);
        }
      }
    }
    boolean keepLease = false;
    try {
      Optional<CredentialRow> reread = engine.store.findCredential(account, row.vaultId(), id);
      if (reread.isEmpty() || reread.get().status() != Status.ACTIVE) {
        return Fresh.goneFrom(current);
      }
      current = reread.get();
      if (force ? !current.updatedAt().equals(row.updatedAt())
          : engine.clock.millis() < dueAtMillis(current)) {
        return new Fresh(current, null, null); // another host refreshed just before our lease
      }
      Fresh fresh = exchange(current);
      // A request that failed holds the lease until its backoff ends, for every host.
      keepLease = fresh.outcome() != null && fresh.problem() != null;
      return fresh;
    } finally {
      if (!keepLease) {
        // As for the answer's writes (exchange): an interrupt must not leave the lease held.
        boolean interrupted = Thread.interrupted();
        try {
          engine.ownWrite(null, () -> engine.store.releaseRefreshLease(account, id, owner),
              released -> released);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  /** One token request for {@code current}, and what it leads to. */
  private Fresh exchange(CredentialRow current) {
    CredentialKind.McpOAuth kind = (CredentialKind.McpOAuth) current.kind();
    OAuthRefresh grant = kind.refresh().orElseThrow();
    Secret refreshToken = engine.keys.decrypt(current, SecretField.REFRESH_TOKEN);
    Secret clientSecret = engine.keys.decrypt(current, SecretField.CLIENT_SECRET);
    try {
      if (refreshToken == null) {
        return new Fresh(current, RefreshProblem.NO_REFRESH_GRANT, null);
      }
      RefreshOutcome outcome;
      try {
        outcome = settings.refresher().refresh(new RefreshGrant(URI.create(grant.tokenEndpoint()),
            grant.clientId(), grant.tokenEndpointAuth(),
            grant.tokenEndpointAuth().needsSecret() ? clientSecret : null, refreshToken,
            grant.scope(), grant.resource()));
      } catch (RuntimeException e) {
        // A refresher must not throw; if one does, its message may hold anything: drop it.
        outcome = null;
      }
      if (outcome == null) { // a refresher that broke its contract: a transient failure
        outcome = new RefreshOutcome.Unavailable(RefreshOutcome.Reason.CONNECT_FAILED, 0,
            Optional.empty());
      }
      // What the endpoint answered must reach the store even when this thread was interrupted
      // meanwhile (a Reactor task disposed when an MCP request timed out): the server may have
      // rotated the refresh token, and a pool or driver that honours the interrupt would fail the
      // write and lose the new grant. The interrupt is set again once the writes are done.
      boolean interrupted = Thread.interrupted();
      try {
        return answered(current, outcome, refreshToken, clientSecret);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      if (refreshToken != null) {
        refreshToken.destroy();
      }
      if (clientSecret != null) {
        clientSecret.destroy();
      }
    }
  }

  /** Stores a refreshed token, or records and backs off a failed request. */
  private Fresh answered(CredentialRow current, RefreshOutcome outcome, Secret refreshToken,
      Secret clientSecret) {
    if (outcome instanceof RefreshOutcome.Refreshed ok) {
      try {
        return store(current, ok, refreshToken, clientSecret);
      } finally {
        ok.accessToken().destroy();
        ok.refreshToken().ifPresent(Secret::destroy);
      }
    }
    Failure before = failures.get(current.id());
    int attempts = before == null || !before.updatedAt().equals(current.updatedAt())
        ? 1 : before.attempts() + 1;
    Instant now = engine.now();
    Failure failure;
    Instant holdUntil;
    if (outcome instanceof RefreshOutcome.Rejected) {
      failure = new Failure(current.updatedAt(), RefreshProblem.GRANT_REVOKED, Instant.MAX,
          attempts);
      holdUntil = now.plus(REVOKED_HOLD);
    } else {
      RefreshOutcome.Unavailable u = (RefreshOutcome.Unavailable) outcome;
      Duration delay = backoff(attempts);
      if (u.retryAfter().isPresent()) {
        Duration asked = u.retryAfter().get().compareTo(RETRY_AFTER_MAX) > 0
            ? RETRY_AFTER_MAX : u.retryAfter().get();
        delay = asked.compareTo(delay) > 0 ? asked : delay;
      }
      holdUntil = now.plus(delay);
      failure = new Failure(current.updatedAt(), RefreshProblem.TEMPORARILY_UNAVAILABLE,
          holdUntil, attempts);
    }
    failures.put(current.id(), failure);
    engine.appendLog(engine.journals.op(current.accountId(), null, "credential.refresh",
            current.vaultId(), current.id()).at(now)
        .outcome("refresh_failed")
        .detail(failure.problem().name().toLowerCase(java.util.Locale.ROOT))
        .emits("vault_credential.refresh_failed"));
    // Hold the lease through the backoff, and long enough that other hosts see a backoff hold
    // (not a refresh in flight) and answer at once. This host retries on its own schedule: the
    // holder may take its lease again at any time.
    Instant minimumHold = now.plus(settings.lease()).plus(HOLD_MARGIN.multipliedBy(2));
    Instant hold = holdUntil.isAfter(minimumHold) ? holdUntil : minimumHold;
    engine.ownWrite(null, () -> engine.store.tryLeaseRefresh(current.accountId(), current.id(),
        owner, now, hold), Optional::isEmpty);
    return new Fresh(current, failure.problem(), outcome);
  }

  static Duration backoff(int attempts) {
    Duration d = BACKOFF_FIRST;
    for (int i = 1; i < attempts && d.compareTo(BACKOFF_MAX) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
  }

  /**
   * Stores a new access token (and a rotated refresh token) in one compare-and-set write. When the
   * row changed meanwhile but still holds the refresh token we used, the tokens are applied to the
   * new version; when someone replaced the refresh grant's secrets, theirs win.
   */
  private Fresh store(CredentialRow current, RefreshOutcome.Refreshed ok, Secret usedRefreshToken,
      Secret clientSecret) {
    Instant now = engine.now();
    Optional<Instant> expiresAt =
        ok.expiresIn().map(d -> now.plus(d).truncatedTo(ChronoUnit.MICROS));
    Secret refreshToken = ok.refreshToken().orElse(usedRefreshToken);
    CredentialRow base = current;
    for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      CredentialKind.McpOAuth kind = (CredentialKind.McpOAuth) base.kind();
      Secret client = base == current ? clientSecret : keptClientSecret(base);
      EncryptedSecrets sealed;
      try {
        sealed = engine.keys.seal(TokenPlace.of(base), ok.accessToken(), refreshToken, client);
      } finally {
        if (client != null && client != clientSecret) {
          client.destroy();
        }
      }
      CredentialRow updated = new CredentialRow(base.accountId(), base.id(), base.vaultId(),
          base.identityKey(), new CredentialKind.McpOAuth(kind.mcpServerUrl(), kind.protocol(),
              expiresAt, kind.refresh()),
          base.displayName(), base.metadata(), Status.ACTIVE, null, base.createdAt(),
          engine.nextChange(base.updatedAt()), sealed);
      CredentialRow expected = base;
      dev.vaultengine.spi.Journal journal = engine.journals.op(base.accountId(), null,
              "credential.refresh", base.vaultId(), base.id())
          .at(updated.updatedAt())
          .secrets(engine.journals.secretHashes(new String[] {"access_token", "refresh_token"},
              new Secret[] {ok.accessToken(), ok.refreshToken().orElse(null)}))
          .emits("vault_credential.refreshed").journal();
      WriteOutcome w = engine.ownWrite(base.id(),
          () -> engine.store.updateCredential(updated, expected.updatedAt(), journal),
          outcome -> outcome == WriteOutcome.OK);
      if (w == WriteOutcome.OK) {
        failures.remove(base.id());
        engine.tokens.evict(base.id());
        return new Fresh(updated, null, ok);
      }
      if (w != WriteOutcome.STALE) {
        return new Fresh(current, null, ok, true); // archived or deleted meanwhile
      }
      Optional<CredentialRow> again =
          engine.store.findCredential(base.accountId(), base.vaultId(), base.id());
      if (again.isEmpty() || again.get().status() != Status.ACTIVE) {
        return new Fresh(current, null, ok, true);
      }
      base = again.get();
      if (!(base.kind() instanceof CredentialKind.McpOAuth m) || m.refresh().isEmpty()
          || base.secrets() == null || !holds(base, usedRefreshToken)) {
        return new Fresh(base, null, ok); // the grant was replaced: the new one is the user's
      }
    }
    throw VaultException.api("Credential '" + current.id()
        + "' kept changing while its refreshed token was stored; try again.", null);
  }

  /**
   * Whether {@code row} still holds the refresh token that was used (compared in the clear: an
   * update of another secret seals the kept ones again, so their ciphertext changes).
   */
  private boolean holds(CredentialRow row, Secret usedRefreshToken) {
    Secret stored = engine.keys.decrypt(row, SecretField.REFRESH_TOKEN);
    try {
      return stored != null && stored.sameAs(usedRefreshToken);
    } finally {
      if (stored != null) {
        stored.destroy();
      }
    }
  }

  private Secret keptClientSecret(CredentialRow row) {
    return engine.keys.decrypt(row, SecretField.CLIENT_SECRET);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw VaultException.api("Interrupted while waiting for another host's refresh.", null);
    }
  }
}
