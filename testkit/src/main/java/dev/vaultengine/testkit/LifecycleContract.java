package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.Vault;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Vault and credential lifecycle: every operation's success path and documented errors.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code Lifecycle}; it runs alone for one store by its tag, {@code -Dtest=MyStoreContractTest
 * -Dgroups=lifecycle}, or in a class of its own that extends it and returns the store's
 * {@link #fixture()}.
 */
@org.junit.jupiter.api.Tag("lifecycle")
public abstract class LifecycleContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected LifecycleContract() {}

  private static final Pattern VAULT_ID = Pattern.compile("vault_[0-9a-f]{32}");
  private static final Pattern CRED_ID = Pattern.compile("vcred_[0-9a-f]{32}");

  @Test
  void createVaultReturnsTheVaultAndItsCredentials() {
    CreatedVault created = vaults.createVault(CreateVaultRequest.builder()
        .displayName("my-mcp-vault")
        .putMetadata("env", "prod")
        .addCredential(credential("https://example.com/mcp", "your-access-token"))
        .build());
    Vault v = created.vault();
    assertTrue(VAULT_ID.matcher(v.id()).matches(), v.id());
    assertEquals("vault", v.type());
    assertEquals("my-mcp-vault", v.displayName());
    assertEquals(Status.ACTIVE, v.status());
    assertEquals(Map.of("env", "prod"), v.metadata());
    assertEquals(Optional.empty(), v.archivedAt());
    assertEquals(T0, v.createdAt());
    assertEquals(T0, v.updatedAt());
    assertEquals(1, created.credentials().size());
    Credential c = created.credentials().get(0);
    assertTrue(CRED_ID.matcher(c.id()).matches(), c.id());
    assertEquals(v.id(), c.vaultId());
    assertEquals("https://example.com/mcp", c.mcpServerUrl());
    assertEquals(Protocol.STREAMABLE_HTTP, c.protocol());
    assertEquals(CredentialType.STATIC_BEARER, c.type());
    assertEquals(Status.ACTIVE, c.status());
    assertEquals(T0, c.createdAt());
    assertFalse(c.toString().contains("your-access-token"));
    assertEquals(v, vaults.getVault(v.id()));
    assertEquals(c, vaults.getCredential(v.id(), c.id()));
  }

  @Test
  void timesAreUtcWithMicrosecondPrecision() {
    clock.set(Instant.parse("2026-05-18T15:34:16.874877999Z"));
    Vault v = createVault("precise", "https://a.example/mcp").vault();
    assertEquals(Instant.parse("2026-05-18T15:34:16.874877Z"), v.createdAt());
    assertEquals(v.createdAt(), vaults.getVault(v.id()).createdAt());
  }

  @Test
  void createVaultNeedsACredentialUnlessTheEngineAllowsEmptyVaults() {
    assertError(ErrorType.INVALID_REQUEST,
        "At least one credential is required when creating a vault.", "credentials",
        () -> vaults.createVault(CreateVaultRequest.builder().displayName("empty").build()));
    assertEquals(List.of(), snapshot(vaults));

    VaultEngine lenient = openEngine(store, true);
    CreatedVault empty = lenient.forAccount("acct_a")
        .createVault(CreateVaultRequest.builder().displayName("empty").build());
    assertEquals(List.of(), empty.credentials());
    assertEquals(empty.vault(), vaults.getVault(empty.vault().id()));
  }

  @Test
  void createVaultWithoutTokenIsTheDocumentedError() {
    assertError(ErrorType.INVALID_REQUEST,
        "Field 'access_token' is required for static_bearer type.",
        "credentials[0].access_token",
        () -> vaults.createVault(CreateVaultRequest.builder().displayName("v")
            .addCredential(credential("https://a.example/mcp", null)).build()));
    assertEquals(List.of(), snapshot(vaults));
  }

  @Test
  void createVaultIsAtomicWhenTwoCredentialsShareAUrl() {
    long writes = store.writes();
    assertError(ErrorType.CONFLICT, "A credential already exists for this MCP server URL.",
        "credentials[1].mcp_server_url",
        () -> createVault("dup", "https://a.example/mcp", "HTTPS://A.EXAMPLE:443/mcp"));
    assertEquals(List.of(), snapshot(vaults));
    assertEquals(writes, store.writes(), "the duplicate never reached the store");
  }

  @Test
  void aDuplicateIdIsRefusedNotOverwrittenNorCalledADuplicateUrl() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    var vaultRow = store.findVault("acct_a", v.vault().id()).orElseThrow();
    var credRow = store.findCredential("acct_a", v.vault().id(), v.credentials().get(0).id())
        .orElseThrow();
    List<Object> before = snapshot();
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> store.insertVault(new dev.vaultengine.spi.VaultRow("acct_a", vaultRow.id(), "other",
            Map.of(), Status.ACTIVE, null, T0, T0), List.of(), dev.vaultengine.spi.Journal.NONE));
    var sameIdOtherUrl = new dev.vaultengine.spi.CredentialRow("acct_a", credRow.id(),
        credRow.vaultId(), "https://z.example/",
        new CredentialKind.StaticBearer("https://z.example/", Protocol.SSE), null, Map.of(),
        Status.ACTIVE, null, T0, T0, credRow.secrets());
    org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> store.insertCredential(sameIdOtherUrl, dev.vaultengine.spi.Journal.NONE));
    assertEquals(before, snapshot());
  }

  @Test
  void getVaultOfUnknownIdIsNotFound() {
    String id = "vault_019e3bb940277f0db05ab74291acf6ef";
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> vaults.getVault(id));
  }

  @Test
  void updateVaultChangesNameAndPatchesMetadata() {
    Vault v = vaults.createVault(CreateVaultRequest.builder().displayName("before")
        .putMetadata("keep", "1").putMetadata("drop", "2")
        .addCredential(credential("https://a.example/mcp")).build()).vault();
    clock.advance(Duration.ofSeconds(5));
    Vault u = vaults.updateVault(v.id(), UpdateVaultRequest.builder().displayName("after")
        .removeMetadata("drop").putMetadata("add", "3").build());
    assertEquals("after", u.displayName());
    assertEquals(Map.of("keep", "1", "add", "3"), u.metadata());
    assertEquals(v.createdAt(), u.createdAt());
    assertEquals(T0.plusSeconds(5), u.updatedAt());
    assertEquals(u, vaults.getVault(v.id()));

    Vault renamedOnly = vaults.updateVault(v.id(),
        UpdateVaultRequest.builder().displayName("again").build());
    assertEquals(u.metadata(), renamedOnly.metadata());
    assertTrue(renamedOnly.updatedAt().isAfter(u.updatedAt()), "updated_at moves");
  }

  @Test
  void updateVaultNeedsAField() {
    Vault v = createVault("v", "https://a.example/mcp").vault();
    assertError(ErrorType.INVALID_REQUEST,
        "At least one of 'display_name' or 'metadata' must be given.", null,
        () -> vaults.updateVault(v.id(), UpdateVaultRequest.builder().build()));
  }

  @Test
  void updateVaultKeepsAtMostSixteenKeys() {
    CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("full")
        .addCredential(credential("https://a.example/mcp"));
    for (int i = 0; i < 16; i++) {
      b.putMetadata("k" + i, "v");
    }
    Vault v = vaults.createVault(b.build()).vault();
    assertError(ErrorType.INVALID_REQUEST, "Field 'metadata' must have at most 16 keys.",
        "metadata",
        () -> vaults.updateVault(v.id(), UpdateVaultRequest.builder().putMetadata("k16", "v")
            .build()));
    Vault swapped = vaults.updateVault(v.id(), UpdateVaultRequest.builder()
        .removeMetadata("k0").putMetadata("k16", "v").build());
    assertEquals(16, swapped.metadata().size());
  }

  @Test
  void concurrentMetadataPatchesAreNeverLost() throws Exception {
    Vault v = createVault("v", "https://a.example/mcp").vault();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 8; round++) {
        CountDownLatch start = new CountDownLatch(1);
        String a = "a" + round;
        String b = "b" + round;
        Future<?> fa = pool.submit(() -> {
          start.await();
          return vaults.updateVault(v.id(), UpdateVaultRequest.builder().putMetadata(a, "1")
              .build());
        });
        Future<?> fb = pool.submit(() -> {
          start.await();
          return vaults.updateVault(v.id(), UpdateVaultRequest.builder().putMetadata(b, "1")
              .build());
        });
        start.countDown();
        fa.get();
        fb.get();
        Map<String, String> metadata = vaults.getVault(v.id()).metadata();
        assertTrue(metadata.containsKey(a) && metadata.containsKey(b), metadata.toString());
        vaults.updateVault(v.id(), UpdateVaultRequest.builder().removeMetadata(a)
            .removeMetadata(b).build());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void archiveVaultArchivesItsCredentialsAndStaysReadable() {
    CreatedVault created = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    String id = created.vault().id();
    clock.advance(Duration.ofMinutes(1));
    Vault archived = vaults.archiveVault(id);
    Instant at = T0.plus(Duration.ofMinutes(1));
    assertEquals(Status.ARCHIVED, archived.status());
    assertEquals(Optional.of(at), archived.archivedAt());
    assertEquals(at, archived.updatedAt());
    assertEquals(archived, vaults.getVault(id));
    for (Credential c : created.credentials()) {
      Credential now = vaults.getCredential(id, c.id());
      assertEquals(Status.ARCHIVED, now.status());
      assertEquals(Optional.of(at), now.archivedAt());
      assertEquals(at, now.updatedAt());
    }
    assertEquals(List.of(), vaults.listVaults(ListRequest.firstPage()).data());
    assertEquals(List.of(archived),
        vaults.listVaults(ListRequest.builder().includeArchived(true).build()).data());
    assertEquals(List.of(), vaults.listCredentials(id, ListRequest.firstPage()).data());
    assertEquals(2, vaults.listCredentials(id, ListRequest.builder().includeArchived(true)
        .build()).data().size());
  }

  @Test
  void archivedVaultRefusesChangesAndSecondArchive() {
    String id = createVault("v", "https://a.example/mcp").vault().id();
    vaults.archiveVault(id);
    List<Object> before = snapshot();
    assertError(ErrorType.CONFLICT, "Vault '" + id + "' is already archived.", null,
        () -> vaults.archiveVault(id));
    assertError(ErrorType.CONFLICT, "Vault '" + id + "' is archived.", null,
        () -> vaults.createCredential(id, credential("https://c.example/mcp")));
    assertError(ErrorType.CONFLICT, "Vault '" + id + "' is archived.", null,
        () -> vaults.updateVault(id, UpdateVaultRequest.builder().displayName("x").build()));
    assertError(ErrorType.CONFLICT, "Vault '" + id + "' is archived.", null,
        () -> vaults.openSession(List.of(id)));
    assertEquals(before, snapshot());
  }

  @Test
  void deleteVaultCascadesAndWorksOnArchivedVaults() {
    CreatedVault created = createVault("v", "https://a.example/mcp");
    String id = created.vault().id();
    String credId = created.credentials().get(0).id();
    vaults.deleteVault(id);
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> vaults.getVault(id));
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> vaults.getCredential(id, credId));
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> vaults.listCredentials(id, null));
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> vaults.deleteVault(id));

    String archivedId = createVault("w", "https://a.example/mcp").vault().id();
    vaults.archiveVault(archivedId);
    vaults.deleteVault(archivedId);
    assertEquals(List.of(), snapshot(vaults));
  }

  @Test
  void createCredentialAddsToAnActiveVault() {
    String id = createVault("v", "https://a.example/mcp").vault().id();
    clock.advance(Duration.ofSeconds(1));
    Credential c = vaults.createCredential(id, credential("https://jira.example.com/mcp/sse"));
    assertEquals(id, c.vaultId());
    assertEquals(T0.plusSeconds(1), c.createdAt());
    assertEquals(c, vaults.getCredential(id, c.id()));
    assertEquals(2, vaults.listCredentials(id, null).data().size());
    assertEquals(c, vaults.listCredentials(id, null).data().get(0), "newest first");
  }

  @Test
  void createCredentialInUnknownVaultIsNotFound() {
    String id = "vault_019e3bb940277f0db05ab74291acf6ef";
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> vaults.createCredential(id, credential("https://a.example/mcp")));
  }

  @Test
  void oneActiveCredentialPerNormalizedUrl() {
    String id = createVault("v", "https://example.com/mcp").vault().id();
    for (String same : List.of("https://example.com/mcp", "HTTPS://EXAMPLE.COM/mcp",
        "https://example.com:443/mcp")) {
      assertError(ErrorType.CONFLICT, "A credential already exists for this MCP server URL.",
          "mcp_server_url", () -> vaults.createCredential(id, credential(same)));
    }
    // Path, query, port and scheme are part of the identity.
    for (String other : List.of("https://example.com/mcp/", "https://example.com/MCP",
        "https://example.com/mcp?x=1", "https://example.com:8443/mcp", "http://example.com/mcp")) {
      vaults.createCredential(id, credential(other));
    }
    // Another vault may hold the same URL.
    createVault("w", "https://example.com/mcp");
  }

  @Test
  void archivingACredentialFreesItsUrl() {
    CreatedVault v = createVault("v", "https://example.com/mcp");
    Credential old = v.credentials().get(0);
    clock.advance(Duration.ofSeconds(3));
    Credential archived = vaults.archiveCredential(v.vault().id(), old.id());
    assertEquals(Status.ARCHIVED, archived.status());
    assertEquals(Optional.of(T0.plusSeconds(3)), archived.archivedAt());
    assertEquals(T0.plusSeconds(3), archived.updatedAt());
    assertEquals(archived, vaults.getCredential(v.vault().id(), old.id()));
    assertError(ErrorType.CONFLICT, "Credential '" + old.id() + "' is already archived.", null,
        () -> vaults.archiveCredential(v.vault().id(), old.id()));
    Credential fresh = vaults.createCredential(v.vault().id(), credential("https://example.com/mcp"));
    assertNotEquals(old.id(), fresh.id());
  }

  @Test
  void credentialOfAnotherVaultIsNotFound() {
    CreatedVault a = createVault("a", "https://a.example/mcp");
    CreatedVault b = createVault("b", "https://b.example/mcp");
    String credA = a.credentials().get(0).id();
    assertError(ErrorType.NOT_FOUND, "Credential '" + credA + "' was not found.", null,
        () -> vaults.getCredential(b.vault().id(), credA));
    assertError(ErrorType.NOT_FOUND, "Credential '" + credA + "' was not found.", null,
        () -> vaults.archiveCredential(b.vault().id(), credA));
    assertError(ErrorType.NOT_FOUND, "Credential '" + credA + "' was not found.", null,
        () -> vaults.deleteCredential(b.vault().id(), credA));
    assertError(ErrorType.NOT_FOUND, "Credential '" + credA + "' was not found.", null,
        () -> vaults.rotateCredential(b.vault().id(), credA, Secret.of("new-token")));
    assertEquals(Status.ACTIVE, vaults.getCredential(a.vault().id(), credA).status());
  }

  @Test
  void deleteCredentialRemovesIt() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    String id = v.vault().id();
    Credential gone = v.credentials().get(0);
    vaults.deleteCredential(id, gone.id());
    assertError(ErrorType.NOT_FOUND, "Credential '" + gone.id() + "' was not found.", null,
        () -> vaults.getCredential(id, gone.id()));
    assertEquals(List.of(v.credentials().get(1)), vaults.listCredentials(id,
        ListRequest.builder().includeArchived(true).build()).data());
    vaults.createCredential(id, credential("https://a.example/mcp"));
  }

  @Test
  void rotateArchivesTheOldCredentialAndCreatesItsReplacementAtomically() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    String id = v.vault().id();
    Credential old = v.credentials().get(0);
    VaultSession session = vaults.openSession(List.of(id));
    clock.advance(Duration.ofSeconds(7));
    Credential fresh = vaults.rotateCredential(id, old.id(), Secret.of("rotated-token"));
    assertNotEquals(old.id(), fresh.id());
    assertEquals(old.mcpServerUrl(), fresh.mcpServerUrl());
    assertEquals(old.protocol(), fresh.protocol());
    assertEquals(Status.ACTIVE, fresh.status());
    assertEquals(T0.plusSeconds(7), fresh.createdAt());
    Credential archived = vaults.getCredential(id, old.id());
    assertEquals(Status.ARCHIVED, archived.status());
    assertEquals(Optional.of(T0.plusSeconds(7)), archived.archivedAt());
    ResolvedCredential r = session.resolve("https://a.example/mcp").orElseThrow();
    assertEquals(fresh.id(), r.credentialId());
    assertEquals("Bearer rotated-token", r.authorizationHeader());
    assertError(ErrorType.CONFLICT, "Credential '" + old.id() + "' is archived.", null,
        () -> vaults.rotateCredential(id, old.id(), Secret.of("again")));
    assertError(ErrorType.INVALID_REQUEST,
        "Field 'access_token' is required for static_bearer type.", "access_token",
        () -> vaults.rotateCredential(id, fresh.id(), null));
  }

  @Test
  void resolveReturnsTheTokenWrittenAndNothingAfterArchiveOrDelete() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    String id = v.vault().id();
    VaultSession session = vaults.openSession(List.of(id));
    ResolvedCredential r = session.resolve("HTTPS://A.example:443/mcp").orElseThrow();
    assertEquals(v.credentials().get(0).id(), r.credentialId());
    assertTrue(r.accessToken().sameAs(Secret.of(tokenFor("https://a.example/mcp"))));
    assertEquals("Secret[redacted]", r.accessToken().toString());
    assertFalse(r.toString().contains(tokenFor("https://a.example/mcp")));
    assertEquals(Optional.empty(), session.resolve("https://a.example/mcp/"));
    vaults.archiveCredential(id, v.credentials().get(0).id());
    assertEquals(Optional.empty(), session.resolve("https://a.example/mcp"));
    vaults.deleteCredential(id, v.credentials().get(1).id());
    assertEquals(Optional.empty(), session.resolve("https://b.example/mcp"));
  }

  @Test
  void firstVaultInSessionOrderWins() {
    CreatedVault a = createVault("a", "https://shared.example/mcp");
    CreatedVault b = createVault("b", "https://shared.example/mcp", "https://only-b.example/mcp");
    VaultSession ab = vaults.openSession(List.of(a.vault().id(), b.vault().id()));
    VaultSession ba = vaults.openSession(List.of(b.vault().id(), a.vault().id()));
    assertEquals(a.vault().id(), ab.resolve("https://shared.example/mcp").orElseThrow().vaultId());
    assertEquals(b.vault().id(), ba.resolve("https://shared.example/mcp").orElseThrow().vaultId());
    assertEquals(b.vault().id(), ab.resolve("https://only-b.example/mcp").orElseThrow().vaultId());
    vaults.archiveVault(a.vault().id());
    assertEquals(b.vault().id(), ab.resolve("https://shared.example/mcp").orElseThrow().vaultId());
  }

  @Test
  void openSessionChecksItsVaults() {
    String id = createVault("v", "https://a.example/mcp").vault().id();
    String missing = "vault_019e3bb940277f0db05ab74291acf6ef";
    assertError(ErrorType.INVALID_REQUEST, "Field 'vault_ids' must list at least one vault.",
        "vault_ids", () -> vaults.openSession(List.of()));
    assertError(ErrorType.INVALID_REQUEST,
        "Field 'vault_ids' lists vault '" + id + "' more than once.", "vault_ids[1]",
        () -> vaults.openSession(List.of(id, id)));
    assertError(ErrorType.NOT_FOUND, "Vault '" + missing + "' was not found.", null,
        () -> vaults.openSession(List.of(id, missing)));
    assertError(ErrorType.NOT_FOUND, "Vault '" + id + "' was not found.", null,
        () -> otherAccount.openSession(List.of(id)));
  }

  @Test
  void anotherAccountSeesNothing() {
    CreatedVault v = createVault("mine", "https://a.example/mcp");
    String id = v.vault().id();
    String credId = v.credentials().get(0).id();
    List<Object> before = snapshot();
    String vaultMissing = "Vault '" + id + "' was not found.";
    String credMissing = "Vault '" + id + "' was not found.";
    assertError(ErrorType.NOT_FOUND, vaultMissing, null, () -> otherAccount.getVault(id));
    assertError(ErrorType.NOT_FOUND, vaultMissing, null,
        () -> otherAccount.updateVault(id, UpdateVaultRequest.builder().displayName("x").build()));
    assertError(ErrorType.NOT_FOUND, vaultMissing, null, () -> otherAccount.archiveVault(id));
    assertError(ErrorType.NOT_FOUND, vaultMissing, null, () -> otherAccount.deleteVault(id));
    assertError(ErrorType.NOT_FOUND, vaultMissing, null,
        () -> otherAccount.createCredential(id, credential("https://b.example/mcp")));
    assertError(ErrorType.NOT_FOUND, vaultMissing, null,
        () -> otherAccount.listCredentials(id, null));
    assertError(ErrorType.NOT_FOUND, credMissing, null,
        () -> otherAccount.getCredential(id, credId));
    assertError(ErrorType.NOT_FOUND, credMissing, null,
        () -> otherAccount.archiveCredential(id, credId));
    assertError(ErrorType.NOT_FOUND, credMissing, null,
        () -> otherAccount.deleteCredential(id, credId));
    assertError(ErrorType.NOT_FOUND, credMissing, null,
        () -> otherAccount.rotateCredential(id, credId, Secret.of("stolen")));
    assertError(ErrorType.NOT_FOUND, vaultMissing, null,
        () -> otherAccount.openSession(List.of(id)));
    assertEquals(List.of(), otherAccount.listVaults(null).data());
    assertEquals(before, snapshot());
    // The same URL in the other account is independent.
    createVault(otherAccount, "theirs", "https://a.example/mcp");
  }

  @Test
  void concurrentCreatesOfOneUrlEndInOneSuccess() throws Exception {
    String id = createVault("v", "https://seed.example/mcp").vault().id();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 10; round++) {
        String url = "https://race.example/mcp/" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = List.of(
            pool.submit(() -> tryCreate(start, id, url)),
            pool.submit(() -> tryCreate(start, id, url)));
        start.countDown();
        int ok = 0;
        for (Future<Boolean> f : results) {
          ok += f.get() ? 1 : 0;
        }
        assertEquals(1, ok, "exactly one create wins for " + url);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private boolean tryCreate(CountDownLatch start, String vaultId, String url) throws Exception {
    start.await();
    try {
      vaults.createCredential(vaultId, credential(url));
      return true;
    } catch (dev.vaultengine.VaultException e) {
      assertEquals(ErrorType.CONFLICT, e.type());
      return false;
    }
  }

  /**
   * A closed engine refuses every call, with one clear error and without reaching its store,
   * whatever the store would do after its own close: a session opened before the close stops too,
   * and the key manager handed out cannot be cast to what decrypts rows.
   */
  @Test
  void aClosedEngineRefusesEveryCallWithOneClearError() {
    CreatedVault made = createVault("before close", "https://a.example/mcp");
    String vaultId = made.vault().id();
    String credentialId = made.credentials().get(0).id();
    VaultSession session = vaults.openSession(List.of(vaultId));
    assertTrue(session.resolve("https://a.example/mcp").isPresent());
    var keys = engine.keys();
    assertFalse(keys instanceof dev.vaultengine.spi.VaultStore);
    assertFalse(keys.getClass().getName().contains("DataKeys"), keys.getClass().getName());
    engine.close();
    long reads = store.reads();
    long writes = store.writes();
    List<org.junit.jupiter.api.function.Executable> calls = List.of(
        () -> vaults.createVault(CreateVaultRequest.builder().displayName("after")
            .addCredential(credential("https://b.example/mcp")).build()),
        () -> vaults.getVault(vaultId),
        () -> vaults.listVaults(ListRequest.builder().build()),
        () -> vaults.updateVault(vaultId, UpdateVaultRequest.builder().displayName("x").build()),
        () -> vaults.archiveVault(vaultId),
        () -> vaults.deleteVault(vaultId),
        () -> vaults.createCredential(vaultId, credential("https://c.example/mcp")),
        () -> vaults.getCredential(vaultId, credentialId),
        () -> vaults.listCredentials(vaultId, null),
        () -> vaults.archiveCredential(vaultId, credentialId),
        () -> vaults.deleteCredential(vaultId, credentialId),
        () -> vaults.rotateCredential(vaultId, credentialId, Secret.of("tok_after_close_1")),
        () -> vaults.openSession(List.of(vaultId)),
        () -> session.resolve("https://a.example/mcp"),
        () -> session.explain("https://a.example/mcp/"),
        () -> engine.forAccount("acct_c"),
        keys::status,
        keys::rotateDataKey,
        () -> keys.reencrypt(10),
        keys::disableRetiredKeys);
    for (var call : calls) {
      assertError(ErrorType.API, "The engine is closed.", null, call);
    }
    assertEquals(reads, store.reads(), "no store read after close");
    assertEquals(writes, store.writes(), "no store write after close");
    engine.close(); // a second close does nothing
  }
}
