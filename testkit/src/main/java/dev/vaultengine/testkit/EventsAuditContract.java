package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.AuditEntry;
import dev.vaultengine.AuditMode;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.EventType;
import dev.vaultengine.IdGenerator;
import dev.vaultengine.Subscription;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultEvent;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Events and the audit trail, through the engine and at the store's SPI: which events each
 * operation emits (cascades included) in commit order, that refusals are audited and emit nothing,
 * that a change whose journal cannot be written changes nothing when the audit is fail-closed, that
 * durable subscribers resume where they stopped, that the chain verifies and that no secret is in
 * any event or entry.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code EventsAudit}; it runs alone for one store by its tag,
 * {@code -Dtest=MyStoreContractTest -Dgroups=events-audit}.
 */
@org.junit.jupiter.api.Tag("events-audit")
public abstract class EventsAuditContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected EventsAuditContract() {}

  private static List<String> types(List<VaultEvent> events) {
    return events.stream().map(e -> e.type().wireName()).toList();
  }

  private List<VaultEvent> eventsAfter(long sequence) {
    return engine.events().read(sequence, 1000);
  }

  private List<AuditEntry> auditAfter(long sequence) {
    return engine.audit().list(sequence, 1000);
  }

  private long lastAudit() {
    List<AuditEntry> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<AuditEntry> page = engine.audit().list(after, 1000);
      all.addAll(page);
      if (page.size() < 1000) {
        return all.isEmpty() ? 0 : all.get(all.size() - 1).sequence();
      }
      after = page.get(page.size() - 1).sequence();
    }
  }

  @Test
  void everyOperationEmitsItsEventsCascadesIncludedInCommitOrder() {
    long start = engine.events().lastSequence();
    CreatedVault v = createVault("events", "https://a.example/mcp", "https://b.example/mcp");
    String vaultId = v.vault().id();
    String a = v.credentials().get(0).id();
    String b = v.credentials().get(1).id();
    vaults.updateVault(vaultId, UpdateVaultRequest.builder().displayName("renamed").build());
    Credential env = vaults.createCredential(vaultId, env("API_KEY"));
    vaults.updateCredential(vaultId, env.id(), UpdateCredentialRequest
        .builder(CredentialType.ENVIRONMENT_VARIABLE).displayName("key").build());
    Credential rotated = vaults.rotateCredential(vaultId, a, secret("tok_rotated_events_1"));
    vaults.archiveCredential(vaultId, b);
    vaults.archiveVault(vaultId);
    vaults.deleteVault(vaultId);

    List<VaultEvent> events = eventsAfter(start);
    assertEquals(List.of("vault.created", "vault_credential.created", "vault_credential.created",
        "vault.updated", "vault_credential.created", "vault_credential.updated",
        "vault_credential.archived", "vault_credential.rotated", "vault_credential.archived",
        "vault.archived", "vault_credential.archived", "vault_credential.archived",
        "vault.deleted", "vault_credential.deleted", "vault_credential.deleted",
        "vault_credential.deleted", "vault_credential.deleted"), types(events));
    // Ids: the records each event is about.
    assertEquals(List.of(a, b), List.of(events.get(1).credentialId().orElseThrow(),
        events.get(2).credentialId().orElseThrow()));
    assertEquals(a, events.get(6).credentialId().orElseThrow(), "rotation archives the old one");
    assertEquals(rotated.id(), events.get(7).credentialId().orElseThrow());
    assertEquals(b, events.get(8).credentialId().orElseThrow());
    // Archiving the vault cascades to its two active credentials (the env one, the rotated one).
    assertEquals(sorted(List.of(env.id(), rotated.id())), List.of(
        events.get(10).credentialId().orElseThrow(), events.get(11).credentialId().orElseThrow()));
    // Deleting it cascades to all four, archived ones included.
    assertEquals(sorted(List.of(a, b, env.id(), rotated.id())),
        events.subList(13, 17).stream().map(e -> e.credentialId().orElseThrow()).toList());
    long previous = start;
    for (VaultEvent e : events) {
      assertTrue(e.sequence() > previous, "sequences increase in commit order");
      previous = e.sequence();
      assertEquals("acct_a", e.accountId().orElseThrow());
      assertEquals(vaultId, e.vaultId().orElseThrow());
      assertTrue(e.id().matches("evt_[0-9a-f]{32}"), e.id());
    }
    assertEquals(events.size(), events.stream().map(VaultEvent::id).distinct().count());
    assertEquals(previous, engine.events().lastSequence());
  }

  private static List<String> sorted(List<String> ids) {
    return ids.stream().sorted().toList();
  }

  @Test
  void refusedOperationsEmitNothingAndAreAuditedWithTheirErrorType() {
    CreatedVault v = createVault("refusals", "https://a.example/mcp");
    String vaultId = v.vault().id();
    long events = engine.events().lastSequence();
    long audit = lastAudit();
    String missing = "vault_0000000000000000000000000000ffff";
    assertThrows(VaultException.class, () -> vaults.archiveVault(missing));
    assertThrows(VaultException.class, () -> vaults.createCredential(vaultId,
        credential("https://a.example/mcp", "tok_duplicate_refused_1")));
    assertThrows(VaultException.class, () -> vaults.updateVault(vaultId,
        UpdateVaultRequest.builder().build()));
    assertThrows(VaultException.class, () -> otherAccount.deleteVault(vaultId));
    assertEquals(events, engine.events().lastSequence(), "a refusal emits no event");
    List<AuditEntry> entries = auditAfter(audit);
    assertEquals(List.of("vault.archive", "credential.create", "vault.update", "vault.delete"),
        entries.stream().map(AuditEntry::operation).toList());
    assertEquals(List.of(ErrorType.NOT_FOUND.wireName(), ErrorType.CONFLICT.wireName(),
        ErrorType.INVALID_REQUEST.wireName(), ErrorType.NOT_FOUND.wireName()),
        entries.stream().map(AuditEntry::outcome).toList());
    assertEquals("acct_b", entries.get(3).accountId().orElseThrow());
    assertTrue(entries.get(1).secretHashes().isEmpty(), "a refused secret is not recorded");
    assertTrue(engine.audit().verify().intact());
  }

  @Test
  void auditEntriesNameTheActorAndHoldSecretsOnlyAsHmacs() {
    VaultService alice = engine.forAccount("acct_a", "alice@example.com");
    String token = "tok_audited_secret_0001";
    CreatedVault v = alice.createVault(CreateVaultRequest.builder().displayName("audited")
        .addCredential(credential("https://a.example/mcp", token))
        .addCredential(oauth("https://o.example/mcp")).addCredential(env("SECRET_ENV")).build());
    AuditEntry created = auditAfter(0).stream()
        .filter(e -> e.operation().equals("vault.create")).reduce((x, y) -> y).orElseThrow();
    assertEquals("alice@example.com", created.actor().orElseThrow());
    assertEquals("ok", created.outcome());
    String hash = engine.audit().hash(secret(token));
    assertTrue(hash.matches("[0-9a-f]{64}"), hash);
    String id = v.credentials().get(0).id();
    assertEquals(hash, created.secretHashes().get(id + ".access_token"));
    String oauthId = v.credentials().get(1).id();
    assertEquals(engine.audit().hash(secret(refreshTokenFor("https://o.example/mcp"))),
        created.secretHashes().get(oauthId + ".refresh_token"));
    assertEquals(engine.audit().hash(secret(clientSecretFor("https://o.example/mcp"))),
        created.secretHashes().get(oauthId + ".client_secret"));
    assertEquals(List.of(created.sequence()),
        engine.audit().find(secret(token)).stream().map(AuditEntry::sequence).toList());
    assertEquals(List.of(), engine.audit().find(secret("tok_never_stored_0001")));

    // No secret in any event or entry, in any field.
    List<String> secrets = List.of(token, accessTokenFor("https://o.example/mcp"),
        refreshTokenFor("https://o.example/mcp"), clientSecretFor("https://o.example/mcp"),
        secretValueFor("SECRET_ENV"));
    PlaintextScanner scanner = new PlaintextScanner(secrets);
    StringBuilder all = new StringBuilder();
    store.readEvents(0, 1000).forEach(e -> all.append(e).append('\n'));
    for (AuditRow r : store.readAudit(0, 1000)) {
      all.append(r.accountId()).append(r.actor()).append(r.operation()).append(r.vaultId())
          .append(r.credentialId()).append(r.outcome()).append(r.secrets()).append(r.detail())
          .append('\n');
      assertEquals(List.of(), scanner.findIn(r.mac()));
    }
    assertEquals(List.of(), scanner.findIn(all.toString().getBytes(
        java.nio.charset.StandardCharsets.UTF_8)), "a secret in the events or audit entries");
  }

  @Test
  void theFirstDisclosureInASessionIsAuditedAndRepeatsAreNot() {
    CreatedVault v = createVault("disclosure", "https://a.example/mcp");
    String vaultId = v.vault().id();
    VaultSession session = vaults.openSession(List.of(vaultId));
    long audit = lastAudit();
    long appends = store.appends();
    session.resolve("https://a.example/mcp").orElseThrow().accessToken().destroy();
    session.resolve("https://a.example/mcp").orElseThrow().accessToken().destroy();
    session.resolve("https://a.example/mcp").orElseThrow().accessToken().destroy();
    List<AuditEntry> entries = auditAfter(audit);
    assertEquals(List.of("credential.disclose"),
        entries.stream().map(AuditEntry::operation).toList());
    assertEquals(v.credentials().get(0).id(), entries.get(0).credentialId().orElseThrow());
    assertEquals(1, store.appends() - appends, "repeated resolves append nothing");
    // Changed: the next resolve discloses a new version, once.
    vaults.updateCredential(vaultId, v.credentials().get(0).id(),
        UpdateCredentialRequest.builder(CredentialType.STATIC_BEARER)
            .accessToken(secret("tok_disclosed_again_01")).build());
    session.resolve("https://a.example/mcp").orElseThrow().accessToken().destroy();
    session.resolve("https://a.example/mcp").orElseThrow().accessToken().destroy();
    assertEquals(List.of("credential.disclose", "credential.update", "credential.disclose"),
        auditAfter(audit).stream().map(AuditEntry::operation).toList());
  }

  @Test
  void keyOperationsAreEventsAndAuditEntries() {
    createVault("keys", "https://a.example/mcp");
    long events = engine.events().lastSequence();
    engine.keys().rotateDataKey();
    engine.keys().reencrypt(100);
    engine.keys().disableRetiredKeys();
    assertEquals(List.of("keyset.data_key_rotated", "keyset.reencrypted",
        "keyset.retired_keys_disabled"), types(eventsAfter(events)));
    assertTrue(eventsAfter(events).stream().allMatch(e -> e.accountId().isEmpty()));
    // The audit key moved to the new primary before the old key was disabled: it still opens.
    try (VaultEngine again = openEngine(new NonClosingStore(store), false)) {
      assertTrue(again.audit().verify().intact(), "the trail verifies after key rotation");
    }
    assertTrue(auditAfter(0).stream().map(AuditEntry::operation).toList().containsAll(List.of(
        "keyset.rotate_data_key", "keyset.reencrypt", "keyset.disable_retired_keys")));
  }

  @Test
  void aDurableSubscriberGetsEveryEventItHadNotHandledAfterARestart() throws Exception {
    List<VaultEvent> first = new CopyOnWriteArrayList<>();
    Subscription s = engine.events().subscribe("host-cache", first::add);
    CreatedVault v = createVault("durable", "https://a.example/mcp");
    assertTrue(s.awaitCaughtUp(Duration.ofSeconds(10)));
    assertEquals(List.of("vault.created", "vault_credential.created"), types(first));
    s.close();
    engine.close();
    // While no one listens, another engine on the same store changes things.
    try (VaultEngine other = VaultEngine.builder().store(reopenedStore())
        .keyEncryptionKey(kek).clock(clock).idGenerator(IdGenerator.uuidV7(clock, 4242)).build()) {
      other.forAccount("acct_a").archiveVault(v.vault().id());
      other.forAccount("acct_b").createVault(CreateVaultRequest.builder().displayName("b")
          .addCredential(credential("https://b.example/mcp")).build());
    }
    List<VaultEvent> second = new CopyOnWriteArrayList<>();
    store = reopenedStore();
    engine = VaultEngine.builder().store(store).keyEncryptionKey(kek).clock(clock)
        .idGenerator(IdGenerator.uuidV7(clock, 4343)).build();
    vaults = engine.forAccount("acct_a");
    try (Subscription again = engine.events().subscribe("host-cache", second::add)) {
      assertTrue(again.awaitCaughtUp(Duration.ofSeconds(10)));
      assertEquals(List.of("vault.archived", "vault_credential.archived", "vault.created",
          "vault_credential.created"), types(second), "exactly what it had not handled");
      assertEquals(first.get(1).sequence() + 4, again.position());
    }
    // A name already subscribed in this engine is refused; a bad name too.
    try (Subscription once = engine.events().subscribe("dup", e -> { })) {
      assertThrows(VaultException.class, () -> engine.events().subscribe("dup", e -> { }));
    }
    assertThrows(VaultException.class, () -> engine.events().subscribe("bad name", e -> { }));
    assertTrue(engine.events().unsubscribe("host-cache"));
    assertFalse(engine.events().unsubscribe("host-cache"));
  }

  @Test
  void aFailingListenerGetsTheSameEventAgainAndOrderIsKept() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Subscription s = engine.events().subscribe(e -> {
      if (e.type() == EventType.CREDENTIAL_CREATED && failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("listener failure (test)");
      }
      seen.add(e.type().wireName());
    })) {
      createVault("retry", "https://a.example/mcp");
      assertTrue(s.awaitCaughtUp(Duration.ofSeconds(15)));
      assertEquals(List.of("vault.created", "vault_credential.created"), seen);
    }
  }

  @Test
  void aChangeWhoseAuditEntryCannotBeSealedChangesNothingWhenFailClosed() {
    CreatedVault v = createVault("fail-closed", "https://a.example/mcp");
    CredentialRow row = stored(v.credentials().get(0));
    List<Object> before = snapshot();
    long events = store.lastEventSequence();
    long audit = store.auditHead().sequence();
    Journal failing = journalThatCannotSeal(true, new AtomicReference<>());
    assertThrows(RuntimeException.class, () -> store.archiveCredential("acct_a",
        v.vault().id(), row.id(), T0.plusSeconds(5), failing));
    assertThrows(RuntimeException.class, () -> store.deleteVault("acct_a", v.vault().id(),
        failing));
    assertEquals(before, snapshot(), "a fail-closed change without its audit entry is undone");
    assertEquals(events, store.lastEventSequence(), "and emits nothing");
    assertEquals(audit, store.auditHead().sequence());

    // Best effort: the change and its events are written without the entry, and reported.
    AtomicReference<RuntimeException> reported = new AtomicReference<>();
    assertEquals(WriteOutcome.OK, store.archiveCredential("acct_a", v.vault().id(), row.id(),
        T0.plusSeconds(5), journalThatCannotSeal(false, reported)));
    assertNotEquals(before, snapshot());
    assertEquals(events + 1, store.lastEventSequence());
    assertEquals(audit, store.auditHead().sequence());
    assertTrue(reported.get() != null, "auditNotWritten was called");
    assertTrue(engine.audit().verify().intact());
  }

  /** A journal with one event and one audit entry whose sealing fails. */
  private static Journal journalThatCannotSeal(boolean required,
      AtomicReference<RuntimeException> reported) {
    return new Journal() {
      @Override
      public Entries entries(WriteOutcome outcome, List<String> cascaded) {
        return new Entries(outcome == WriteOutcome.OK
            ? List.of(new EventRow(0, "evt_00000000000000000000000000000001",
                "vault_credential.archived", "acct_a", null, null, T0))
            : List.of(), new AuditRow(0, T0, "acct_a", null, "test", null, null, "ok", null,
                null, null));
      }

      @Override
      public byte[] seal(byte[] previousMac, AuditRow entry) {
        throw new IllegalStateException("cannot seal (test)");
      }

      @Override
      public boolean auditRequired() {
        return required;
      }

      @Override
      public void auditNotWritten(RuntimeException cause) {
        reported.set(cause);
      }
    };
  }

  @Test
  void aFailClosedEngineRefusesWhatItCannotAuditAndADefaultOneGoesOn() {
    // An engine whose audit entries cannot be written: a store that fails every audit seal is
    // simulated by the store's own fail-closed path above; here the engine option is checked end
    // to end with a store that refuses appends (a refusal or disclosure entry).
    RecordingStore failingAppends = new RecordingStore(new NonClosingStore(store));
    try (VaultEngine strict = VaultEngine.builder().store(failingAppends).keyEncryptionKey(kek)
        .clock(clock).idGenerator(IdGenerator.uuidV7(clock, 7)).auditMode(AuditMode.FAIL_CLOSED)
        .build()) {
      CreatedVault v = createVault(strict.forAccount("acct_a"), "strict", "https://s.example/");
      VaultSession session = strict.forAccount("acct_a").openSession(List.of(v.vault().id()));
      failingAppends.failNext("append");
      VaultException e = assertThrows(VaultException.class,
          () -> session.resolve("https://s.example/"));
      assertEquals(ErrorType.API, e.type());
      // Recorded on the next try.
      session.resolve("https://s.example/").orElseThrow().accessToken().destroy();
    }
    try (VaultEngine lenient = VaultEngine.builder().store(failingAppends).keyEncryptionKey(kek)
        .clock(clock).idGenerator(IdGenerator.uuidV7(clock, 8)).build()) {
      CreatedVault v = createVault(lenient.forAccount("acct_a"), "lenient", "https://l.example/");
      VaultSession session = lenient.forAccount("acct_a").openSession(List.of(v.vault().id()));
      failingAppends.failNext("append");
      session.resolve("https://l.example/").orElseThrow().accessToken().destroy();
      assertEquals(1, lenient.audit().failures(), "the failure is reported");
    }
  }

  @Test
  void theChainVerifiesAndAnEngineWithAuditOffWritesNoEntries() {
    createVault("chain", "https://a.example/mcp", "https://b.example/mcp");
    assertTrue(engine.audit().verify().intact());
    long head = store.auditHead().sequence();
    assertTrue(head > 0);
    assertEquals(head, engine.audit().verify().headSequence());
    try (VaultEngine quiet = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).clock(clock).idGenerator(IdGenerator.uuidV7(clock, 9))
        .auditMode(AuditMode.OFF).events(false).build()) {
      long events = store.lastEventSequence();
      createVault(quiet.forAccount("acct_a"), "quiet", "https://q.example/");
      assertEquals(head, store.auditHead().sequence(), "audit off: no entry");
      assertEquals(events, store.lastEventSequence(), "events off: no event");
    }
  }

  @Test
  void acknowledgedEventsArePurgedAfterTheRetention() throws Exception {
    createVault("purge", "https://a.example/mcp");
    long last = store.lastEventSequence();
    store.saveSubscriberPosition("slow", last - 1);
    assertEquals(0, store.purgeEvents(T0.minusSeconds(1)), "nothing is old enough");
    int purged = store.purgeEvents(T0.plusSeconds(3600));
    assertEquals(last - 1, purged, "only what every subscriber acknowledged");
    assertEquals(List.of(last), store.readEvents(0, 10).stream().map(EventRow::sequence).toList());
    store.saveSubscriberPosition("slow", last);
    assertEquals(1, store.purgeEvents(T0.plusSeconds(3600)));
    assertEquals(List.of(), store.readEvents(0, 10));
    assertEquals(last, store.lastEventSequence(), "purged events keep their numbers");
    assertTrue(store.deleteSubscriber("slow"));
  }

  @Test
  void sessionsOnASharedStoreAnswerFromTheFeedWithinTheStalenessBound() throws Exception {
    // Two hosts on one store that cannot count its changes (as PostgreSQL and MariaDB).
    class Shared extends ForwardingStore {
      Shared() {
        super(new NonClosingStore(store));
      }

      @Override
      public long changeCount() {
        return -1;
      }
    }
    RecordingStore bStore = new RecordingStore(new Shared());
    try (VaultEngine a = VaultEngine.builder().store(new Shared()).keyEncryptionKey(kek)
            .clock(clock).idGenerator(IdGenerator.uuidV7(clock, 77)).build();
        VaultEngine b = VaultEngine.builder().store(bStore).keyEncryptionKey(kek).clock(clock)
            .idGenerator(IdGenerator.uuidV7(clock, 78)).eventPollInterval(Duration.ofMillis(20))
            .resolveFromEventFeed(Duration.ofMillis(500)).build()) {
      CreatedVault v = createVault(a.forAccount("acct_a"), "shared", "https://s.example/mcp");
      VaultSession session = b.forAccount("acct_a").openSession(List.of(v.vault().id()));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      session.resolve("https://s.example/mcp").orElseThrow().accessToken().destroy();
      // Once the feed has been looked at, repeated resolves read nothing.
      long reads;
      do {
        Thread.sleep(30);
        session.resolve("https://s.example/mcp").orElseThrow().accessToken().destroy();
        reads = bStore.reads();
        session.resolve("https://s.example/mcp").orElseThrow().accessToken().destroy();
      } while (bStore.reads() != reads && System.nanoTime() < deadline);
      assertEquals(reads, bStore.reads(), "a repeated resolve answered from memory");
      // Another host rotates: seen within the bound.
      a.forAccount("acct_a").rotateCredential(v.vault().id(), v.credentials().get(0).id(),
          secret("tok_rotated_by_host_a_1"));
      long rotatedAt = System.nanoTime();
      while (true) {
        var r = session.resolve("https://s.example/mcp").orElseThrow();
        boolean seen = r.accessToken().sameAs(secret("tok_rotated_by_host_a_1"));
        r.accessToken().destroy();
        if (seen) {
          break;
        }
        assertTrue(System.nanoTime() - rotatedAt < Duration.ofSeconds(2).toNanos(),
            "the rotation was not seen within the staleness bound");
        Thread.sleep(5);
      }
      // This host's own change is seen at once.
      b.forAccount("acct_a").rotateCredential(v.vault().id(),
          session.resolve("https://s.example/mcp").orElseThrow().credentialId(),
          secret("tok_rotated_by_host_b_1"));
      var own = session.resolve("https://s.example/mcp").orElseThrow();
      assertTrue(own.accessToken().sameAs(secret("tok_rotated_by_host_b_1")));
      own.accessToken().destroy();
    }
    assertThrows(IllegalStateException.class, () -> VaultEngine.builder().store(store)
        .keyEncryptionKey(kek).eventPollInterval(Duration.ofSeconds(1))
        .resolveFromEventFeed(Duration.ofMillis(500)).build());
  }

  @Test
  void eventsArePurgedAfterTheRetentionEvenWithoutSubscribers() throws Exception {
    try (VaultEngine purging = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).clock(clock).idGenerator(IdGenerator.uuidV7(clock, 5))
        .eventRetention(Duration.ofSeconds(10)).build()) {
      createVault(purging.forAccount("acct_a"), "old", "https://old.example/mcp");
      long last = store.lastEventSequence();
      assertTrue(store.readEvents(0, 10).size() > 0);
      clock.advance(Duration.ofHours(1)); // the events are an hour old: past the retention
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!store.readEvents(0, 10).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(List.of(), store.readEvents(0, 10), "no subscriber, still purged");
      assertEquals(last, store.lastEventSequence(), "purged events keep their numbers");
    }
  }
}
