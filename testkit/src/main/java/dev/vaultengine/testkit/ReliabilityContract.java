package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.ListRequest;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Page;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reliability for every store: the model-based property run and a concurrency stress run, each
 * followed by the invariants, and random bad input at every entry point.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code Reliability} with the same {@link StoreFixture} as every other concern; it runs alone for
 * one store by its tag, {@code -Dtest=MyStoreContractTest -Dgroups=reliability},
 * or in a class of its own that extends it and returns the store's {@link #fixture()}.
 */
@Tag("reliability")
public abstract class ReliabilityContract {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected ReliabilityContract() {}

  /** Watches the tokens written here: none may show up in logs, output or exceptions. */
  private static final SecretLeakGuard LEAKS = new SecretLeakGuard();

  @org.junit.jupiter.api.BeforeAll
  static void watchForLeaks() {
    LEAKS.start();
  }

  @org.junit.jupiter.api.AfterAll
  static void noTokenLeaked() {
    LEAKS.stop();
    assertEquals(List.of(), LEAKS.leaks(), "tokens leaked into logs, output or exceptions");
  }

  /** Fresh, reopenable stores of the kind under test. */
  protected abstract StoreFixture fixture();

  /** A short name for the figures printed, such as {@code memory}. */
  protected String storeName() {
    return getClass().getSimpleName();
  }

  @Test
  @Tag("property")
  void modelBasedSequencesMatchTheReferenceModel() {
    int sequences = Integer.getInteger("vault.sequences", 40);
    ModelBasedHarness.Report report = new ModelBasedHarness(fixture()).watchSecretsWith(LEAKS)
        .run(sequences,
        Long.getLong("vault.firstSeed", 1_000L));
    System.out.println("RELIABILITY model store=" + storeName() + " sequences="
        + report.sequences() + " operations=" + report.operations() + " firstSeed="
        + report.firstSeed() + " creates=" + report.count("create ") + " updates="
        + report.count("update ") + " (not applied, as the model expected: " + (report.count("update ")
            - report.tally().entrySet().stream().filter(e -> e.getKey().startsWith("update ")
                && e.getKey().endsWith("-> ok")).mapToLong(Map.Entry::getValue).sum())
        + ") rotations=" + report.count("rotate ") + " archives=" + report.count("archive ")
        + " resolves=" + report.count("resolve ") + " substitutions="
        + report.count("substitute ") + " secret-checks=" + report.count("secrets checked"));
    if (Boolean.getBoolean("vault.tally")) {
      report.tally().forEach((k, v) -> System.out.println("RELIABILITY model-tally store="
          + storeName() + " " + k + ": " + v));
    }
    assertTrue(report.operations() > 0);
    if (report.sequences() >= 40) {
      for (String kind : List.of("static_bearer", "mcp_oauth", "environment_variable")) {
        assertTrue(report.count("create " + kind + " -> ok") > 0, "creates of " + kind);
        assertTrue(report.count("update " + kind) > 0, "updates of " + kind);
        assertTrue(report.count("rotate " + kind) > 0, "rotations of " + kind);
        assertTrue(report.count("archive " + kind) > 0, "archives of " + kind);
      }
    }
  }

