package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.Status;
import dev.vaultengine.memory.InMemoryVaultStore;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.WriteOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store keeps its log compactly (an event id as the two halves of its UUID, an audit
 * entry's MAC and secret HMACs in one array): what is read back is exactly what was appended, for
 * ids of any shape, secrets absent, ASCII or not, and MACs of any length.
 */
class InMemoryLogStorageTest {
  private static final Instant AT = Instant.parse("2026-11-23T08:00:00.000001Z");

  @Test
  void eventsAndAuditEntriesReadBackAsAppended() {
    InMemoryVaultStore store = new InMemoryVaultStore();
    List<EventRow> events = List.of(
        new EventRow(0, "evt_0123456789abcdef0123456789abcdef", "vault.created", "acct", "v1",
            null, AT),
        new EventRow(0, "evt_0123456789ABCDEF0123456789ABCDEF", "vault.created", null, null, null,
            AT),
        new EventRow(0, "evt_not-a-uuid", "key.rotated", null, null, null, AT),
        // One digit that is not lowercase hex, the last of either half: kept as written.
        new EventRow(0, "evt_0123456789abcdeg0123456789abcdef", "key.rotated", null, null, null,
            AT),
        new EventRow(0, "evt_0123456789abcdef0123456789abcde/", "key.rotated", null, null, null,
            AT),
        new EventRow(0, "evt_0000000000000000000000000000000000", "key.rotated", null, null, null,
            AT),
        new EventRow(0, "evt_ffffffffffffffffffffffffffffffff", "vault_credential.created", "a",
            "v", "c", AT));
    List<String> secrets = List.of("access_token=ab12", "name=Zoë ✓", "");
    for (int i = 0; i < 3; i++) {
      String s = secrets.get(i);
      byte[] mac = new byte[i == 1 ? 300 : 32];
      mac[0] = (byte) i;
      store.insertVault(new VaultRow("acct", "vault_" + i, "v" + i, Map.of(), Status.ACTIVE,
          null, AT, AT), List.of(), journal(i == 0 ? events : List.of(),
          new AuditRow(0, AT, "acct", i == 2 ? null : "Zoë", "vault.create", "vault_" + i, null,
              "ok", i == 2 ? null : s, i == 0 ? "detail" : null, null), mac));
    }

    List<EventRow> read = store.readEvents(0, 100);
    assertEquals(events.size(), read.size());
    for (int i = 0; i < events.size(); i++) {
      assertEquals(events.get(i).numbered(i + 1), read.get(i));
    }
    assertEquals(read.subList(2, read.size()), store.readEvents(2, 100));

    List<AuditRow> audit = store.readAudit(0, 100);
    assertEquals(3, audit.size());
    for (int i = 0; i < 3; i++) {
      AuditRow a = audit.get(i);
      assertEquals(i + 1, a.sequence());
      assertEquals(i == 2 ? null : secrets.get(i), a.secrets());
      assertEquals(i == 2 ? null : "Zoë", a.actor());
      assertEquals(i == 0 ? "detail" : null, a.detail());
      assertEquals(AT, a.at());
      byte[] mac = new byte[i == 1 ? 300 : 32];
      mac[0] = (byte) i;
      assertArrayEquals(mac, a.mac());
    }
    assertEquals(List.of(audit.get(2).sequence()),
        store.readAudit(2, 100).stream().map(AuditRow::sequence).toList());
  }

  /**
   * Thousands of entries span several chunks and blocks; a purge drops whole chunks and part of
   * one; a record longer than a block is kept whole; what is read back is still what was appended.
   */
  @Test
  void manyEntriesAcrossChunksAndAPurge() {
    InMemoryVaultStore store = new InMemoryVaultStore();
    int n = 2_600;
    Instant base = Instant.parse("2026-11-23T08:00:00Z");
    List<EventRow> events = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant at = base.plusSeconds(i);
      EventRow e = new EventRow(0, String.format("evt_%032x", i * 7919L), "vault.updated",
          "acct", "vault_" + i, i % 3 == 0 ? null : "c" + i, at);
      String secrets = i == 1_500 ? "x".repeat(40_000) : i % 2 == 0 ? "token=" + i : null;
      byte[] mac = new byte[32];
      java.util.Arrays.fill(mac, (byte) i);
      store.append(journal(List.of(e), new AuditRow(0, at, "acct", null, "vault.update",
          "vault_" + i, null, "ok", secrets, null, null), mac));
      events.add(e.numbered(i + 1));
    }
    assertEquals(events, store.readEvents(0, n + 10));
    List<AuditRow> audit = store.readAudit(0, n + 10);
    assertEquals(n, audit.size());
    for (int i = 0; i < n; i++) {
      AuditRow a = audit.get(i);
      assertEquals(i + 1, a.sequence());
      assertEquals("vault_" + i, a.vaultId());
      assertEquals(i == 1_500 ? "x".repeat(40_000) : i % 2 == 0 ? "token=" + i : null,
          a.secrets());
      byte[] mac = new byte[32];
      java.util.Arrays.fill(mac, (byte) i);
      assertArrayEquals(mac, a.mac());
    }

    // Events before base + 2,100 s are older than the cut: 2,100 go, across two whole chunks.
    assertEquals(2_100, store.purgeEvents(base.plusSeconds(2_100)));
    assertEquals(events.subList(2_100, n), store.readEvents(0, n));
    assertEquals(events.subList(2_200, 2_210), store.readEvents(2_200, 10));
    assertEquals(n, store.lastEventSequence());
    assertEquals(n, store.readAudit(0, n + 10).size());
  }

  private static Journal journal(List<EventRow> events, AuditRow audit, byte[] mac) {
    return new Journal() {
      @Override
      public Entries entries(WriteOutcome outcome, List<String> cascaded) {
        return new Entries(events, audit);
      }

      @Override
      public byte[] seal(byte[] previousMac, AuditRow entry) {
        return mac.clone();
      }
    };
  }
}
