package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.crypto.tink.KmsClients;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.ErrorType;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.KeysetStatus;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Envelope encryption as every store must carry it: ciphertext only, purged on archive, bound to
 * its row, tamper-evident, rotatable online, and a wrong KEK that changes nothing.
 */
public abstract class EncryptionContract extends ListingContract {

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
    VaultStore fresh = new NonClosingStore(newStore());
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
}
