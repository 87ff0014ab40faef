package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.ErrorType;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.VaultStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * What every concern of the contract suite starts from: a fresh store per test from the
 * {@link #fixture()}, wrapped in a {@link RecordingStore}, an engine on a {@link MutableClock} with
 * deterministic ids, two accounts, and the helpers the concerns share (requests, assertions, page
 * walks). Each concern ({@link LifecycleContract}, {@link BadInputContract}, ...) extends this
 * class directly and nothing else, so any one of them runs alone for a store: extend it and return
 * the store's fixture. {@link VaultStoreContract} runs them all. Not meant to be extended by
 * anything but a concern.
 */
public abstract class ContractBase {
  /** For the concerns, which extend this class. */
  protected ContractBase() {}

  /** The time every test starts at: the seeds' example timestamp. */
  protected static final Instant T0 = Instant.parse("2026-05-18T15:34:16.874877Z");

  /** The clock of {@link #engine}. */
  protected MutableClock clock;
  /** The store under test, recording calls. */
  protected RecordingStore store;
  /** The KEK of {@link #engine}, counting its calls. */
  protected CountingKek kek;
  /** An engine over {@link #store}. */
  protected VaultEngine engine;
  /** Account {@code acct_a}. */
  protected VaultService vaults;
  /** Account {@code acct_b}, which must never see {@code acct_a}'s records. */
  protected VaultService otherAccount;

  /** Watches every token written during the test class; see {@link #noTokenLeaked()}. */
  protected static final SecretLeakGuard LEAKS = new SecretLeakGuard();

  /** The data the current test's store was opened on; disposed after the test. */
  private StoreFixture.Data data;
  /** Data opened by {@link #anotherStore()}, disposed after the test. */
  private final List<StoreFixture.Data> extraData = new ArrayList<>();

  /**
   * The stores under test. Called once per test, before the engine opens; the data it gives is
   * disposed after the test.
   */
  protected abstract StoreFixture fixture();

  /**
   * A second, independent empty store of the kind under test, for tests that need one beside
   * {@link #store}; disposed with the test's own data.
   */
  protected VaultStore anotherStore() {
    StoreFixture.Data other = fixture().fresh();
    extraData.add(other);
    return other.open();
  }

  /**
   * A store on this test's data again, once the engine over {@link #store} was closed: what a
   * restarted host opens. The caller closes it (through an engine).
   */
  protected RecordingStore reopenedStore() {
    return new RecordingStore(data.reopen());
  }

  @BeforeAll
  static void watchForLeaks() {
    LEAKS.start();
  }

  @AfterAll
  static void noTokenLeaked() {
    LEAKS.stop();
    assertEquals(List.of(), LEAKS.leaks(), "tokens leaked into logs, output or exceptions");
  }

  @BeforeEach
  void openEngine() {
    clock = new MutableClock(T0);
    data = fixture().fresh();
    store = new RecordingStore(data.open());
    kek = new CountingKek(TestKeys.randomKek());
    engine = openEngine(store, false);
    vaults = engine.forAccount("acct_a");
    otherAccount = engine.forAccount("acct_b");
  }

  @AfterEach
  void closeEngine() {
    // One method, so that the engine (and with it the store) closes before its data goes.
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      if (data != null) {
        data.dispose();
      }
      extraData.forEach(StoreFixture.Data::dispose);
      extraData.clear();
    }
  }

  /** Another engine over {@code s}, with this test's clock and KEK. */
  protected VaultEngine openEngine(VaultStore s, boolean allowEmptyVaults) {
    return VaultEngine.builder()
        .store(s)
        .keyEncryptionKey(kek)
        .clock(clock)
        .idGenerator(IdGenerator.uuidV7(clock, 42))
        .allowEmptyVaults(allowEmptyVaults)
        .build();
  }

  /** A valid credential request for {@code url} with {@code token}. */
  protected static CreateCredentialRequest credential(String url, String token) {
    LEAKS.token(token);
    return CreateCredentialRequest.builder()
        .mcpServerUrl(url)
        .protocol(Protocol.STREAMABLE_HTTP)
        .accessToken(token)
        .build();
  }

  /** A valid credential request for {@code url} with a token derived from it. */
  protected static CreateCredentialRequest credential(String url) {
    return credential(url, tokenFor(url));
  }

  /** The token {@link #credential(String)} uses for {@code url}. */
  protected static String tokenFor(String url) {
    return "tok_" + Integer.toHexString(url.hashCode()) + "_" + url.length();
  }

  /** {@code value} as a secret, registered with the leak guard. */
  protected static Secret secret(String value) {
    LEAKS.token(value);
    return Secret.of(value);
  }

  /** The token endpoint of {@link #oauth(String)}. */
  protected static final String TOKEN_ENDPOINT = "https://auth.example.com/oauth/token";

  /** The access token {@link #oauth(String)} uses for {@code url}. */
  protected static String accessTokenFor(String url) {
    return "at_" + Integer.toHexString(url.hashCode()) + "_" + url.length();
  }

  /** The refresh token {@link #oauth(String)} uses for {@code url}. */
  protected static String refreshTokenFor(String url) {
    return "rt_" + Integer.toHexString(url.hashCode()) + "_" + url.length();
  }

  /** The client secret {@link #oauth(String)} uses for {@code url}. */
  protected static String clientSecretFor(String url) {
    return "cs_" + Integer.toHexString(url.hashCode()) + "_" + url.length();
  }

  /** The secret value {@link #env(String)} uses for {@code name}. */
  protected static String secretValueFor(String name) {
    return "sv_" + name + "_" + Integer.toHexString(name.hashCode());
  }

  /**
   * An {@code mcp_oauth} request for {@code url} with every field: an access token expiring a day
   * after {@link #T0}, and a refresh grant authenticated with {@code client_secret_basic}; secrets
   * from {@link #accessTokenFor}, {@link #refreshTokenFor} and {@link #clientSecretFor}.
   */
  protected static CreateCredentialRequest.Builder oauthBuilder(String url) {
    return CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH).mcpServerUrl(url)
        .protocol(Protocol.STREAMABLE_HTTP).accessToken(secret(accessTokenFor(url)))
        .expiresAt(T0.plus(Duration.ofDays(1)))
        .refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, "client-" + url.length(), "read write",
            null, secret(refreshTokenFor(url)),
            TokenEndpointAuth.basic(secret(clientSecretFor(url)))));
  }

  /** {@link #oauthBuilder(String)}, built. */
  protected static CreateCredentialRequest oauth(String url) {
    return oauthBuilder(url).build();
  }

  /**
   * An {@code environment_variable} request named {@code name} with the value
   * {@link #secretValueFor}, unrestricted, substituted in headers and body.
   */
  protected static CreateCredentialRequest.Builder envBuilder(String name) {
    return CreateCredentialRequest.builder().type(CredentialType.ENVIRONMENT_VARIABLE)
        .secretName(name).secretValue(secret(secretValueFor(name)))
        .networking(Networking.unrestricted()).injectionLocation(new InjectionLocation(true, true));
  }

  /** {@link #envBuilder(String)}, built. */
  protected static CreateCredentialRequest env(String name) {
    return envBuilder(name).build();
  }

  /** The stored row of {@code c}, of account {@code acct_a}. */
  protected CredentialRow stored(Credential c) {
    return store.findCredential("acct_a", c.vaultId(), c.id()).orElseThrow();
  }

  /** A reader of the store's secrets, independent of the engine (the keyset as it is now). */
  StoredSecrets storedSecrets() {
    return StoredSecrets.of(store, kek);
  }

  /** Creates a vault in {@code service} with one credential per URL. */
  protected static CreatedVault createVault(VaultService service, String name, String... urls) {
    CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName(name);
    for (String url : urls) {
      b.addCredential(credential(url));
    }
    return service.createVault(b.build());
  }

  /** Creates a vault in account {@code acct_a} with one credential per URL. */
  protected CreatedVault createVault(String name, String... urls) {
    return createVault(vaults, name, urls);
  }

  /**
   * Asserts that {@code call} throws a {@link VaultException} with exactly this type, message and
   * param (null for none).
   */
  protected static VaultException assertError(ErrorType type, String message, String param,
      Executable call) {
    VaultException e = assertThrows(VaultException.class, call);
    LEAKS.record(e);
    assertEquals(type, e.type(), () -> "type of: " + e);
    if (message != null) {
      assertEquals(message, e.getMessage(), () -> "message of: " + e);
    }
    assertEquals(Optional.ofNullable(param), e.param(), () -> "param of: " + e);
    return e;
  }

  /** Every vault and credential of an account, archived included, as the API shows them. */
  protected static List<Object> snapshot(VaultService service) {
    List<Object> all = new ArrayList<>();
    for (Vault v : walk(p -> service.listVaults(p), true)) {
      all.add(v);
      all.addAll(walk(p -> service.listCredentials(v.id(), p), true));
    }
    return all;
  }

  /** The whole state of both test accounts. */
  protected List<Object> snapshot() {
    List<Object> all = new ArrayList<>(snapshot(vaults));
    all.add("--");
    all.addAll(snapshot(otherAccount));
    return all;
  }

  /** A lister of pages. */
  @FunctionalInterface
  protected interface Lister<T> {
    /** One page. */
    Page<T> list(ListRequest request);
  }

  /** Walks every page with after_id, newest first. */
  protected static <T> List<T> walk(Lister<T> lister, boolean includeArchived) {
    List<T> out = new ArrayList<>();
    String after = null;
    while (true) {
      Page<T> page = lister.list(ListRequest.builder().limit(100).afterId(after)
          .includeArchived(includeArchived).build());
      out.addAll(page.data());
      if (!page.hasMore()) {
        return out;
      }
      after = page.lastId();
    }
  }
}
