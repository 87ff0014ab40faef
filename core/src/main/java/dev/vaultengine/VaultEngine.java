package dev.vaultengine;

import dev.vaultengine.internal.Engine;
import dev.vaultengine.internal.LogSettings;
import dev.vaultengine.internal.RefreshSettings;
import dev.vaultengine.spi.TokenRefresher;
import dev.vaultengine.spi.VaultStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The embedded vault: one store, one key hierarchy, any number of accounts. Build it once per
 * process, share it between threads, and close it on shutdown.
 *
 * <pre>{@code
 * VaultEngine engine = VaultEngine.builder()
 *     .store(store)
 *     .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(Path.of("vault-data/kek.json")))
 *     .build();
 * VaultService vaults = engine.forAccount("acme");
 * }</pre>
 */
public final class VaultEngine implements AutoCloseable {
  private final Engine engine;

  private VaultEngine(Engine engine) {
    this.engine = engine;
  }

  /** A builder; {@code store} and {@code keyEncryptionKey} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The Vaults API for one account. Records of other accounts are invisible to it.
   *
   * @throws VaultException.InvalidRequest for a null, empty (or only spaces) or over-long (255)
   *     account id, or one with control characters
   */
  public VaultService forAccount(String accountId) {
    return engine.forAccount(accountId, null);
  }

  /**
   * The Vaults API for one account, recording {@code actor} in the audit trail as who made each
   * change (a user name, a service, a request id: whatever the host wants to find later).
   *
   * @throws VaultException.InvalidRequest for a bad account id, or an actor that is empty (or
   *     only spaces), over 255 characters or holds control characters
   */
  public VaultService forAccount(String accountId, String actor) {
    if (actor == null) {
      throw VaultException.invalidRequest("Field 'actor' is required.", "actor");
    }
    return engine.forAccount(accountId, actor);
  }

  /** The events of every change made through any engine on this store. */
  public EventFeed events() {
    return engine.events();
  }

  /** The audit trail of every engine on this store. */
  public AuditTrail audit() {
    return engine.audit();
  }

  /** Key administration: data-key rotation, re-encryption, KEK rotation. */
  public KeyManager keys() {
    return engine.keys();
  }

  /** Closes the store. */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Immutable configuration, built once. A setter given null throws
   * {@link NullPointerException} naming the setting, and a duration or size out of its range
   * throws {@link IllegalArgumentException} saying the range: a configuration mistake is the
   * host's programming error, found when the engine is built, not a request error
   * ({@link VaultException} is for what callers of the API send).
   */
  public static final class Builder {
    private VaultStore store;
    private KeyEncryptionKey kek;
    private Clock clock = Clock.systemUTC();
    private IdGenerator ids;
    private boolean allowEmptyVaults;
    private int tokenCacheSize = 10_000;
    private TokenRefresher tokenRefresher;
    private Duration refreshWindow = Duration.ofSeconds(60);
    private Duration refreshLease = Duration.ofSeconds(30);
    private Duration refreshWait = Duration.ofSeconds(20);
    private boolean events = true;
    private AuditMode auditMode = AuditMode.BEST_EFFORT;
    private Duration eventPollInterval = Duration.ofSeconds(1);
    private Duration eventRetention = Duration.ofDays(7);
    private Duration feedStaleness;

    private Builder() {}

