package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.Explanation;
import dev.vaultengine.Explanation.Difference;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sessions and injection: the hot path, live semantics, explain, rotation under load.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code Session}; it runs alone for one store by its tag, {@code -Dtest=MyStoreContractTest
 * -Dgroups=session}, or in a class of its own that extends it and returns the store's
 * {@link #fixture()}.
 */
@org.junit.jupiter.api.Tag("session")
public abstract class SessionContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected SessionContract() {}

  @Test
  void resolveIsOneStoreReadAndNoKmsCall() {
    CreatedVault a = createVault("a", "https://a.example/mcp");
    CreatedVault b = createVault("b", "https://b.example/mcp");
    CreatedVault c = createVault("c", "https://c.example/mcp");
    VaultSession session = vaults.openSession(List.of(a.vault().id(), b.vault().id(),
        c.vault().id()));
    long kmsCalls = kek.calls();
    for (String url : List.of("https://c.example/mcp", "https://nowhere.example/mcp",
        "https://a.example/mcp")) {
      long reads = store.reads();
      session.resolve(url);
      assertEquals(1, store.reads() - reads, "store reads for the first resolve of " + url);
    }
    // Asked again with nothing written since: a store that counts its changes is not read again.
    long unchanged = store.changeCount() >= 0 ? 0 : 1;
    for (String url : List.of("https://c.example/mcp", "https://nowhere.example/mcp")) {
      long reads = store.reads();
      session.resolve(url);
      assertEquals(unchanged, store.reads() - reads, "store reads for a repeated resolve of " + url);
    }
    // Any write, even to another vault, and the next resolve reads the store again.
    vaults.updateVault(b.vault().id(), UpdateVaultRequest.builder().displayName("b2").build());
    long reads = store.reads();
    session.resolve("https://c.example/mcp");
    assertEquals(1, store.reads() - reads, "store reads for a resolve after a write");
    assertEquals(kmsCalls, kek.calls(), "resolve must not call the KMS");
  }

  @Test
  void aRememberedAnswerFollowsEveryWrite() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    assertEquals(Optional.empty(), session.resolve("https://new.example/mcp"));
    assertEquals(Optional.empty(), session.resolve("https://new.example/mcp"));
    Credential added = vaults.createCredential(v.vault().id(), CreateCredentialRequest.builder()
        .mcpServerUrl("https://new.example/mcp").protocol(Protocol.SSE).accessToken("tok-new")
        .build());
    LEAKS.token("tok-new");
    assertEquals(added.id(), session.resolve("https://new.example/mcp").orElseThrow()
        .credentialId());
    Credential rotated = vaults.rotateCredential(v.vault().id(), added.id(), Secret.of("tok-2"));
    LEAKS.token("tok-2");
    ResolvedCredential now = session.resolve("https://new.example/mcp").orElseThrow();
    assertEquals(rotated.id(), now.credentialId());
    assertTrue(now.accessToken().sameAs(Secret.of("tok-2")));
    vaults.archiveVault(v.vault().id());
    assertEquals(Optional.empty(), session.resolve("https://new.example/mcp"));
    assertEquals(Optional.empty(), session.resolve("https://a.example/mcp"));
  }

  /**
   * A session that talks to several MCP servers in turn gets each URL's own answer, whichever URL
   * it resolved last (the session keeps its last answer apart from the others), for a URL string
   * equal to but not the same object as the one it saw, and after a write to one of them.
   */
  @Test
  void aSessionResolvingUrlsInTurnGetsEachItsOwnAnswer() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    String a = "https://a.example/mcp";
    String b = "https://b.example/mcp";
    String none = "https://none.example/mcp";
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    long unchanged = store.changeCount() >= 0 ? 0 : 1;
    for (int round = 0; round < 3; round++) {
      for (String url : List.of(a, b, none, new String(a), b, b, new String(none))) {
        long reads = store.reads();
        Optional<ResolvedCredential> r = session.resolve(url);
        if (url.equals(none)) {
          assertEquals(Optional.empty(), r, "round " + round);
        } else {
          assertEquals(url, r.orElseThrow().mcpServerUrl(), "round " + round);
        }
        if (round > 0) {
          assertEquals(unchanged, store.reads() - reads,
              "store reads, round " + round + ": " + url);
        }
      }
    }
    Credential first = v.credentials().stream()
        .filter(c -> c.mcpServerUrl().equals(a)).findFirst().orElseThrow();
    vaults.rotateCredential(v.vault().id(), first.id(), Secret.of("tok-a2"));
    LEAKS.token("tok-a2");
    assertEquals(b, session.resolve(b).orElseThrow().mcpServerUrl());
    assertTrue(session.resolve(a).orElseThrow().accessToken().sameAs(Secret.of("tok-a2")));
    assertTrue(session.resolve(new String(a)).orElseThrow().accessToken()
        .sameAs(Secret.of("tok-a2")));
    vaults.createCredential(v.vault().id(), CreateCredentialRequest.builder().mcpServerUrl(none)
        .protocol(Protocol.SSE).accessToken("tok-none").build());
    LEAKS.token("tok-none");
    assertTrue(session.resolve(none).orElseThrow().accessToken().sameAs(Secret.of("tok-none")));
    assertEquals(a, session.resolve(a).orElseThrow().mcpServerUrl());
  }

  @Test
  void aRowTamperedAfterItWasCachedIsStillDetected() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    Credential a = v.credentials().get(0);
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    assertTrue(session.resolve("https://a.example/mcp").isPresent()); // now cached
    CredentialRow row = store.findCredential("acct_a", v.vault().id(), a.id()).orElseThrow();
    byte[] bad = row.token().ciphertext();
    bad[bad.length - 1] ^= 1;
    store.replaceSecrets("acct_a", a.id(), row.token(), EncryptedSecrets.of(new EncryptedToken(row.token().keyId(), bad)));
    assertError(ErrorType.API, null, null, () -> session.resolve("https://a.example/mcp"));
  }

  @Test
  void cachedTokensAreCopiesTheCallerMayDestroy() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    session.resolve("https://a.example/mcp").orElseThrow().accessToken().destroy();
    assertTrue(session.resolve("https://a.example/mcp").orElseThrow().accessToken()
        .sameAs(Secret.of(tokenFor("https://a.example/mcp"))));
  }

  @Test
  void resolutionIsLiveAcrossEnginesSharingTheStore() {
    VaultEngine otherHost = openEngine(new NonClosingStore(store), false);
    CreatedVault v = createVault("v", "https://a.example/mcp");
    VaultSession there = otherHost.forAccount("acct_a").openSession(List.of(v.vault().id()));
    ResolvedCredential first = there.resolve("https://a.example/mcp").orElseThrow();
    Credential rotated = vaults.rotateCredential(v.vault().id(), first.credentialId(),
        Secret.of("rotated-elsewhere"));
    ResolvedCredential second = there.resolve("https://a.example/mcp").orElseThrow();
    assertEquals(rotated.id(), second.credentialId());
    assertTrue(second.accessToken().sameAs(Secret.of("rotated-elsewhere")));
    vaults.archiveCredential(v.vault().id(), rotated.id());
    assertEquals(Optional.empty(), there.resolve("https://a.example/mcp"));
    vaults.deleteVault(v.vault().id());
    assertEquals(Optional.empty(), there.resolve("https://a.example/mcp"));
  }

  @Test
  void theResolvedCredentialCarriesWhatAHostNeeds() {
    CreatedVault v = vaults.createVault(dev.vaultengine.CreateVaultRequest.builder()
        .displayName("gh").addCredential(CreateCredentialRequest.builder()
            .mcpServerUrl("https://mcp.github.com/sse").protocol(Protocol.SSE)
            .accessToken("ghp_resolved_token").build()).build());
    LEAKS.token("ghp_resolved_token");
    ResolvedCredential r = vaults.openSession(List.of(v.vault().id()))
        .resolve("HTTPS://MCP.GITHUB.COM:443/sse").orElseThrow();
    assertEquals(v.vault().id(), r.vaultId());
    assertEquals(v.credentials().get(0).id(), r.credentialId());
    assertEquals("https://mcp.github.com/sse", r.mcpServerUrl());
    assertEquals(Protocol.SSE, r.protocol());
    assertEquals("Bearer ghp_resolved_token", r.authorizationHeader());
    var request = r.applyTo(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("https://mcp.github.com/sse"))).build();
    assertEquals(List.of("Bearer ghp_resolved_token"), request.headers().allValues("Authorization"));
    LEAKS.record(r);
    assertFalse(r.toString().contains("ghp_resolved_token"));
  }

  @Test
  void explainNamesTheNearMissesOfAMistypedUrl() {
    CreatedVault a = createVault("a", "https://api.example.com/mcp/", "http://api.example.com/mcp",
        "https://api.example.com:8443/mcp", "https://api.example.com/MCP",
        "https://api.example.com/mcp?v=2", "https://api.example.com/other",
        "https://elsewhere.example.com/mcp");
    CreatedVault b = createVault("b", "https://api.example.com/mcp");
    vaults.archiveCredential(b.vault().id(), b.credentials().get(0).id());
    VaultSession session = vaults.openSession(List.of(a.vault().id(), b.vault().id()));

    assertEquals(Optional.empty(), session.resolve("https://API.example.com/mcp"));
    Explanation e = session.explain("https://API.example.com/mcp");
    LEAKS.record(e);
    LEAKS.record(e.describe());
    assertEquals("https://api.example.com/mcp", e.url().normalized());
    assertEquals(List.of(a.vault().id(), b.vault().id()), e.searchedVaultIds());
    assertEquals(Optional.empty(), e.match());
    Map<String, List<Difference>> byUrl = e.nearMisses().stream().collect(Collectors.toMap(
        Explanation.NearMiss::mcpServerUrl, Explanation.NearMiss::differences));
    assertEquals(Map.of(
        "https://api.example.com/mcp/", List.of(Difference.TRAILING_SLASH),
        "http://api.example.com/mcp", List.of(Difference.SCHEME),
        "https://api.example.com:8443/mcp", List.of(Difference.PORT),
        "https://api.example.com/MCP", List.of(Difference.PATH_CASE),
        "https://api.example.com/mcp?v=2", List.of(Difference.QUERY),
        "https://api.example.com/other", List.of(Difference.PATH),
        "https://api.example.com/mcp", List.of(Difference.ARCHIVED)), byUrl);
    assertTrue(e.describe().contains("No active credential matches"), e.describe());

    Explanation hit = session.explain("https://api.example.com/mcp/");
    assertEquals(a.credentials().get(0).id(), hit.match().orElseThrow().id());
  }

  @Test
  void rotationUnderLoadNeverLeavesAResolveEmptyNorReturnsTheOldToken() throws Exception {
    CreatedVault v = createVault("v", "https://hot.example/mcp");
    String vaultId = v.vault().id();
    String current = v.credentials().get(0).id();
    VaultSession session = vaults.openSession(List.of(vaultId));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<String> retired = new AtomicReference<>("none");
    AtomicLong resolves = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        while (!stop.get()) {
          try {
            // Read the retired id before resolving: anything retired then must not come back.
            String mustNotSee = retired.get();
            ResolvedCredential r = session.resolve("https://hot.example/mcp")
                .orElseThrow(() -> new AssertionError("a resolve came back empty"));
            if (r.credentialId().equals(mustNotSee)) {
              throw new AssertionError("resolved a credential after its rotation returned");
            }
            resolves.incrementAndGet();
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    try {
      for (int i = 0; i < 30 && failure.get() == null; i++) {
        long before = resolves.get();
        while (resolves.get() < before + 20 && failure.get() == null) {
          Thread.onSpinWait();
        }
        String next = vaults.rotateCredential(vaultId, current, Secret.of("rotated-" + i)).id();
        retired.set(current);
        current = next;
      }
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get().getMessage(), failure.get());
    }
    assertTrue(session.resolve("https://hot.example/mcp").orElseThrow().accessToken()
        .sameAs(Secret.of("rotated-29")));
  }
}
