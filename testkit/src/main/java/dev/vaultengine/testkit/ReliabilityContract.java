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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reliability for every store: the model-based property run and a concurrency stress run, each
 * followed by the invariants. Extend it and supply {@link #stores()}.
 */
public abstract class ReliabilityContract {
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
  protected abstract ModelBasedHarness.Stores stores();

  /** A short name for the figures printed, such as {@code memory}. */
  protected abstract String storeName();

  @Test
  @Tag("property")
  void modelBasedSequencesMatchTheReferenceModel() {
    int sequences = Integer.getInteger("vault.sequences", 40);
    ModelBasedHarness.Report report = new ModelBasedHarness(stores()).watchSecretsWith(LEAKS)
        .run(sequences,
        Long.getLong("vault.firstSeed", 1_000L));
    System.out.println("RELIABILITY model store=" + storeName() + " sequences="
        + report.sequences() + " operations=" + report.operations() + " firstSeed="
        + report.firstSeed() + " creates=" + report.count("create ") + " updates="
        + report.count("update ") + " (refused " + (report.count("update ")
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

  @Test
  void eightThreadsOfMixedOperationsKeepEveryInvariant() throws Exception {
    ModelBasedHarness.Reopenable reopenable = stores().fresh();
    long millis = Long.getLong("vault.stressMillis", 2_000L);
    try (VaultEngine engine = VaultEngine.builder().store(reopenable.open())
        .keyEncryptionKey(TestKeys.randomKek()).build()) {
      VaultService vaults = engine.forAccount("stress");
      List<String> vaultIds = new CopyOnWriteArrayList<>();
      Map<String, String> tokens = new ConcurrentHashMap<>(); // credential id -> token written
      Set<String> deleted = ConcurrentHashMap.newKeySet();
      AtomicLong operations = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<String> urls = List.of("https://a.example/mcp", "https://b.example/mcp",
          "https://c.example/mcp", "https://A.example:443/mcp");
      for (int i = 0; i < 4; i++) {
        String token = "tok_stress_seed_" + i;
        var created = vaults.createVault(CreateVaultRequest.builder().displayName("seed " + i)
            .addCredential(CreateCredentialRequest.builder().mcpServerUrl(urls.get(i % 3))
                .protocol(Protocol.SSE).accessToken(token).build()).build());
        vaultIds.add(created.vault().id());
        tokens.put(created.credentials().get(0).id(), token);
      }
      long end = System.currentTimeMillis() + millis;
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int id = t;
        Thread thread = new Thread(() -> {
          Random r = new Random(id);
          int n = 0;
          while (System.currentTimeMillis() < end && failure.get() == null) {
            String vaultId = vaultIds.get(r.nextInt(vaultIds.size()));
            String url = urls.get(r.nextInt(urls.size()));
            try {
              switch (r.nextInt(8)) {
                case 0 -> {
                  String token = "tok_stress_" + id + "_" + (n++);
                  var c = vaults.createVault(CreateVaultRequest.builder().displayName("t" + id)
                      .addCredential(CreateCredentialRequest.builder().mcpServerUrl(url)
                          .protocol(Protocol.SSE).accessToken(token).build()).build());
                  vaultIds.add(c.vault().id());
                  tokens.put(c.credentials().get(0).id(), token);
                }
                case 1, 2 -> {
                  String token = "tok_stress_" + id + "_" + (n++);
                  Credential c = vaults.createCredential(vaultId, CreateCredentialRequest
                      .builder().mcpServerUrl(url).protocol(Protocol.SSE).accessToken(token)
                      .build());
                  tokens.put(c.id(), token);
                }
                case 3 -> {
                  Optional<ResolvedCredential> got = vaults.openSession(List.of(vaultId))
                      .resolve(url);
                  if (got.isPresent()) {
                    String written = tokens.get(got.get().credentialId());
                    if (written != null && !got.get().accessToken().sameAs(Secret.of(written))) {
                      throw new AssertionError("a resolved token differs from the one written");
                    }
                  }
                }
                case 4 -> {
                  Page<Credential> page = vaults.listCredentials(vaultId, null);
                  if (!page.data().isEmpty()) {
                    Credential c = page.data().get(r.nextInt(page.data().size()));
                    String token = "tok_stress_" + id + "_" + (n++);
                    Credential fresh = vaults.rotateCredential(vaultId, c.id(), Secret.of(token));
                    tokens.put(fresh.id(), token);
                  }
                }
                case 5 -> {
                  Page<Credential> page = vaults.listCredentials(vaultId, null);
                  if (!page.data().isEmpty()) {
                    vaults.archiveCredential(vaultId, page.data().get(0).id());
                  }
                }
                case 6 -> {
                  Page<Credential> page = vaults.listCredentials(vaultId, null);
                  if (!page.data().isEmpty()) {
                    String gone = page.data().get(0).id();
                    vaults.deleteCredential(vaultId, gone);
                    deleted.add(gone);
                  }
                }
                default -> walkVaults(vaults);
              }
              operations.incrementAndGet();
            } catch (VaultException e) {
              // Races are expected to surface as documented conflicts and not-founds only.
              if (e.type() != ErrorType.CONFLICT && e.type() != ErrorType.NOT_FOUND) {
                failure.compareAndSet(null, e);
              }
              operations.incrementAndGet();
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      tokens.values().forEach(LEAKS::token);
      if (failure.get() != null) {
        LEAKS.record(failure.get());
        throw new AssertionError("a thread failed: " + failure.get(), failure.get());
      }
      // The invariants, on the quiet store.
      List<Vault> all = walkVaults(vaults);
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
    ModelBasedHarness.Reopenable reopenable = stores().fresh();
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
      Random r = new Random(Long.getLong("vault.seed", 77L));
      int inputs = Integer.getInteger("vault.badInputs", 3000);
      for (int i = 0; i < inputs; i++) {
        long writes = store.writes();
        String vid = hostile(r, vaultId);
        String cid = hostile(r, credId);
        String url = hostile(r, "https://a.example/mcp");
        String text = hostile(r, "name");
        int entry = r.nextInt(12);
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

  private static List<Vault> walkVaults(VaultService vaults) {
    List<Vault> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String after = null;
    while (true) {
      Page<Vault> page = vaults.listVaults(ListRequest.builder().limit(100).afterId(after)
          .build());
      for (Vault v : page.data()) {
        if (!seen.add(v.id())) {
          throw new AssertionError("a page walk returned a vault twice");
        }
        out.add(v);
      }
      if (!page.hasMore()) {
        return out;
      }
      after = page.lastId();
    }
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
