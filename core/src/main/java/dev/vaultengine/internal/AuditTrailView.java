package dev.vaultengine.internal;

import dev.vaultengine.AuditEntry;
import dev.vaultengine.AuditTrail;
import dev.vaultengine.AuditVerification;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultException;
import dev.vaultengine.internal.crypto.AuditKey;
import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The audit trail as callers read and check it; see {@link AuditTrail}. */
final class AuditTrailView implements AuditTrail {
  private static final int PAGE = 1_000;

  private final GuardedStore store;
  private final Journals journals;

  AuditTrailView(GuardedStore store, Journals journals) {
    this.store = store;
    this.journals = journals;
  }

  private AuditKey key() {
    AuditKey key = journals.auditKey();
    if (key == null) {
      throw VaultException.api("The audit key is not open.", null);
    }
    return key;
  }

  @Override
  public List<AuditEntry> list(long afterSequence, int limit) {
    if (afterSequence < 0) {
      throw VaultException.invalidRequest("Field 'after' must be 0 or more.", "after");
    }
    if (limit < 1 || limit > PAGE) {
      throw VaultException.invalidRequest("Field 'limit' must be between 1 and 1000.", "limit");
    }
    return store.readAudit(afterSequence, limit).stream().map(AuditTrailView::toEntry).toList();
  }

  @Override
  public AuditVerification verify() {
    AuditKey key = key();
    // The head first, then the entries up to it: entries appended meanwhile by writers are left
    // for the next verification instead of looking like a head that was rolled back.
    AuditHead head = store.auditHead();
    byte[] previous = new byte[0];
    long expected = 1;
    long read = 0;
    walk:
    while (expected <= head.sequence()) {
      List<AuditRow> page = store.readAudit(expected - 1, PAGE);
      for (AuditRow row : page) {
        if (row.sequence() > head.sequence()) {
          break walk;
        }
        read++;
        if (row.sequence() != expected) {
          return broken(read, expected, "entry " + expected + " is missing (the next entry is "
              + row.sequence() + ")", head);
        }
        if (!key.verify(previous, row)) {
          return broken(read, expected, "entry " + expected + " does not match its MAC: it was "
              + "altered, inserted, or moved from another place in the trail", head);
        }
        previous = row.mac();
        expected++;
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    long last = expected - 1;
    if (head.sequence() > last) {
      return broken(read, last + 1, "entries " + (last + 1) + " to " + head.sequence()
          + " are missing: the trail was cut off after entry " + last, head);
    }
    if (!Arrays.equals(head.mac(), previous)) {
      return broken(read, last, "the stored head does not match entry " + last + ": the head "
          + "was altered or rolled back", head);
    }
    List<AuditRow> beyond = store.readAudit(head.sequence(), 1);
    if (!beyond.isEmpty() && store.auditHead().sequence() == head.sequence()) {
      // Entries after a head that did not move: not a concurrent append. The first of them
      // tells which tampering it was: one that chains to the head's entry was sealed by the
      // engine (the head was moved back), one that does not was put there by someone else.
      AuditRow next = beyond.get(0);
      if (next.sequence() == head.sequence() + 1 && key.verify(previous, next)) {
        return broken(read, next.sequence(), "the stored head names entry " + head.sequence()
            + " but entry " + next.sequence() + " follows it and chains to it: the head was "
            + "rolled back", head);
      }
      return broken(read, next.sequence(), "entry " + next.sequence() + " follows the stored "
          + "head (entry " + head.sequence() + ") and does not chain to it: it was inserted",
          head);
    }
    return new AuditVerification(true, read, OptionalLong.empty(), Optional.empty(),
        head.sequence(), hex(head.mac()));
  }

  @Override
  public AuditVerification verify(long anchorSequence, String anchorMac) {
    if (anchorSequence < 1) {
      throw VaultException.invalidRequest("Field 'anchor_sequence' must be 1 or more.",
          "anchor_sequence");
    }
    if (anchorMac == null || !anchorMac.matches("[0-9a-f]{64}")) {
      throw VaultException.invalidRequest("Field 'anchor_mac' must be 64 lowercase hex digits.",
          "anchor_mac");
    }
    AuditVerification chain = verify();
    if (!chain.intact()) {
      return chain;
    }
    List<AuditRow> at = store.readAudit(anchorSequence - 1, 1);
    if (at.isEmpty() || at.get(0).sequence() != anchorSequence) {
      return broken(chain.entries(), chain.headSequence() + 1, "the anchor names entry "
          + anchorSequence + " but the trail ends at entry " + chain.headSequence()
          + ": entries were cut off and the head rolled back",
          new AuditHead(chain.headSequence(), HexFormat.of().parseHex(chain.headMac())));
    }
    if (!hex(at.get(0).mac()).equals(anchorMac)) {
      return broken(chain.entries(), anchorSequence, "entry " + anchorSequence + " is not the "
          + "anchored one: the trail from there on was replaced",
          new AuditHead(chain.headSequence(), HexFormat.of().parseHex(chain.headMac())));
    }
    return chain;
  }

  private static AuditVerification broken(long read, long at, String problem, AuditHead head) {
    return new AuditVerification(false, read, OptionalLong.of(at), Optional.of(problem),
        head.sequence(), hex(head.mac()));
  }

  @Override
  public String hash(Secret secret) {
    if (secret == null || secret.isNull()) {
      throw VaultException.invalidRequest("Field 'secret' is required.", "secret");
    }
    if (secret.isDestroyed()) {
      // Reading it would throw Secret's IllegalStateException at the caller.
      throw VaultException.invalidRequest(
          "Field 'secret' was destroyed before it could be hashed.", "secret");
    }
    return key().hash(secret);
  }

  @Override
  public List<AuditEntry> find(Secret secret) {
    String hash = hash(secret);
    List<AuditEntry> found = new ArrayList<>();
    long after = 0;
    while (true) {
      List<AuditRow> page = store.readAudit(after, PAGE);
      for (AuditRow row : page) {
        after = row.sequence();
        if (row.secrets() != null && row.secrets().contains("=" + hash)) {
          found.add(toEntry(row));
        }
      }
      if (page.size() < PAGE) {
        return found;
      }
    }
  }

  @Override
  public long failures() {
    return journals.auditFailures();
  }

  static AuditEntry toEntry(AuditRow row) {
    Map<String, String> hashes = new LinkedHashMap<>();
    if (row.secrets() != null) {
      for (String pair : row.secrets().split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          hashes.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return new AuditEntry(row.sequence(), row.at(), Optional.ofNullable(row.accountId()),
        Optional.ofNullable(row.actor()), row.operation(), Optional.ofNullable(row.vaultId()),
        Optional.ofNullable(row.credentialId()), row.outcome(), hashes,
        Optional.ofNullable(row.detail()), hex(row.mac()));
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? "" : HexFormat.of().formatHex(bytes);
  }

  @Override
  public String toString() {
    return "AuditTrail";
  }
}