  /**
   * Eight threads race the model's own operations ({@link ModelOperation#race}, drawn from
   * {@link OperationGenerator#STRESS}) on the same vaults and URLs; only documented conflicts and
   * not-founds may surface, and the invariants must hold on the quiet store afterwards.
   */
  @Test
  void eightThreadsOfMixedOperationsKeepEveryInvariant() throws Exception {
    StoreFixture.Data reopenable = fixture().fresh();
    long millis = Long.getLong("vault.stressMillis", 2_000L);
    try (VaultEngine engine = VaultEngine.builder().store(reopenable.open())
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      VaultService vaults = engine.forAccount("stress");
      StressRun run = new StressRun(vaults);
      AtomicLong operations = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      // Seed vaults first, so that every reference the threads draw has a vault to point at;
      // one credential each on a.example, b.example, c.example and a.example again.
      int[] seedSpecs = {0, 4, 6, 1};
      for (int i = 0; i < seedSpecs.length; i++) {
        new ModelOperation.CreateVault(i, List.of(seedSpecs[i]), 2 * i).race(run);
      }
      long end = System.currentTimeMillis() + millis;
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        Thread thread = new Thread(() -> {
          Random r = new Random(id);
          while (System.currentTimeMillis() < end && failure.get() == null) {
            ModelOperation op = OperationGenerator.STRESS.next(r);
            try {
              op.race(run);
              operations.incrementAndGet();
            } catch (VaultException e) {
              // Races are expected to surface as documented conflicts and not-founds only.
              if (e.type() != ErrorType.CONFLICT && e.type() != ErrorType.NOT_FOUND) {
                failure.compareAndSet(null, new AssertionError(op + ": " + e, e));
              }
              operations.incrementAndGet();
            } catch (Throwable e) {
              failure.compareAndSet(null, new AssertionError(op + ": " + e, e));
            }
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      List<String> vaultIds = run.vaultIds;
      Map<String, String> tokens = run.tokens;
      Set<String> deleted = run.deleted;
      tokens.values().forEach(LEAKS::token);
      if (failure.get() != null) {
        LEAKS.record(failure.get());
        throw new AssertionError("a thread failed: " + failure.get(), failure.get());
      }
      // The invariants, on the quiet store.
      List<Vault> all = StressRun.walkVaults(vaults, 100);
      assertEquals(vaultIds.size(), all.size(), "every vault created is listed exactly once");
      long credentials = 0;
      for (Vault v : all) {
        Map<String, Integer> active = new HashMap<>();
        for (Credential c : walk(vaults, v.id())) {
          credentials++;
          assertTrue(!deleted.contains(c.id()), "a deleted credential reappeared");
          if (c.status() == Status.ACTIVE) {
            String key = McpServerUrl.parse(c.mcpServerUrl()).normalized();
            active.merge(key, 1, Integer::sum);
            ResolvedCredential r = vaults.openSession(List.of(v.id())).resolve(c.mcpServerUrl())
                .orElseThrow();
            assertEquals(c.id(), r.credentialId());
            assertTrue(r.accessToken().sameAs(Secret.of(tokens.get(c.id()))),
                "the resolved token equals the one written");
          }
        }
        assertTrue(active.values().stream().allMatch(n -> n == 1),
            "one active credential per vault and URL");
      }
      assertNull(engine.forAccount("other").listVaults(null).data().stream().findAny()
          .orElse(null), "another account sees nothing");
      System.out.println("RELIABILITY stress store=" + storeName() + " threads=8 millis="
          + millis + " operations=" + operations.get() + " vaults=" + all.size()
          + " credentials=" + credentials);
    } finally {
      reopenable.dispose();
    }
  }

  /** A hostile string: empty, huge, control characters, lone surrogates, SQL and LIKE. */
  private static String hostile(Random r, String valid) {
    return switch (r.nextInt(12)) {
      case 0 -> "";
      case 1 -> null;
      case 2 -> valid + "\u0000";
      case 3 -> valid.substring(0, Math.max(0, valid.length() - 1)) + "\uD800";
      case 4 -> "\uDC00" + valid;
      case 5 -> valid + "'; DROP TABLE ve_vaults; --";
      case 6 -> "%_" + valid + "\\";
      case 7 -> valid.repeat(1 + r.nextInt(3000));
      case 8 -> "x".repeat(r.nextInt(70_000));
      case 9 -> valid.toUpperCase(java.util.Locale.ROOT);
      case 10 -> valid + "\r\nX-Injected: 1";
      default -> valid.replace("_", "-");
    };
  }

  @Test
  void randomBadInputAtEveryEntryPointIsADocumentedErrorAndWritesNothing() {
    StoreFixture.Data reopenable = fixture().fresh();
    RecordingStore store = new RecordingStore(reopenable.open());
    int tried = 0;
    try (VaultEngine engine = VaultEngine.builder().store(store)
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      VaultService vaults = engine.forAccount("fuzz");
      var v = vaults.createVault(CreateVaultRequest.builder().displayName("target")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/mcp")
              .protocol(Protocol.SSE).accessToken("tok_fuzz_target").build()).build());
      String vaultId = v.vault().id();
      String credId = v.credentials().get(0).id();
      LEAKS.token("tok_fuzz_target");
      for (String secret : List.of("at_fuzz_token", "rt_fuzz_token", "cs_fuzz_secret",
          "sv_fuzz_value", "at_fuzz_update", "sv_fuzz_new", "rt_fuzz_new")) {
        LEAKS.token(secret); // every hostile secret holds one of these, some hold it as written
      }
      Random r = new Random(Long.getLong("vault.seed", 77L));
      int inputs = Integer.getInteger("vault.badInputs", 3000);
      for (int i = 0; i < inputs; i++) {
        long writes = store.writes();
        String vid = hostile(r, vaultId);
        String cid = hostile(r, credId);
        String url = hostile(r, "https://a.example/mcp");
        String text = hostile(r, "name");
        int entry = r.nextInt(15);
        try {
          switch (entry) {
            case 0 -> vaults.getVault(vid);
            case 1 -> vaults.getCredential(vid, cid);
            case 2 -> vaults.createVault(new CreateVaultRequest(text, java.util.Map.of(),
                List.of(new CreateCredentialRequest(url, Protocol.SSE,
                    dev.vaultengine.CredentialType.STATIC_BEARER, Secret.of(hostile(r, "tok_x"))))));
            case 3 -> vaults.createCredential(vid, new CreateCredentialRequest(url, Protocol.SSE,
                dev.vaultengine.CredentialType.STATIC_BEARER, Secret.of(hostile(r, "tok_y"))));
            case 4 -> vaults.listVaults(ListRequest.builder().limit(r.nextInt(300) - 100)
                .afterId(r.nextBoolean() ? vid : null).name(text).build());
            case 5 -> vaults.listCredentials(vid, ListRequest.builder().beforeId(cid)
                .name(text).build());
            case 6 -> vaults.openSession(java.util.Arrays.asList(vid, hostile(r, vaultId)))
                .resolve(url);
            case 7 -> vaults.openSession(List.of(vaultId)).resolve(url);
            case 8 -> vaults.updateVault(vid, new UpdateVaultRequest(text,
                java.util.Collections.singletonMap(hostile(r, "key"), hostile(r, "value"))));
            case 9 -> vaults.rotateCredential(vid, cid, Secret.of(hostile(r, "tok_z")));
            case 10 -> vaults.openSession(List.of(vaultId)).explain(url);
            case 11 -> vaults.createCredential(vid, hostileOauth(r, url));
            case 12 -> vaults.createCredential(vid, hostileEnvironment(r));
            case 13 -> vaults.updateCredential(vid, cid, hostileUpdate(r, url));
            default -> engine.forAccount(hostile(r, "fuzz")).listVaults(null);
          }
        } catch (VaultException e) {
          LEAKS.record(e);
          if (e.type() == ErrorType.API) {
            throw new AssertionError("bad input gave an api_error: " + e, e);
          }
          if (e.type() == ErrorType.INVALID_REQUEST && store.writes() != writes) {
            throw new AssertionError("rejected input reached the store's write path: " + e);
          }
        }
        tried++;
      }
    } finally {
      reopenable.dispose();
    }
    System.out.println("RELIABILITY bad-input store=" + storeName() + " inputs=" + tried);
  }

  private static java.time.Instant hostileInstant(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> null;
      case 1 -> java.time.Instant.EPOCH;
      case 2 -> java.time.Instant.parse("+10000-01-01T00:00:00Z");
      case 3 -> java.time.Instant.MIN;
      default -> java.time.Instant.parse("2100-01-01T00:00:00.123456789Z");
    };
  }

  private static dev.vaultengine.TokenEndpointAuth hostileAuth(Random r) {
    dev.vaultengine.TokenEndpointAuthMethod[] methods =
        dev.vaultengine.TokenEndpointAuthMethod.values();
    return switch (r.nextInt(4)) {
      case 0 -> null;
      case 1 -> new dev.vaultengine.TokenEndpointAuth(null, null);
      default -> new dev.vaultengine.TokenEndpointAuth(methods[r.nextInt(methods.length)],
          r.nextBoolean() ? null : Secret.of(hostile(r, "cs_fuzz_secret")));
    };
  }

  private static dev.vaultengine.Networking hostileNetworking(Random r) {
    if (r.nextInt(4) == 0) {
      return r.nextBoolean() ? null : dev.vaultengine.Networking.unrestricted();
    }
    List<String> hosts = new ArrayList<>();
    for (int n = r.nextInt(20); n > 0; n--) {
      hosts.add(hostile(r, List.of("api.example.com", "*.example.com", "10.0.0.1", "[::1]",
          "api.example.com:443", "*.").get(r.nextInt(6))));
    }
    return dev.vaultengine.Networking.limited(hosts);
  }

  /** An {@code mcp_oauth} request with hostile fields (some may happen to be valid). */
  private static CreateCredentialRequest hostileOauth(Random r, String url) {
    return CreateCredentialRequest.builder().type(dev.vaultengine.CredentialType.MCP_OAUTH)
        .mcpServerUrl(url).protocol(Protocol.SSE)
        .accessToken(Secret.of(hostile(r, "at_fuzz_token")))
        .expiresAt(hostileInstant(r))
        .refresh(r.nextInt(4) == 0 ? null : new dev.vaultengine.OAuthRefreshRequest(
            hostile(r, "https://auth.example.com/token"), hostile(r, "client_id"),
            r.nextBoolean() ? null : hostile(r, "read write"),
            r.nextBoolean() ? null : hostile(r, "https://mcp.example.com/"),
            Secret.of(hostile(r, "rt_fuzz_token")), hostileAuth(r)))
        .secretName(r.nextInt(8) == 0 ? "SHOULD_NOT_BE_HERE" : null)
        .displayName(r.nextBoolean() ? null : hostile(r, "display"))
        .build();
  }

  /** An {@code environment_variable} request with hostile fields. */
  private static CreateCredentialRequest hostileEnvironment(Random r) {
    return CreateCredentialRequest.builder()
        .type(dev.vaultengine.CredentialType.ENVIRONMENT_VARIABLE)
        .secretName(hostile(r, "SECRET_NAME"))
        .secretValue(Secret.of(hostile(r, "sv_fuzz_value")))
        .networking(hostileNetworking(r))
        .injectionLocation(r.nextInt(4) == 0 ? null
            : new dev.vaultengine.InjectionLocation(r.nextBoolean(), r.nextBoolean()))
        .accessToken(r.nextInt(8) == 0 ? Secret.of("at_not_for_env") : null)
        .metadata(r.nextBoolean() ? null
            : java.util.Collections.singletonMap(hostile(r, "key"), hostile(r, "value")))
        .build();
  }

  /** An update of any type with hostile fields. */
  private static dev.vaultengine.UpdateCredentialRequest hostileUpdate(Random r, String url) {
    dev.vaultengine.CredentialType[] types = dev.vaultengine.CredentialType.values();
    var b = dev.vaultengine.UpdateCredentialRequest.builder(
        r.nextInt(10) == 0 ? null : types[r.nextInt(types.length)]);
    for (int n = r.nextInt(4); n >= 0; n--) {
      switch (r.nextInt(11)) {
        case 0 -> b.displayName(hostile(r, "name"));
        case 1 -> b.putMetadata(hostile(r, "key"), hostile(r, "value"));
        case 2 -> b.accessToken(Secret.of(hostile(r, "at_fuzz_update")));
        case 3 -> b.expiresAt(hostileInstant(r));
        case 4 -> b.secretValue(r.nextInt(5) == 0 ? null : Secret.of(hostile(r, "sv_fuzz_new")));
        case 5 -> b.networking(hostileNetworking(r));
        case 6 -> b.injectionLocation(r.nextInt(4) == 0 ? null
            : new dev.vaultengine.InjectionLocation(r.nextBoolean(), r.nextBoolean()));
        case 7 -> b.mcpServerUrl(url);
        case 8 -> b.secretName(hostile(r, "NAME"));
        case 9 -> b.protocol(r.nextBoolean() ? null : Protocol.SSE);
        default -> b.refresh(r.nextInt(4) == 0 ? null : dev.vaultengine.RefreshPatch.empty()
            .withRefreshToken(r.nextBoolean() ? null : Secret.of(hostile(r, "rt_fuzz_new")))
            .withScope(hostile(r, "scope"))
            .withTokenEndpointAuth(hostileAuth(r)));
      }
    }
    return b.build();
  }

  private static List<Credential> walk(VaultService vaults, String vaultId) {
    List<Credential> out = new ArrayList<>();
    String after = null;
    while (true) {
      Page<Credential> page = vaults.listCredentials(vaultId, ListRequest.builder().limit(100)
          .afterId(after).includeArchived(true).build());
      out.addAll(page.data());
      if (!page.hasMore()) {
        return out;
      }
      after = page.lastId();
    }
  }
}
