package dev.vaultengine.testkit;

import dev.vaultengine.IdGenerator;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.memory.InMemoryVaultStore;
import java.time.Instant;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each test a fresh in-memory vault: a {@link VaultService} for one account, its
 * {@link VaultEngine}, and the {@link MutableClock} that stamps every record, with deterministic
 * ids. Declare a parameter of any of those types.
 *
 * <pre>{@code
 * @ExtendWith(VaultEngineExtension.class)
 * class MyHostTest {
 *   @Test
 *   void injects(VaultService vaults, MutableClock clock) { ... }
 * }
 *
 * // or, to configure it:
 * @RegisterExtension
 * static VaultEngineExtension vault = VaultEngineExtension.builder().account("acme").seed(7).build();
 * }</pre>
 */
public final class VaultEngineExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(VaultEngineExtension.class);

  private final String account;
  private final Instant start;
  private final long seed;
  private final boolean allowEmptyVaults;

  /** The defaults: account {@code test}, clock at 2026-01-01T00:00:00Z, seed 42. */
  public VaultEngineExtension() {
    this(builder());
  }

  private VaultEngineExtension(Builder b) {
    this.account = b.account;
    this.start = b.start;
    this.seed = b.seed;
    this.allowEmptyVaults = b.allowEmptyVaults;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** One test's vault. */
  private record State(VaultEngine engine, VaultService vaults, MutableClock clock)
      implements AutoCloseable {
    @Override
    public void close() {
      engine.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    MutableClock clock = new MutableClock(start);
    VaultEngine engine = VaultEngine.builder()
        .store(new InMemoryVaultStore())
        .keyEncryptionKey(TestKeys.randomKek())
        .clock(clock)
        .idGenerator(IdGenerator.uuidV7(clock, seed))
        .allowEmptyVaults(allowEmptyVaults)
        .build();
    context.getStore(NAMESPACE).put(State.class,
        new State(engine, engine.forAccount(account), clock));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    State s = context.getStore(NAMESPACE).remove(State.class, State.class);
    if (s != null) {
      s.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == VaultService.class || type == VaultEngine.class || type == MutableClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    State s = context.getStore(NAMESPACE).get(State.class, State.class);
    if (s == null) {
      throw new IllegalStateException(
          "VaultEngineExtension parameters are available in test methods only");
    }
    Class<?> type = parameter.getParameter().getType();
    if (type == VaultService.class) {
      return s.vaults();
    }
    return type == VaultEngine.class ? s.engine() : s.clock();
  }

  /** Configuration of the extension. */
  public static final class Builder {
    private String account = "test";
    private Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private long seed = 42;
    private boolean allowEmptyVaults;

    private Builder() {}

    /** The account of the {@link VaultService} handed out. */
    public Builder account(String account) {
      this.account = account;
      return this;
    }

    /** Where the clock starts. */
    public Builder startAt(Instant start) {
      this.start = start;
      return this;
    }

    /** The seed of the id generator. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Whether vaults may be created without credentials. */
    public Builder allowEmptyVaults(boolean allow) {
      this.allowEmptyVaults = allow;
      return this;
    }

    /** The extension. */
    public VaultEngineExtension build() {
      return new VaultEngineExtension(this);
    }
  }
}
