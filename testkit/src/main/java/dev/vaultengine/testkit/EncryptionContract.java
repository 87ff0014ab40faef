package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.KmsClients;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.KeysetStatus;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.VaultStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Envelope encryption as every store must carry it: ciphertext only, purged on archive, bound to
 * its row, tamper-evident, rotatable online, and a wrong KEK that changes nothing.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code Encryption}; it runs alone for one store by its tag, {@code -Dtest=MyStoreContractTest
 * -Dgroups=encryption}, or in a class of its own that extends it and returns the store's
 * {@link #fixture()}.
 */
@org.junit.jupiter.api.Tag("encryption")
public abstract class EncryptionContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected EncryptionContract() {}

  private CredentialRow row(Credential c) {
    return store.findCredential("acct_a", c.vaultId(), c.id()).orElseThrow();
  }

  private Secret resolve(String vaultId, String url) {
    return vaults.openSession(List.of(vaultId)).resolve(url).orElseThrow().accessToken();
  }

  @Test
  void storesHoldCiphertextOnlyAndPurgeItOnArchive() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp",
        "https://c.example/mcp");
    for (Credential c : v.credentials()) {
      EncryptedToken token = row(c).token();
      assertNotNull(token);
      String asText = new String(token.ciphertext(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertFalse(asText.contains(tokenFor(c.mcpServerUrl())), "ciphertext only");
    }
    vaults.archiveCredential(v.vault().id(), v.credentials().get(0).id());
    assertNull(row(v.credentials().get(0)).token(), "archiving a credential purges its secret");
    assertNotNull(row(v.credentials().get(1)).token());
    vaults.rotateCredential(v.vault().id(), v.credentials().get(1).id(), Secret.of("next-token"));
    assertNull(row(v.credentials().get(1)).token(), "rotation purges the old secret");
    vaults.archiveVault(v.vault().id());
    for (Credential c : vaults.listCredentials(v.vault().id(),
        dev.vaultengine.ListRequest.builder().includeArchived(true).build()).data()) {
      assertNull(row(c).token(), "archiving a vault purges every secret in it");
    }
    assertEquals(0, engine.keys().status().tokensOnOlderKeys());
  }

  @Test
  void reencryptionSeesEveryChangeMadeWhileItRuns() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp",
        "https://c.example/mcp", "https://d.example/mcp");
    List<Credential> c = v.credentials();
    int oldKey = engine.keys().status().primaryKeyId();
    engine.keys().rotateDataKey();
    // The first batch reads the old key's tokens (a store may build its index for it here) ...
    assertEquals(2, store.findTokensOnKey(oldKey, null, 2).size());
    EncryptedToken archivedToken = row(c.get(0)).token();
    // ... then rows change under the re-encryption: archived, deleted, rotated.
    vaults.archiveCredential(v.vault().id(), c.get(0).id());
    vaults.deleteCredential(v.vault().id(), c.get(1).id());
    vaults.rotateCredential(v.vault().id(), c.get(2).id(), Secret.of("tok-rotated"));
    LEAKS.token("tok-rotated");
    List<String> onOld = store.findTokensOnKey(oldKey, null, 100).stream()
        .map(CredentialRow::id).toList();
    assertEquals(List.of(c.get(3).id()), onOld,
        "only the untouched credential is left on the old key");
    assertEquals(1, engine.keys().status().tokensOnOlderKeys());
    // A stale expectation never revives a purged token.
    assertFalse(store.replaceSecrets("acct_a", c.get(0).id(), archivedToken, EncryptedSecrets.of(new EncryptedToken(oldKey, new byte[] {1}))), "replaced the token of an archived credential");
    assertNull(row(c.get(0)).token(), "an archived credential keeps no token");
    assertEquals(1, engine.keys().reencrypt(10).reencrypted());
    assertEquals(List.of(), store.findTokensOnKey(oldKey, null, 100));
    assertEquals(0, engine.keys().status().tokensOnOlderKeys());
    for (String url : List.of("https://c.example/mcp", "https://d.example/mcp")) {
      assertTrue(vaults.openSession(List.of(v.vault().id())).resolve(url).isPresent(), url);
    }
  }

  @Test
  void aCiphertextMovedToAnotherRowDoesNotDecrypt() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    Credential a = v.credentials().get(0);
    Credential b = v.credentials().get(1);
    CredentialRow rowB = row(b);
    assertTrue(store.replaceSecrets("acct_a", b.id(), rowB.token(), EncryptedSecrets.of(row(a).token())));
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    VaultException e = assertError(ErrorType.API, null, null,
        () -> session.resolve("https://b.example/mcp"));
    assertTrue(e.getMessage().contains(b.id()), e.getMessage());
    assertTrue(resolve(v.vault().id(), "https://a.example/mcp")
        .sameAs(Secret.of(tokenFor("https://a.example/mcp"))), "the other row keeps working");

    // Also across vaults and accounts: the ciphertext is bound to its place.
    CreatedVault theirs = createVault(otherAccount, "t", "https://b.example/mcp");
    CredentialRow theirRow = store.findCredential("acct_b", theirs.vault().id(),
        theirs.credentials().get(0).id()).orElseThrow();
    assertTrue(store.replaceSecrets("acct_b", theirRow.id(), theirRow.token(), EncryptedSecrets.of(rowB.token())));
    assertError(ErrorType.API, null, null, () -> otherAccount.openSession(
        List.of(theirs.vault().id())).resolve("https://b.example/mcp"));
  }

  @Test
  void everyFlippedByteAndEveryTruncationIsDetected() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    Credential a = v.credentials().get(0);
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    EncryptedToken original = row(a).token();
    byte[] bytes = original.ciphertext();
    List<byte[]> damaged = new ArrayList<>();
    for (int i = 0; i < bytes.length; i++) {
      for (int mask : new int[] {0x01, 0x80, 0xFF}) {
        byte[] d = bytes.clone();
        d[i] ^= (byte) mask;
        damaged.add(d);
      }
    }
    for (int len = 0; len < bytes.length; len++) {
      damaged.add(Arrays.copyOf(bytes, len));
    }
    damaged.add(Arrays.copyOfRange(bytes, 1, bytes.length));
    EncryptedToken current = original;
    for (byte[] d : damaged) {
      EncryptedToken bad = new EncryptedToken(original.keyId(), d);
      assertTrue(store.replaceSecrets("acct_a", a.id(), current, EncryptedSecrets.of(bad)));
      current = bad;
      VaultException e = assertError(ErrorType.API, null, null,
          () -> session.resolve("https://a.example/mcp"));
      assertTrue(e.getMessage().contains(a.id()), e.getMessage());
      assertTrue(session.resolve("https://b.example/mcp").isPresent(), "others keep working");
    }
    assertTrue(store.replaceSecrets("acct_a", a.id(), current, EncryptedSecrets.of(original)));
    assertTrue(resolve(v.vault().id(), "https://a.example/mcp")
        .sameAs(Secret.of(tokenFor("https://a.example/mcp"))));
  }

  @Test
  void aWrongKekFailsToOpenAndChangesNothing() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    byte[] keyset = store.loadKeyset().orElseThrow();
    List<Object> before = snapshot();
    EncryptedToken token = row(v.credentials().get(0)).token();
    long writes = store.writes();
    VaultException e = assertError(ErrorType.API, null, null, () -> VaultEngine.builder()
        .store(store).keyEncryptionKey(TestKeys.randomKek()).clock(clock).build());
    assertTrue(e.getMessage().startsWith("The key-encryption key cannot unwrap"), e.getMessage());
    assertEquals(writes, store.writes());
    assertArrayEquals(keyset, store.loadKeyset().orElseThrow());
    assertEquals(token, row(v.credentials().get(0)).token());
    assertEquals(before, snapshot());
  }

  @Test
  void kekRotationRewrapsTheKeysetOnly() {
    CreatedVault v = createVault("v", "https://a.example/mcp");
    EncryptedToken token = row(v.credentials().get(0)).token();
    KeyEncryptionKey newKek = TestKeys.randomKek();
    engine.keys().rotateKeyEncryptionKey(newKek);
    assertEquals(token, row(v.credentials().get(0)).token(), "tokens are untouched");
    assertTrue(resolve(v.vault().id(), "https://a.example/mcp")
        .sameAs(Secret.of(tokenFor("https://a.example/mcp"))));
    assertError(ErrorType.API, null, null, () -> VaultEngine.builder().store(store)
        .keyEncryptionKey(kek).clock(clock).build());
    VaultEngine reopened = VaultEngine.builder().store(store).keyEncryptionKey(newKek)
        .clock(clock).build();
    assertTrue(reopened.forAccount("acct_a").openSession(List.of(v.vault().id()))
        .resolve("https://a.example/mcp").orElseThrow().accessToken()
        .sameAs(Secret.of(tokenFor("https://a.example/mcp"))));
  }

  @Test
  void dataKeyRotationUnderConcurrentResolvesLosesNoRead() throws Exception {
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      urls.add("https://svc" + i + ".example/mcp");
    }
    String vaultId = createVault("v", urls.toArray(String[]::new)).vault().id();
    int oldKey = engine.keys().status().primaryKeyId();
    // Two readers use this engine, two use a second engine on the same store, as a second host
    // process would: it learns of the rotation only from the store.
    VaultEngine second = openEngine(new NonClosingStore(store), false);
    List<VaultService> readers = List.of(vaults, vaults, second.forAccount("acct_a"),
        second.forAccount("acct_a"));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (VaultService reader : readers) {
      Thread t = new Thread(() -> {
        VaultSession s = reader.openSession(List.of(vaultId));
        int i = 0;
        while (!stop.get() && failure.get() == null) {
          String url = urls.get(i++ % urls.size());
          try {
            ResolvedCredential r = s.resolve(url).orElseThrow(
                () -> new AssertionError("nothing resolved for " + url));
            if (!r.accessToken().sameAs(Secret.of(tokenFor(url)))) {
              throw new AssertionError("wrong token for " + url);
            }
            reads.incrementAndGet();
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }
      });
      threads.add(t);
      t.start();
    }
    try {
      int newKey = engine.keys().rotateDataKey();
      assertNotEquals(oldKey, newKey);
      Credential added = vaults.createCredential(vaultId, credential("https://new.example/mcp"));
      assertEquals(newKey, row(added).token().keyId(), "new tokens use the new primary");
      assertEquals(60, engine.keys().status().tokensOnOlderKeys());
      ReencryptionReport report = engine.keys().reencrypt(7);
      assertEquals(60, report.reencrypted());
      assertEquals(List.of(), report.failedCredentialIds());
      assertEquals(0, report.remaining());
      engine.keys().disableRetiredKeys();
      long seen = reads.get();
      while (reads.get() < seen + 200 && failure.get() == null) {
        Thread.onSpinWait();
      }
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
    }
    if (failure.get() != null) {
      LEAKS.record(failure.get());
      throw new AssertionError("a resolve failed during rotation", failure.get());
    }
    KeysetStatus status = engine.keys().status();
    assertEquals(0, status.tokensOnOlderKeys());
    assertEquals(2, status.keys().size());
    assertTrue(status.keys().stream().filter(k -> k.id() == oldKey).allMatch(k -> !k.enabled()));
    for (String url : urls) {
      assertTrue(resolve(vaultId, url).sameAs(Secret.of(tokenFor(url))));
      assertTrue(second.forAccount("acct_a").openSession(List.of(vaultId)).resolve(url)
          .orElseThrow().accessToken().sameAs(Secret.of(tokenFor(url))));
    }
  }

  @Test
  void retiredKeysCannotBeDisabledWhileTokensUseThem() {
    createVault("v", "https://a.example/mcp");
    engine.keys().rotateDataKey();
    assertError(ErrorType.CONFLICT, "1 stored tokens are still on retired keys; run "
        + "re-encryption before disabling them.", null, () -> engine.keys().disableRetiredKeys());
    assertEquals(1, engine.keys().reencrypt(100).reencrypted());
    engine.keys().disableRetiredKeys();
  }

  @Test
  void reencryptionSkipsAndNamesADamagedRowAndGoesOn() {
    CreatedVault v = createVault("v", "https://a.example/mcp", "https://b.example/mcp");
    Credential a = v.credentials().get(0);
    EncryptedToken original = row(a).token();
    byte[] d = original.ciphertext();
    d[d.length - 1] ^= 1;
    store.replaceSecrets("acct_a", a.id(), original, EncryptedSecrets.of(new EncryptedToken(original.keyId(), d)));
    engine.keys().rotateDataKey();
    ReencryptionReport report = engine.keys().reencrypt(1);
    assertEquals(1, report.reencrypted());
    assertEquals(List.of(a.id()), report.failedCredentialIds());
    assertEquals(1, report.remaining());
  }

  @Test
  void aKmsClientKeyUriServesAsTheKek() {
    KmsClients.add(new TestKmsClient());
    String uri = TestKmsClient.PREFIX + "contract-" + System.nanoTime();
    VaultStore fresh = new NonClosingStore(anotherStore());
    try {
      VaultEngine viaKms = VaultEngine.builder().store(fresh)
          .keyEncryptionKey(KeyEncryptionKey.kmsKeyUri(uri)).clock(clock).build();
      CreatedVault v = createVault(viaKms.forAccount("kms"), "kms", "https://a.example/mcp");
      VaultEngine again = VaultEngine.builder().store(fresh)
          .keyEncryptionKey(KeyEncryptionKey.kmsKeyUri(uri)).clock(clock).build();
      assertTrue(again.forAccount("kms").openSession(List.of(v.vault().id()))
          .resolve("https://a.example/mcp").orElseThrow().accessToken()
          .sameAs(Secret.of(tokenFor("https://a.example/mcp"))));
      assertError(ErrorType.API, null, null, () -> VaultEngine.builder().store(fresh)
          .keyEncryptionKey(KeyEncryptionKey.kmsKeyUri(TestKmsClient.PREFIX + "other"))
          .clock(clock).build());
      VaultException e = assertError(ErrorType.API, null, null, () -> VaultEngine.builder()
          .store(fresh).keyEncryptionKey(KeyEncryptionKey.kmsKeyUri("nowhere-kms://k"))
          .clock(clock).build());
      assertTrue(e.getMessage().contains("No Tink KmsClient"), e.getMessage());
    } finally {
      ((NonClosingStore) fresh).closeForReal();
    }
  }

  // ---------------------------------------------------------------- every secret field

  /** {@code secrets} with {@code field} replaced by {@code token}. */
  private static EncryptedSecrets withField(EncryptedSecrets secrets, StoredSecrets.Field field,
      EncryptedToken token) {
    return switch (field) {
      case ACCESS_TOKEN, SECRET_VALUE -> new EncryptedSecrets(token, secrets.refreshToken(),
          secrets.clientSecret());
      case REFRESH_TOKEN -> new EncryptedSecrets(secrets.token(), token, secrets.clientSecret());
      case CLIENT_SECRET -> new EncryptedSecrets(secrets.token(), secrets.refreshToken(), token);
    };
  }

  private static EncryptedToken fieldOf(EncryptedSecrets secrets, StoredSecrets.Field field) {
    return switch (field) {
      case ACCESS_TOKEN, SECRET_VALUE -> secrets.token();
      case REFRESH_TOKEN -> secrets.refreshToken();
      case CLIENT_SECRET -> secrets.clientSecret();
    };
  }

  private static final StoredSecrets.Field ACCESS = StoredSecrets.Field.ACCESS_TOKEN;
  private static final StoredSecrets.Field REFRESH = StoredSecrets.Field.REFRESH_TOKEN;
  private static final StoredSecrets.Field CLIENT = StoredSecrets.Field.CLIENT_SECRET;
  private static final StoredSecrets.Field VALUE = StoredSecrets.Field.SECRET_VALUE;
  private static final List<StoredSecrets.Field> OAUTH_FIELDS = List.of(ACCESS, REFRESH, CLIENT);

  /** The value {@code oauth(url)} wrote for {@code field}. */
  private static String writtenFor(String url, StoredSecrets.Field field) {
    return switch (field) {
      case ACCESS_TOKEN -> accessTokenFor(url);
      case REFRESH_TOKEN -> refreshTokenFor(url);
      case CLIENT_SECRET -> clientSecretFor(url);
      case SECRET_VALUE -> secretValueFor(url);
    };
  }

  /**
   * Asserts that exactly the {@code broken} secrets of {@code c} (an {@code mcp_oauth} made by
   * {@code oauth(url)}) fail to decrypt, in the engine with an {@code api_error} naming the
   * credential and the field, while its other secrets keep their values and keep working: the
   * access token through a resolve, the refresh token and client secret through an update that
   * replaces the access token (the engine decrypts and seals them again). That update succeeds
   * when only the access token is broken, so it repairs the row.
   */
  private void onlyTheseFail(Credential c, String url, Set<StoredSecrets.Field> broken) {
    StoredSecrets ss = storedSecrets();
    CredentialRow r = row(c);
    for (StoredSecrets.Field f : OAUTH_FIELDS) {
      if (broken.contains(f)) {
        assertFalse(ss.decrypts(r, f), f + " of " + c.id() + " must not decrypt");
      } else {
        assertTrue(Objects.equals(writtenFor(url, f), ss.read(r, f)),
            f + " of " + c.id() + " keeps its value (values not shown)");
      }
    }
    VaultSession session = vaults.openSession(List.of(c.vaultId()));
    if (broken.contains(ACCESS)) {
      VaultException e = assertError(ErrorType.API, null, null, () -> session.resolve(url));
      assertTrue(e.getMessage().contains("'" + c.id() + "'")
          && e.getMessage().contains("access_token"), e.getMessage());
    } else {
      assertTrue(session.resolve(url).orElseThrow().accessToken()
          .sameAs(Secret.of(accessTokenFor(url))), "the access token keeps working");
    }
    String fresh = "at_fresh_" + c.id().substring(20);
    UpdateCredentialRequest replaceToken = UpdateCredentialRequest
        .builder(CredentialType.MCP_OAUTH).accessToken(secret(fresh)).build();
    StoredSecrets.Field other = broken.contains(REFRESH) ? REFRESH
        : broken.contains(CLIENT) ? CLIENT : null;
    if (other != null) {
      VaultException e = assertError(ErrorType.API, null, null,
          () -> vaults.updateCredential(c.vaultId(), c.id(), replaceToken));
      assertTrue(e.getMessage().contains("'" + c.id() + "'")
          && e.getMessage().contains(other.wireName), e.getMessage());
      assertError(ErrorType.API, null, null, () -> vaults.rotateCredential(c.vaultId(), c.id(),
          secret("at_not_rotated_" + c.id().substring(20))));
      assertEquals(r, row(c), "a refused update or rotation changes nothing");
    } else {
      vaults.updateCredential(c.vaultId(), c.id(), replaceToken);
      assertTrue(session.resolve(url).orElseThrow().accessToken().sameAs(Secret.of(fresh)));
      StoredSecrets now = storedSecrets();
      assertTrue(Objects.equals(refreshTokenFor(url), now.read(row(c), REFRESH))
          && Objects.equals(clientSecretFor(url), now.read(row(c), CLIENT)),
          "the refresh token and client secret were sealed again with their values");
    }
  }

  /** A vault with two {@code mcp_oauth} credentials, for one case. */
  private List<Credential> twoOauth(String a, String b) {
    return vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(oauth(a)).addCredential(oauth(b)).build()).credentials();
  }

  @Test
  void eachSecretFieldMovedToAnotherRowDoesNotDecryptThere() {
    int n = 0;
    for (StoredSecrets.Field field : OAUTH_FIELDS) {
      String a = "https://a" + n + ".example/mcp";
      String b = "https://b" + (n++) + ".example/mcp";
      List<Credential> c = twoOauth(a, b);
      EncryptedSecrets original = row(c.get(1)).secrets();
      assertTrue(store.replaceSecrets("acct_a", c.get(1).id(), original.token(),
          withField(original, field, fieldOf(row(c.get(0)).secrets(), field))));
      onlyTheseFail(c.get(1), b, Set.of(field));
      onlyTheseFail(c.get(0), a, Set.of());
    }
    // Another vault, another account: the place includes both.
    List<Credential> mine = twoOauth("https://mine1.example/mcp", "https://mine2.example/mcp");
    CreatedVault theirs = otherAccount.createVault(CreateVaultRequest.builder().displayName("t")
        .addCredential(oauth("https://mine1.example/mcp")).build());
    CredentialRow theirRow = store.findCredential("acct_b", theirs.vault().id(),
        theirs.credentials().get(0).id()).orElseThrow();
    EncryptedSecrets original = row(mine.get(0)).secrets();
    assertTrue(store.replaceSecrets("acct_a", mine.get(0).id(), original.token(),
        withField(original, REFRESH, theirRow.secrets().refreshToken())));
    onlyTheseFail(mine.get(0), "https://mine1.example/mcp", Set.of(REFRESH));
    EncryptedSecrets mine2 = row(mine.get(1)).secrets();
    EncryptedSecrets otherVault = row(vaults.createCredential(
        createVault("w", "https://w.example/mcp").vault().id(),
        oauth("https://mine2.example/mcp"))).secrets();
    assertTrue(store.replaceSecrets("acct_a", mine.get(1).id(), mine2.token(),
        withField(mine2, CLIENT, otherVault.clientSecret())));
    onlyTheseFail(mine.get(1), "https://mine2.example/mcp", Set.of(CLIENT));
  }

  @Test
  void eachSecretFieldMovedToAnotherFieldOfItsRowDoesNotDecryptThere() {
    record Move(StoredSecrets.Field from, StoredSecrets.Field to) {}
    int n = 0;
    for (Move m : List.of(new Move(REFRESH, ACCESS), new Move(CLIENT, ACCESS),
        new Move(ACCESS, REFRESH), new Move(CLIENT, REFRESH), new Move(ACCESS, CLIENT),
        new Move(REFRESH, CLIENT))) {
      String url = "https://move" + (n++) + ".example/mcp";
      Credential c = twoOauth(url, "https://bystander" + n + ".example/mcp").get(0);
      EncryptedSecrets original = row(c).secrets();
      assertTrue(store.replaceSecrets("acct_a", c.id(), original.token(),
          withField(original, m.to(), fieldOf(original, m.from()))));
      onlyTheseFail(c, url, Set.of(m.to()));
    }
    // Swapped: both fail.
    Credential c = twoOauth("https://swap.example/mcp", "https://swap2.example/mcp").get(0);
    EncryptedSecrets original = row(c).secrets();
    assertTrue(store.replaceSecrets("acct_a", c.id(), original.token(), new EncryptedSecrets(
        original.token(), original.clientSecret(), original.refreshToken())));
    onlyTheseFail(c, "https://swap.example/mcp", Set.of(REFRESH, CLIENT));
  }

  @Test
  void aPrimarySecretMovedAcrossKindsDoesNotDecrypt() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(credential("https://static.example/mcp"))
        .addCredential(oauth("https://oauth.example/mcp"))
        .addCredential(env("FIRST_VALUE")).addCredential(env("SECOND_VALUE")).build());
    String vaultId = v.vault().id();
    List<CredentialRow> rows = v.credentials().stream().map(this::row).toList();
    VaultSession session = vaults.openSession(List.of(vaultId));
    Map<String, String> environment = session.environment();

    // A static_bearer token (format 1) in an mcp_oauth row, and the other way round.
    assertTrue(store.replaceSecrets("acct_a", rows.get(1).id(), rows.get(1).token(),
        withField(rows.get(1).secrets(), ACCESS, rows.get(0).token())));
    assertTrue(store.replaceSecrets("acct_a", rows.get(0).id(), rows.get(0).token(),
        EncryptedSecrets.of(rows.get(1).token())));
    for (int i = 0; i < 2; i++) {
      String url = i == 0 ? "https://static.example/mcp" : "https://oauth.example/mcp";
      String id = rows.get(i).id();
      VaultException e = assertError(ErrorType.API, null, null, () -> session.resolve(url));
      assertTrue(e.getMessage().contains("'" + id + "'"), e.getMessage());
    }

    // A secret value in another variable's row, and an access token as a secret value.
    assertTrue(store.replaceSecrets("acct_a", rows.get(3).id(), rows.get(3).token(),
        EncryptedSecrets.of(rows.get(2).token())));
    VaultException e = assertError(ErrorType.API, null, null, () -> CredentialKindsContract
        .substituted(session, "api.example.com", environment.get("SECOND_VALUE")));
    assertTrue(e.getMessage().contains("'" + rows.get(3).id() + "'")
        && e.getMessage().contains("secret_value"), e.getMessage());
    List<String> first = CredentialKindsContract.substituted(session, "api.example.com",
        environment.get("FIRST_VALUE"));
    assertTrue(first.get(0).equals(secretValueFor("FIRST_VALUE")), "the other variable works");
    assertTrue(store.replaceSecrets("acct_a", rows.get(2).id(), rows.get(2).token(),
        EncryptedSecrets.of(rows.get(1).token())));
    assertError(ErrorType.API, null, null, () -> CredentialKindsContract.substituted(session,
        "api.example.com", environment.get("FIRST_VALUE")));
    assertFalse(storedSecrets().decrypts(row(v.credentials().get(2)), VALUE));
  }

  @Test
  void aFlippedByteInOneSecretFieldFailsAloneNamingTheCredential() {
    String url = "https://flip.example/mcp";
    List<Credential> c = twoOauth(url, "https://flip-bystander.example/mcp");
    Credential target = c.get(0);
    for (StoredSecrets.Field field : OAUTH_FIELDS) {
      EncryptedSecrets original = row(target).secrets();
      byte[] bytes = fieldOf(original, field).ciphertext();
      List<byte[]> damaged = new ArrayList<>();
      for (int i : new int[] {0, 4, 5, bytes.length / 2, bytes.length - 1}) {
        byte[] d = bytes.clone();
        d[i] ^= (byte) 0x01;
        damaged.add(d);
      }
      damaged.add(Arrays.copyOf(bytes, bytes.length - 1));
      damaged.add(new byte[0]);
      for (byte[] d : damaged) {
        EncryptedSecrets bad = withField(original, field,
            new EncryptedToken(original.keyId(), d));
        assertTrue(store.replaceSecrets("acct_a", target.id(), original.token(), bad));
        if (field == ACCESS) {
          // Checked without the repairing update, so that every damage is tried.
          StoredSecrets ss = storedSecrets();
          assertFalse(ss.decrypts(row(target), ACCESS));
          assertTrue(ss.decrypts(row(target), REFRESH) && ss.decrypts(row(target), CLIENT));
          VaultException e = assertError(ErrorType.API, null, null,
              () -> vaults.openSession(List.of(target.vaultId())).resolve(url));
          assertTrue(e.getMessage().contains("'" + target.id() + "'"), e.getMessage());
        } else {
          onlyTheseFail(target, url, Set.of(field));
        }
        assertTrue(vaults.openSession(List.of(target.vaultId()))
            .resolve("https://flip-bystander.example/mcp").isPresent(), "others keep working");
        assertTrue(store.replaceSecrets("acct_a", target.id(), bad.token(), original));
        allRestored(target, url);
      }
    }
    // Re-encryption names a row whose refresh token alone is damaged, and moves the others.
    EncryptedSecrets original = row(target).secrets();
    byte[] d = original.refreshToken().ciphertext();
    d[d.length - 1] ^= 1;
    assertTrue(store.replaceSecrets("acct_a", target.id(), original.token(),
        withField(original, REFRESH, new EncryptedToken(original.keyId(), d))));
    engine.keys().rotateDataKey();
    ReencryptionReport report = engine.keys().reencrypt(10);
    assertEquals(List.of(target.id()), report.failedCredentialIds());
    assertEquals(1, report.reencrypted());
    assertEquals(1, report.remaining());
    assertTrue(store.replaceSecrets("acct_a", target.id(), original.token(), original));
    assertEquals(1, engine.keys().reencrypt(10).reencrypted());
    assertEquals(0, engine.keys().status().tokensOnOlderKeys());
    onlyTheseFail(target, url, Set.of());
  }

  /** Every secret of {@code c}, made by {@code oauth(url)}, decrypts to the value written. */
  private void allRestored(Credential c, String url) {
    StoredSecrets ss = storedSecrets();
    for (StoredSecrets.Field f : OAUTH_FIELDS) {
      assertTrue(Objects.equals(writtenFor(url, f), ss.read(row(c), f)),
          f + " restored (values not shown)");
    }
  }

  @Test
  void aFlippedByteInASecretValueFailsAloneNamingTheCredential() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(env("DAMAGED_VALUE")).addCredential(env("INTACT_VALUE")).build());
    Credential damaged = v.credentials().get(0);
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    Map<String, String> environment = session.environment();
    EncryptedToken original = row(damaged).token();
    byte[] d = original.ciphertext();
    d[d.length / 2] ^= 0x40;
    EncryptedToken bad = new EncryptedToken(original.keyId(), d);
    assertTrue(store.replaceSecrets("acct_a", damaged.id(), original, EncryptedSecrets.of(bad)));
    VaultException e = assertError(ErrorType.API, null, null, () -> CredentialKindsContract
        .substituted(session, "api.example.com", environment.get("DAMAGED_VALUE")));
    assertTrue(e.getMessage().contains("'" + damaged.id() + "'")
        && e.getMessage().contains("secret_value"), e.getMessage());
    assertTrue(CredentialKindsContract.substituted(session, "api.example.com",
        environment.get("INTACT_VALUE")).get(0).equals(secretValueFor("INTACT_VALUE")),
        "the other variable keeps working (values not shown)");
    // A new value repairs it: nothing else of the row needs to decrypt.
    vaults.updateCredential(v.vault().id(), damaged.id(), UpdateCredentialRequest
        .builder(CredentialType.ENVIRONMENT_VARIABLE).secretValue(secret("sv_repaired_value"))
        .build());
    assertTrue(CredentialKindsContract.substituted(session, "api.example.com",
        environment.get("DAMAGED_VALUE")).get(0).equals("sv_repaired_value"));
  }
}
