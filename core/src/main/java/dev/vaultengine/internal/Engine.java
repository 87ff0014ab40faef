package dev.vaultengine.internal;

import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.KeyManager;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.internal.cache.BoundedCache;
import dev.vaultengine.AuditTrail;
import dev.vaultengine.EventFeed;
import dev.vaultengine.internal.crypto.AuditKey;
import dev.vaultengine.internal.crypto.DataKeys;
import java.util.List;
import dev.vaultengine.spi.VaultStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Everything the per-account services share: the store, the keys, time and ids, options. */
public final class Engine {
  private static final int ACCOUNT_ID_MAX = 255;

  final GuardedStore store;
  final DataKeys keys;
  private final KeyManager keyManager;
  final Clock clock;
  final IdGenerator ids;
  final boolean allowEmptyVaults;
  final TokenCache tokens;
  final Refreshes refreshes;
  final OwnWrites ownWrites;
  final DueTimer dueTimer;
  final Journals journals;
  private final EventDispatcher events;
  private final AuditTrailView audit;
  /** Normalized form of URLs already seen: resolve asks for the same few URLs over and over. */
  private final BoundedCache<String, String> urlKeys = new BoundedCache<>(10_000);

  /**
   * Opens the engine: unwraps (or creates) the data keyset once.
   *
   * @throws VaultException.Api when the KEK does not open the store's keyset
   */
  public Engine(VaultStore store, KeyEncryptionKey kek, Clock clock, IdGenerator ids,
      boolean allowEmptyVaults, int tokenCacheSize, RefreshSettings refresh, LogSettings log) {
    this.store = new GuardedStore(store);
    this.events = new EventDispatcher(this.store, clock, log.pollInterval(), log.retention());
    this.journals = new Journals(IdGenerator.uuidV7(clock), log.events(), log.auditMode());
    this.store.afterAppend(events::wake);
    boolean feed = log.feedStaleness() != null && store.changeCount() < 0;
    if (feed) {
      // A shared database: the feed tells sessions whether anything changed (bounded staleness).
      this.store.afterJournal(events::ownWrite);
      this.store.changeCountFrom(events::feedChangeCount);
    } else {
      this.store.afterJournal(events::wake);
    }
    this.clock = clock;
    this.ids = checked(ids);
    this.allowEmptyVaults = allowEmptyVaults;
    this.tokens = new TokenCache(tokenCacheSize);
    this.keys = DataKeys.open(this.store, kek);
    AuditKey auditKey = AuditKey.open(this.store, keys);
    journals.auditKey(auditKey);
    keys.journalWith((operation, eventType, detail) -> {
      Instant at = now();
      return journals.op(null, null, operation, null, null).at(at).detail(detail)
          .onOk(cascaded -> List.of(journals.event(eventType, null, null, null, at))).journal();
    });
    if (keys.created()) {
      appendLog(journals.op(null, null, "keyset.create", null, null).at(now()));
    }
    this.audit = new AuditTrailView(this.store, journals);
    this.keyManager = new ClosableKeyManager(keys, auditKey, this.store);
    this.refreshes = new Refreshes(this, refresh);
    this.ownWrites = new OwnWrites(this.store);
    this.dueTimer = new DueTimer(clock);
    // Threads last: an engine that fails to open (a wrong KEK, say) leaves none behind.
    if (log.events()) {
      events.startHousekeeping(); // purges old events even when no one subscribes
    }
    if (feed) {
      events.startFeedWatch(log.feedStaleness());
    }
  }

  /**
   * The key manager handed to callers: only {@link KeyManager}'s operations, refused once the
   * engine is closed. The {@link DataKeys} behind it, which can decrypt any row, stays here.
   */
  public KeyManager keys() {
    return keyManager;
  }

  /**
   * {@code ids} refusing a null id, which a host's generator may return by mistake: an
   * {@code api_error} before anything is written, not a NullPointerException from deep inside.
   */
  private static IdGenerator checked(IdGenerator ids) {
    return () -> {
      java.util.UUID id = ids.next();
      if (id == null) {
        throw VaultException.api("The id generator returned no id; nothing was changed.", null);
      }
      return id;
    };
  }

  /** A service scoped to {@code accountId}, recording {@code actor} (null: none) as who acts. */
  public VaultService forAccount(String accountId, String actor) {
    if (store.isClosed()) {
      throw GuardedStore.closedError();
    }
    requireName(accountId, "account_id");
    if (actor != null) {
      requireName(actor, "actor");
    }
    return new AccountVaultService(this, accountId, actor);
  }

  /**
   * An account id or actor: text without control characters, and not only spaces, which is an
   * unset value rather than a name (an account "  " would hold records no one can find).
   */
  private static void requireName(String value, String param) {
    TextRules.requireText(value, param, ACCOUNT_ID_MAX);
    TextRules.rejectControl(value, param);
    if (value.isBlank()) {
      throw VaultException.invalidRequest("Field '" + param + "' must not be empty.", param);
    }
  }

  /** The event feed. */
  public EventFeed events() {
    if (store.isClosed()) {
      throw GuardedStore.closedError();
    }
    return events;
  }

  /** The audit trail. */
  public AuditTrail audit() {
    if (store.isClosed()) {
      throw GuardedStore.closedError();
    }
    return audit;
  }

  /**
   * Appends the entries of an operation that changes nothing else (a failed refresh, a first
   * disclosure). In fail-closed mode a failure to write them is the caller's {@code api_error};
   * otherwise it is counted and logged, and the caller goes on.
   */
  void appendLog(Journals.Op op) {
    try {
      store.append(op.journal());
    } catch (VaultException e) {
      if (journals.failClosed()) {
        throw e;
      }
      journals.auditFailed(op.operation(), e);
    }
  }

  /**
   * Records an operation refused before it reached the store. Never fails the caller, who gets
   * the refusal anyway; a failure to record it is counted and logged.
   */
  void appendRefusal(Journals.Op op, String errorType) {
    if (!journals.auditing()) {
      return;
    }
    try {
      store.append(op.refused(errorType));
    } catch (RuntimeException e) {
      journals.refusalNotRecorded(op.operation(), e);
    }
  }

  /**
   * The normalized form of {@code url}, parsed once per distinct URL (up to 10,000 kept, see
   * {@link BoundedCache}). Invalid URLs are never cached: parsing throws first.
   */
  String urlKey(String url) {
    if (url == null) {
      return dev.vaultengine.McpServerUrl.parse(null).normalized(); // throws the documented error
    }
    return urlKeys.computeIfAbsent(url, u -> dev.vaultengine.McpServerUrl.parse(u).normalized());
  }

  /**
   * Runs a write of this engine that changes at most {@code credentialId}'s row (null: nothing a
   * resolve reads), recording its extent for sessions when {@code wrote} says, from its result,
   * that it committed a change (see {@link OwnWrites}).
   */
  <T> T ownWrite(String credentialId, java.util.function.Supplier<T> write,
      java.util.function.Predicate<T> wrote) {
    return ownWrites.run(credentialId, write, wrote);
  }

  /** Now, in UTC with microsecond precision: the precision every store keeps. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The time of a change to a record last changed at {@code previous}: now, but never at or before
   * {@code previous}, so updated_at always moves and optimistic checks always see the change.
   */
  Instant nextChange(Instant previous) {
    Instant now = now();
    return now.isAfter(previous) ? now : previous.plus(1, ChronoUnit.MICROS);
  }

  /** Destroys the cached tokens and closes the store; a second close does nothing. */
  public void close() {
    events.close();
    tokens.clear();
    store.close();
  }
}