    /** The store; the engine closes it when closed. Required. */
    public Builder store(VaultStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The key-encryption key that wraps the data keyset. Required. */
    public Builder keyEncryptionKey(KeyEncryptionKey kek) {
      this.kek = Objects.requireNonNull(kek, "kek");
      return this;
    }

    /** The clock for created_at, updated_at and archived_at; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of ids; default UUIDv7 from this builder's clock. */
    public Builder idGenerator(IdGenerator ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * Whether a vault may be created without credentials (the guide's "can be empty"). Default
     * false: the API reference requires at least one.
     */
    public Builder allowEmptyVaults(boolean allow) {
      this.allowEmptyVaults = allow;
      return this;
    }

    /**
     * How many decrypted tokens to keep in memory for resolve; default 10,000, 0 disables the
     * cache. Past the size an arbitrary entry is dropped (no recency bookkeeping, so the resolve
     * path shares no lock; docs/decisions.md). An entry is used only while the stored ciphertext is
     * unchanged, and goes when its credential is archived or deleted through this engine.
     *
     * @throws IllegalArgumentException when {@code size} is negative
     */
    public Builder tokenCacheSize(int size) {
      if (size < 0) {
        throw new IllegalArgumentException("tokenCacheSize must be 0 or more: " + size);
      }
      this.tokenCacheSize = size;
      return this;
    }

    /**
     * Refreshes {@code mcp_oauth} tokens through {@code refresher} (such as
     * {@code NimbusTokenRefresher} of {@code vault-engine-oauth}). Without one, tokens are served as
     * stored and {@code explain} says so.
     */
    public Builder tokenRefresher(TokenRefresher refresher) {
      this.tokenRefresher = Objects.requireNonNull(refresher, "refresher");
      return this;
    }

    /**
     * How long before {@code expires_at} a resolve refreshes first; default 60 s.
     *
     * @throws IllegalArgumentException when {@code window} is negative
     */
    public Builder refreshWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("refreshWindow must not be negative: " + window);
      }
      this.refreshWindow = window;
      return this;
    }

    /**
     * How long a host holds a credential's refresh before another host may take over (a host that
     * died mid-refresh blocks others no longer than this); default 30 s. It must outlast the
     * refresher's connect and read timeouts together.
     *
     * @throws IllegalArgumentException when {@code lease} is zero or negative
     */
    public Builder refreshLease(Duration lease) {
      Objects.requireNonNull(lease, "lease");
      if (lease.isNegative() || lease.isZero()) {
        throw new IllegalArgumentException("refreshLease must be positive: " + lease);
      }
      this.refreshLease = lease;
      return this;
    }

    /**
     * How long a resolve waits for a refresh another thread or host is making before it answers
     * with the stored token and {@link RefreshProblem#REFRESHING_ELSEWHERE}; default 20 s.
     *
     * @throws IllegalArgumentException when {@code wait} is negative
     */
    public Builder refreshWait(Duration wait) {
      Objects.requireNonNull(wait, "wait");
      if (wait.isNegative()) {
        throw new IllegalArgumentException("refreshWait must not be negative: " + wait);
      }
      this.refreshWait = wait;
      return this;
    }

    /**
     * Whether changes emit events ({@link VaultEngine#events()}); default true. Off, a change
     * writes no event rows.
     */
    public Builder events(boolean emit) {
      this.events = emit;
      return this;
    }

    /** How the audit trail is kept; default {@link AuditMode#BEST_EFFORT}. */
    public Builder auditMode(AuditMode mode) {
      this.auditMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How often event delivery looks for events committed by other processes; default 1 s. This
     * engine's own changes are delivered at once, and a PostgreSQL store wakes delivery when
     * another process commits (LISTEN/NOTIFY), so the interval bounds only what the push misses.
     *
     * @throws IllegalArgumentException when {@code interval} is zero or negative
     */
    public Builder eventPollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("eventPollInterval must be positive: " + interval);
      }
      this.eventPollInterval = interval;
      return this;
    }

    /**
     * How long events are kept once every durable subscriber has handled them; default 7 days.
     *
     * @throws IllegalArgumentException when {@code retention} is zero or negative
     */
    public Builder eventRetention(Duration retention) {
      Objects.requireNonNull(retention, "retention");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("eventRetention must be positive: " + retention);
      }
      this.eventRetention = retention;
      return this;
    }

    /**
     * Lets sessions on a database shared with other processes (PostgreSQL, MariaDB) answer a
     * repeated resolve from memory while the event feed shows no change, instead of reading the
     * database at every resolve (the default). An answer is never older than {@code maxStaleness}:
     * the feed is looked at every {@link #eventPollInterval} (at once on PostgreSQL when another
     * process commits, through LISTEN/NOTIFY), and when the last look began longer ago than
     * {@code maxStaleness} a resolve reads the database. This engine's own changes are seen at
     * once. Needs events on and a poll interval shorter than {@code maxStaleness}; a store that
     * counts its own changes (in memory, SQLite, H2) ignores it, its count is exact.
     *
     * @throws IllegalArgumentException when {@code maxStaleness} is zero or negative
     */
    public Builder resolveFromEventFeed(Duration maxStaleness) {
      Objects.requireNonNull(maxStaleness, "maxStaleness");
      if (maxStaleness.isNegative() || maxStaleness.isZero()) {
        throw new IllegalArgumentException("maxStaleness must be positive: " + maxStaleness);
      }
      this.feedStaleness = maxStaleness;
      return this;
    }

    /**
     * Opens the engine: loads and unwraps the store's data keyset, creating it on first use.
     *
     * @throws IllegalStateException if the store or the KEK is missing
     * @throws VaultException.Api if the KEK cannot unwrap the stored keyset (nothing is changed)
     */
    public VaultEngine build() {
      if (store == null) {
        throw new IllegalStateException("A store is required: call store(...) before build().");
      }
      if (kek == null) {
        throw new IllegalStateException(
            "A key-encryption key is required: call keyEncryptionKey(...) before build().");
      }
      if (feedStaleness != null && !events) {
        throw new IllegalStateException(
            "resolveFromEventFeed needs events: do not turn events(false) with it.");
      }
      if (feedStaleness != null && eventPollInterval.compareTo(feedStaleness) >= 0) {
        throw new IllegalStateException("eventPollInterval (" + eventPollInterval + ") must be "
            + "shorter than resolveFromEventFeed's maxStaleness (" + feedStaleness + ").");
      }
      IdGenerator idGenerator = ids != null ? ids : IdGenerator.uuidV7(clock);
      return new VaultEngine(new Engine(store, kek, clock, idGenerator, allowEmptyVaults,
          tokenCacheSize, new RefreshSettings(tokenRefresher, refreshWindow, refreshLease,
              refreshWait), new LogSettings(events, auditMode, eventPollInterval,
              eventRetention, feedStaleness)));
    }
  }
}
