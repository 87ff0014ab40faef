package dev.vaultengine.jdbc;

import static java.util.Objects.requireNonNull;

import dev.vaultengine.AuditMode;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Networking;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultSession;
import dev.vaultengine.internal.crypto.AuditKey;
import dev.vaultengine.internal.crypto.DataKeys;
import dev.vaultengine.jdbc.internal.CopyLog;
import dev.vaultengine.jdbc.internal.CopyRows;
import dev.vaultengine.jdbc.internal.CopyRows.Row;
import dev.vaultengine.jdbc.internal.CopyRows.Table;
import dev.vaultengine.jdbc.internal.KindJson;
import dev.vaultengine.jdbc.internal.Sql;
import dev.vaultengine.spi.AuditHead;
import dev.vaultengine.spi.AuditRow;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.EventRow;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.VaultStore;
import dev.vaultengine.spi.WriteOutcome;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.JdbiException;

/**
 * Copies everything one {@link JdbcVaultStore} holds into another, on any two of the supported
 * databases (SQLite, H2, PostgreSQL, MariaDB; table prefixes may differ): every account's vaults
 * and credentials with their ids, times and status, and the wrapped data keyset, so the target
 * opens with the same key-encryption key; and the log: the wrapped audit key, the audit entries
 * with their chain MACs and the chain's head, the events with their sequences and the durable
 * subscribers' positions, all as stored, so the trail verifies on the target and subscribers
 * resume where they were. Rows are copied as stored: tokens stay ciphertext and
 * are never decrypted by the copy itself.
 *
 * <p>Rows go in id order, vaults before credentials, in batches of {@value #BATCH_SIZE}; each
 * batch is one transaction on the target that skips the rows the target already has. So a copy
 * can be run again at any time: a finished copy writes nothing, and a copy that was killed resumes
 * where its last committed batch ended. A row the target has in an older state than the source
 * (the source changed it after an earlier copy: archived, updated, rotated) is brought up to date;
 * a row changed on the target since is never overwritten ({@code conflict_error}). Rows deleted
 * from the source after an earlier copy are not deleted from the target: the verification then
 * reports the difference. A data keyset rotated on the source after an earlier copy replaces the
 * target's when the target's is an earlier state of it (checked with the key-encryption key), and
 * the re-encrypted tokens follow.
 *
 * <p>Before the first write, a read-only pass looks for what would stop the copy part way: a row
 * changed on the target, or a log the target went on with on its own while the source's went on
 * too (the two audit chains cannot be merged). Either is refused then, with nothing written.
 *
 * <p>The copy ends with a verification: per account, the numbers of vaults, credentials and
 * stored secrets of each field (tokens, refresh tokens, client secrets) are equal on both sides,
 * and, when the key-encryption key is given, every active credential's primary secret reads the
 * same through a session on both sides: an MCP credential resolves to itself and the same token,
 * an {@code environment_variable} substitutes the same value into a probe request to a host it
 * allows (nothing is sent; the two values are compared in memory, in constant time, and never
 * printed). The refresh token and client secret share the primary secret's data key and are
 * copied byte for byte, so their counts are what the verification checks of them.
 *
 * <p>Copy from a source nothing else writes to meanwhile; what the source gains during a copy is
 * picked up by running it again.
 */
public final class StoreCopy {
  /** Rows per batch, and so per target transaction. */
  public static final int BATCH_SIZE = 500;

  /** Sessions kept open per side during the token check (one per vault). */
  private static final int SESSIONS_KEPT = 1_000;

  private StoreCopy() {}

  /**
   * Told after each batch: the phase ({@code vaults}, {@code credentials}, {@code events},
   * {@code audit} or {@code tokens}).
   */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param phase {@code vaults}, {@code credentials}, {@code events}, {@code audit} (rows
     *     copied or found present) or {@code tokens} (credentials checked)
     * @param done rows done so far in this phase
     * @param total rows the phase expects (the source's count when the phase began)
     */
    void update(String phase, long done, long total);
  }

  /**
   * Copies {@code from} into {@code to} and verifies the counts, without checking the tokens
   * ({@link CopyReport#tokensVerified()} is -1). Prefer {@link #copy(JdbcVaultStore,
   * JdbcVaultStore, KeyEncryptionKey)}, which also checks that every token resolves on the target.
   */
  public static CopyReport copy(JdbcVaultStore from, JdbcVaultStore to) {
    return copy(from, to, null, (phase, done, total) -> { }, BATCH_SIZE);
  }

  /**
   * Copies {@code from} into {@code to}, then verifies the counts and that every active credential
   * resolves on the target to its token on the source.
   *
   * @param kek the key-encryption key of the source's data keyset; it is checked before anything
   *     is written (a wrong key fails with the engine's {@code api_error} and changes nothing)
   * @throws VaultException.InvalidRequest when the target holds a data keyset that is not an
   *     earlier state of the source's (nothing is changed), or both are the same store
   * @throws VaultException.Conflict when a row was changed on the target after an earlier copy,
   *     or the target's log went on without the source's while the source's went on too (both
   *     found before anything is written)
   * @throws VaultException.Api when a batch cannot be written (earlier batches stay; run the copy
   *     again to resume) or the verification finds a difference
   */
  public static CopyReport copy(JdbcVaultStore from, JdbcVaultStore to, KeyEncryptionKey kek) {
    return copy(from, to, requireNonNull(kek, "kek"), (phase, done, total) -> { }, BATCH_SIZE);
  }

  /** As {@link #copy(JdbcVaultStore, JdbcVaultStore, KeyEncryptionKey)}, reporting progress. */
  public static CopyReport copy(JdbcVaultStore from, JdbcVaultStore to, KeyEncryptionKey kek,
      Progress progress) {
    return copy(from, to, requireNonNull(kek, "kek"), requireNonNull(progress, "progress"),
        BATCH_SIZE);
  }

  /** The copy with a batch size of choice, {@code kek} null to leave the tokens unchecked. */
  static CopyReport copy(JdbcVaultStore from, JdbcVaultStore to, KeyEncryptionKey kek,
      Progress progress, int batchSize) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (from == to) {
      throw VaultException.invalidRequest(
          "The source and the target of a copy must be different stores.", "to");
    }
    byte[] keyset = from.loadKeyset().orElse(null);
    byte[] targetKeyset = to.loadKeyset().orElse(null);
    if (keyset == null && tokens(from) > 0) {
      throw VaultException.api("The source holds encrypted tokens but no data keyset; "
          + "it cannot be copied.", null);
    }
    if (keyset != null && targetKeyset == null && tokens(to) > 0) {
      throw VaultException.invalidRequest("The target holds encrypted tokens but no data "
          + "keyset: they were not made with the source's keys. Nothing was copied.", "to");
    }
    // Another keyset on the target may be an earlier state of the source's (keys rotated on the
    // source since the last copy): only the KEK can tell, by comparing the keys themselves.
    boolean keysetChanged =
        keyset != null && targetKeyset != null && !Arrays.equals(keyset, targetKeyset);
    if (keysetChanged && kek == null) {
      throw VaultException.invalidRequest("The target holds another data keyset than the "
          + "source: the source's keys were rotated since the last copy, or the target belongs "
          + "to another vault. Without the KEK the copy cannot tell which; give it (the copy "
          + "then brings a rotated keyset over). Nothing was changed.", "to");
    }
    // Open the source's keys before writing anything: a wrong KEK fails here, changing nothing.
    VaultEngine sourceEngine = kek != null && keyset != null ? engine(from, kek) : null;
    try {
      if (keysetChanged && !earlierState(targetKeyset, keyset, kek)) {
        throw otherKeyset(to);
      }
      // Re-encryption moves tokens to the primary key without changing updated_at; knowing the
      // primary tells such a row from one the target changed.
      Integer primary = kek != null && keyset != null ? DataKeys.primaryKeyId(keyset, kek) : null;
      // Read after the source engine opened, which stores an audit key if the source had none.
      byte[] auditKey = from.loadAuditKey().orElse(null);
      byte[] targetAuditKey = to.loadAuditKey().orElse(null);
      boolean auditKeyRewrapped = auditKey != null && targetAuditKey != null
          && !Arrays.equals(auditKey, targetAuditKey);
      // Disabling retired keys wraps the same audit key again: then the bytes differ, the key not.
      if (auditKeyRewrapped && (kek == null || keyset == null
          || !AuditKey.sameKey(auditKey, targetAuditKey, keyset, kek))) {
        throw VaultException.invalidRequest("The target already holds a different audit key: an "
            + "engine opened it before the copy, so the copied audit trail would not verify "
            + "there; copy into an empty target. Nothing was changed.", "to");
      }
      // Everything that would stop the copy part way is looked for before the first write, so a
      // refused copy leaves the target as it was.
      checkTarget(from, to, primary, batchSize);
      boolean keysetCopied = false;
      if (keyset != null && targetKeyset == null) {
        keysetCopied = to.replaceKeyset(null, keyset, Journal.NONE);
        if (!keysetCopied && !Arrays.equals(keyset, to.loadKeyset().orElse(null))) {
          throw otherKeyset(to); // another writer stored its own keyset meanwhile
        }
      } else if (keysetChanged) {
        // Before the rows: the new keyset decrypts the target's tokens and the re-encrypted ones.
        keysetCopied = to.replaceKeyset(targetKeyset, keyset, Journal.NONE);
        if (!keysetCopied && !Arrays.equals(keyset, to.loadKeyset().orElse(null))) {
          throw VaultException.conflict("The target's data keyset changed during the copy (an "
              + "engine rotated its keys); nothing was written. Run the copy again.", null);
        }
      }
      // The audit key right after the keyset: an engine opened on the target in between would
      // store a key of its own, under which the copied trail does not verify.
      if (auditKey != null && targetAuditKey == null && !to.replaceAuditKey(null, auditKey)
          && !Arrays.equals(auditKey, to.loadAuditKey().orElse(null))) {
        throw VaultException.invalidRequest("An engine stored another audit key on the target "
            + "during the copy; copy into an empty target.", "to");
      }
      if (auditKeyRewrapped) {
        to.replaceAuditKey(targetAuditKey, auditKey); // the same key; a lost race changes nothing
      }
      CopyReport.Counts vaults = new CopyReport.Counts(0, 0, 0);
      long vaultTotal = from.writes().read(h -> CopyRows.count(h, Table.VAULTS));
      String after = "";
      for (List<Row> rows : pages(from, Table.VAULTS, batchSize)) {
        vaults = vaults.plus(write(from, to, Table.VAULTS, rows, after, primary).rows());
        after = rows.get(rows.size() - 1).id();
        progress.update("vaults", vaults.total(), Math.max(vaultTotal, vaults.total()));
      }
      CopyReport.Counts credentials = new CopyReport.Counts(0, 0, 0);
      long credentialTotal = from.writes().read(h -> CopyRows.count(h, Table.CREDENTIALS));
      after = "";
      for (List<Row> rows : pages(from, Table.CREDENTIALS, batchSize)) {
        Batch batch = write(from, to, Table.CREDENTIALS, rows, after, primary);
        credentials = credentials.plus(batch.rows());
        vaults = vaults.plus(new CopyReport.Counts(batch.vaultsAdded(), 0, 0));
        after = rows.get(rows.size() - 1).id();
        progress.update("credentials", credentials.total(),
            Math.max(credentialTotal, credentials.total()));
      }
      CopyReport.Counts[] log = copyLog(from, to, progress, batchSize);
      long accounts = verifyCounts(from, to);
      long tokens = sourceEngine == null ? (kek == null ? -1 : 0)
          : verifyTokens(from, to, sourceEngine, kek, progress, batchSize);
      return new CopyReport(keysetCopied, vaults, credentials, accounts, tokens, log[0], log[1]);
    } finally {
      if (sourceEngine != null) {
        sourceEngine.close();
      }
    }
  }

  /**
   * Copies the log as stored: events and audit entries with their sequences, times and MACs, up
   * to the source's head as read first (what the source appends meanwhile waits for the next
   * run), then the head itself and the durable subscribers' positions. Each batch is one target
   * transaction that skips what the target already has, so a rerun writes nothing and an
   * interrupted copy resumes. A target that continued the copied log (an engine used it) keeps
   * its further entries and head; an entry the target holds differently (the two logs went
   * separate ways) is a {@code conflict_error}, as a target's own change of a record is.
   *
   * @return {events, audit entries}: copied and already present
   */
  private static CopyReport.Counts[] copyLog(JdbcVaultStore from, JdbcVaultStore to,
      Progress progress, int batchSize) {
    long lastEvent = from.lastEventSequence();
    AuditHead head = from.auditHead();
    CopyReport.Counts events = new CopyReport.Counts(0, 0, 0);
    long after = 0;
    while (after < lastEvent) {
      List<EventRow> rows = from.readEvents(after, batchSize).stream()
          .filter(e -> e.sequence() <= lastEvent).toList();
      if (rows.isEmpty()) {
        break;
      }
      long first = rows.get(0).sequence();
      long last = rows.get(rows.size() - 1).sequence();
      events = events.plus(logBatch(to, "events", first, h -> {
        Map<Long, EventRow> present = CopyLog.events(h, first, last);
        List<EventRow> missing = new ArrayList<>();
        for (EventRow e : rows) {
          EventRow old = present.get(e.sequence());
          if (old == null) {
            missing.add(e);
          } else if (!old.equals(e)) {
            throw logConflict("event", e.sequence());
          }
        }
        CopyLog.insertEvents(h, missing);
        return new CopyReport.Counts(missing.size(), 0, rows.size() - missing.size());
      }));
      after = last;
      progress.update("events", events.total(), Math.max(lastEvent, events.total()));
    }
    CopyReport.Counts audit = new CopyReport.Counts(0, 0, 0);
    after = 0;
    while (after < head.sequence()) {
      List<AuditRow> rows = from.readAudit(after, batchSize).stream()
          .filter(a -> a.sequence() <= head.sequence()).toList();
      if (rows.isEmpty()) {
        break;
      }
      long first = rows.get(0).sequence();
      long last = rows.get(rows.size() - 1).sequence();
      audit = audit.plus(logBatch(to, "audit entries", first, h -> {
        Map<Long, AuditRow> present = CopyLog.audit(h, first, last);
        List<AuditRow> missing = new ArrayList<>();
        for (AuditRow a : rows) {
          AuditRow old = present.get(a.sequence());
          if (old == null) {
            missing.add(a);
          } else if (!CopyLog.same(old, a)) {
            throw logConflict("audit entry", a.sequence());
          }
        }
        CopyLog.insertAudit(h, missing);
        return new CopyReport.Counts(missing.size(), 0, rows.size() - missing.size());
      }));
      after = last;
      progress.update("audit", audit.total(), Math.max(head.sequence(), audit.total()));
    }
    List<CopyLog.Subscriber> subscribers = from.writes().read(CopyLog::subscribers);
    logBatch(to, "the log head", 0, h -> {
      // Every source entry up to the source's head is on the target by now, identical. A target
      // whose head is further (an engine used it after an earlier copy and continued the log
      // from the copied head) keeps its own head, as records created on the target stay.
      CopyLog.Head target = CopyLog.lockHead(h);
      long eventHead = Math.max(target.events(), lastEvent);
      AuditHead auditHead = target.audit() > head.sequence()
          ? new AuditHead(target.audit(), target.mac()) : head;
      CopyLog.setHead(h, eventHead, auditHead);
      for (CopyLog.Subscriber s : subscribers) {
        CopyLog.saveSubscriber(h, s);
      }
      return null;
    });
    return new CopyReport.Counts[] {events, audit};
  }

  private static VaultException logConflict(String what, long sequence) {
    // checkTarget compared the logs before the first write: the target was written to since.
    return VaultException.conflict("The target's " + what + " " + sequence + " differs from the "
        + "source's: an engine wrote to the target during the copy; the copy never overwrites "
        + "it. This batch was not written; the records and earlier batches were. Stop what "
        + "writes to the target; it now holds a log of its own (see the next run's message).",
        null);
  }

  /**
   * Looks, before anything is written, for what would stop the copy part way: a log the target
   * continued on its own while the source's went on (the two audit chains diverged), and a record
   * the target holds in a state the source never had. Read-only on both sides.
   *
   * @throws VaultException.Conflict naming the first such entry or record; nothing was written
   */
  private static void checkTarget(JdbcVaultStore from, JdbcVaultStore to, Integer primary,
      int batchSize) {
    checkLog(from, to);
    for (Table table : List.of(Table.VAULTS, Table.CREDENTIALS)) {
      for (List<Row> rows : pages(from, table, batchSize)) {
        List<String> ids = rows.stream().map(Row::id).toList();
        Map<String, Row> present = to.writes().read(h -> CopyRows.byIds(h, table, ids));
        for (Row row : rows) {
          Row old = present.get(row.id());
          if (old != null && !old.sameAs(row) && !sourceIsLater(table, old, row, primary)) {
            throw changedOnTarget(table, row.id(), "Nothing was written.");
          }
        }
      }
    }
  }

  /**
   * The target's log must be the source's up to where either ends. Audit entries are chained (each
   * MAC covers the one before), so entry n alike on both sides means entries 1 to n are alike;
   * a binary search then finds the first that differs. Events are not chained: the last the
   * target holds is compared, which is the target's own event when it wrote any after the copy.
   */
  private static void checkLog(JdbcVaultStore from, JdbcVaultStore to) {
    long sourceAudit = from.writes().read(CopyLog::lastAudit);
    long targetAudit = to.writes().read(CopyLog::lastAudit);
    long common = Math.min(sourceAudit, targetAudit);
    if (common > 0 && !sameAudit(from, to, common)) {
      long same = 0; // entries up to here are alike; entry `differs` is not
      long differs = common;
      while (differs - same > 1) {
        long mid = same + (differs - same) / 2;
        if (sameAudit(from, to, mid)) {
          same = mid;
        } else {
          differs = mid;
        }
      }
      throw usedOnItsOwn("its audit trail differs from the source's from entry " + differs
          + " on (the target holds " + targetAudit + " entries, the source " + sourceAudit
          + ")");
    }
    long sourceEvents = from.writes().read(CopyLog::lastEvent);
    long targetEvents = to.writes().read(CopyLog::lastEvent);
    long last = Math.min(sourceEvents, targetEvents);
    if (last > 0) {
      Optional<EventRow> source = event(from.readEvents(last - 1, 1), last);
      Optional<EventRow> target = event(to.readEvents(last - 1, 1), last);
      // An event purged on one side only cannot be compared; the copy's batches still are.
      if (source.isPresent() && target.isPresent() && !source.get().equals(target.get())) {
        throw usedOnItsOwn("its event " + last + " is not the source's");
      }
    }
  }

  private static Optional<EventRow> event(List<EventRow> rows, long sequence) {
    return rows.stream().filter(e -> e.sequence() == sequence).findFirst();
  }

  /** Whether audit entry {@code sequence} is on both sides and alike, MAC included. */
  private static boolean sameAudit(JdbcVaultStore from, JdbcVaultStore to, long sequence) {
    AuditRow source = from.readAudit(sequence - 1, 1).stream()
        .filter(a -> a.sequence() == sequence).findFirst().orElse(null);
    AuditRow target = to.writes().read(h -> CopyLog.audit(h, sequence, sequence)).get(sequence);
    return source != null && target != null && CopyLog.same(source, target);
  }

  private static VaultException usedOnItsOwn(String how) {
    return VaultException.conflict("The target was used on its own after the last copy while "
        + "the source changed too: " + how + ". Both trails are chains that cannot be merged "
        + "without breaking one, so the copy cannot bring the source's later changes over. "
        + "Nothing was written. Copy into an empty target instead (other tables with "
        + "--to-table-prefix, or another database or directory), or keep using this target on "
        + "its own.", null);
  }

  private static VaultException changedOnTarget(Table table, String id, String written) {
    return VaultException.conflict((table == Table.VAULTS ? "Vault '" : "Credential '") + id
        + "' was changed on the target after it was copied there; the copy never overwrites a "
        + "change made on the target. " + written, null);
  }

  /**
   * Whether the source's {@code row} is a later state of the target's {@code old}: changed on the
   * source after an earlier copy. A change moves {@code updated_at} on; re-encryption does not
   * (it only moves a credential's secrets to the primary key), so a row whose only difference is
   * its secrets, on the source's primary key where the target's are on another, is later too.
   */
  private static boolean sourceIsLater(Table table, Row old, Row row, Integer primary) {
    int updatedAt = table.column("updated_at");
    if (row.bigint(updatedAt) > old.bigint(updatedAt)) {
      return true;
    }
    if (table != Table.CREDENTIALS || primary == null) {
      return false;
    }
    int keyId = table.column("token_key_id");
    if (!primary.equals(row.get(keyId)) || primary.equals(old.get(keyId))) {
      return false;
    }
    Set<Integer> secrets = Set.of(keyId, table.column("token"), table.column("refresh_token"),
        table.column("client_secret"));
    for (int i = 0; i < table.width(); i++) {
      if (!secrets.contains(i) && !java.util.Objects.deepEquals(old.get(i), row.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether the target's keyset is an earlier state of the source's (false if no KEK opens it). */
  private static boolean earlierState(byte[] targetKeyset, byte[] keyset, KeyEncryptionKey kek) {
    try {
      return DataKeys.isEarlierState(targetKeyset, keyset, kek);
    } catch (VaultException e) {
      return false; // the target's keyset is wrapped under another KEK: another vault's
    }
  }

  /** One target transaction of the log copy; a failure is reported as the record batches are. */
  private static <T> T logBatch(JdbcVaultStore to, String what, long from,
      org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
    try {
      return to.writes().embeddedWrite(() -> to.writes().tx(work));
    } catch (JdbiException e) {
      SQLException sql = Sql.cause(e);
      String why = sql == null ? e.getClass().getSimpleName() : "SQLState " + sql.getSQLState();
      throw VaultException.api("Copying " + what + " failed in the batch from sequence " + from
          + " (" + why + "). That batch was not written, earlier ones were: fix the cause and run "
          + "the copy again to resume.", null);
    }
  }

  private static VaultException otherKeyset(JdbcVaultStore to) {
    boolean empty = to.writes().read(h -> CopyRows.count(h, Table.VAULTS)) == 0;
    return VaultException.invalidRequest("The target already holds a different data keyset: "
        + (empty ? "it has no vaults, so an engine probably opened it before the copy and "
            + "created its own keyset; drop the target's tables (or choose other ones) and copy "
            + "again."
            : "it is not an earlier state of the source's (keys rotated since the last copy "
            + "would be brought over): it belongs to another vault, or its keys were rotated on "
            + "the target; copy into an empty target.") + " Nothing was changed.", "to");
  }

  private static long tokens(JdbcVaultStore store) {
    return store.writes().read(h -> CopyRows.countsByAccount(h, Table.CREDENTIALS)).values()
        .stream().mapToLong(c -> c.get(1)).sum();
  }

  /** One batch written: its rows, and the vaults it had to add first. */
  private record Batch(CopyReport.Counts rows, long vaultsAdded) {}

  /**
   * Writes one batch in one target transaction: rows the target lacks are inserted, rows it holds
   * in an older state are updated, identical rows are skipped. For credentials, a vault the
   * target lacks (created on the source after the vault phase) is copied first, and a credential
   * whose vault is gone from the source too (deleted meanwhile) is left out.
   */
  private static Batch write(JdbcVaultStore from, JdbcVaultStore to, Table table, List<Row> rows,
      String after, Integer primary) {
    try {
      return to.writes().embeddedWrite(() -> to.writes().tx(h -> {
        List<Row> batch = rows;
        long vaultsAdded = 0;
        if (table == Table.CREDENTIALS) {
          int vaultColumn = table.column("vault_id");
          Set<String> vaultIds = new LinkedHashSet<>();
          rows.forEach(r -> vaultIds.add(r.text(vaultColumn)));
          vaultIds.removeAll(CopyRows.byIds(h, Table.VAULTS, vaultIds).keySet());
          if (!vaultIds.isEmpty()) {
            Map<String, Row> missing =
                from.writes().read(s -> CopyRows.byIds(s, Table.VAULTS, vaultIds));
            List<Row> added = new ArrayList<>(new java.util.TreeMap<>(missing).values());
            CopyRows.insert(h, Table.VAULTS, added);
            vaultsAdded = added.size();
            batch = rows.stream().filter(r -> missing.containsKey(r.text(vaultColumn))
                || !vaultIds.contains(r.text(vaultColumn))).toList();
          }
        }
        Map<String, Row> present =
            CopyRows.byIds(h, table, batch.stream().map(Row::id).toList());
        List<Row> inserts = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        long same = 0;
        for (Row row : batch) {
          Row old = present.get(row.id());
          if (old == null) {
            inserts.add(row);
          } else if (old.sameAs(row)) {
            same++;
          } else if (sourceIsLater(table, old, row, primary)) {
            updates.add(row);
          } else {
            // checkTarget found no such row before the first write: the target changed since.
            throw changedOnTarget(table, row.id(), "This batch was not written; earlier ones "
                + "were (the target was written to during the copy).");
          }
        }
        // Updates first: one may archive a credential and so free the URL an insert takes.
        CopyRows.update(h, table, updates);
        CopyRows.insert(h, table, inserts);
        return new Batch(new CopyReport.Counts(inserts.size(), updates.size(), same),
            vaultsAdded);
      }));
    } catch (JdbiException e) {
      SQLException sql = Sql.cause(e);
      String why = sql == null ? e.getClass().getSimpleName()
          : "SQLState " + sql.getSQLState() + ": " + firstLine(sql.getMessage());
      throw VaultException.api("Copying " + (table == Table.VAULTS ? "vaults" : "credentials")
          + " failed in the batch after id '" + after + "' (" + why + "). That batch was not "
          + "written, earlier ones were: fix the cause and run the copy again to resume.", null);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** Per account, vaults, credentials and stored secrets must be as many on both sides. */
  private static long verifyCounts(JdbcVaultStore from, JdbcVaultStore to) {
    Map<String, List<Long>> sourceVaults =
        from.writes().read(h -> CopyRows.countsByAccount(h, Table.VAULTS));
    Map<String, List<Long>> sourceCredentials =
        from.writes().read(h -> CopyRows.countsByAccount(h, Table.CREDENTIALS));
    Map<String, List<Long>> targetVaults =
        to.writes().read(h -> CopyRows.countsByAccount(h, Table.VAULTS));
    Map<String, List<Long>> targetCredentials =
        to.writes().read(h -> CopyRows.countsByAccount(h, Table.CREDENTIALS));
    Set<String> accounts = new TreeSet<>(sourceVaults.keySet());
    accounts.addAll(sourceCredentials.keySet());
    accounts.addAll(targetVaults.keySet());
    accounts.addAll(targetCredentials.keySet());
    List<String> differences = new ArrayList<>();
    for (String account : accounts) {
      List<Long> none = List.of(0L, 0L, 0L, 0L);
      List<Long> sourceCounts = sourceCredentials.getOrDefault(account, none);
      List<Long> targetCounts = targetCredentials.getOrDefault(account, none);
      long[] source = {sourceVaults.getOrDefault(account, none).get(0), sourceCounts.get(0),
          sourceCounts.get(1), sourceCounts.get(2), sourceCounts.get(3)};
      long[] target = {targetVaults.getOrDefault(account, none).get(0), targetCounts.get(0),
          targetCounts.get(1), targetCounts.get(2), targetCounts.get(3)};
      String[] what = {"vaults", "credentials", "stored tokens", "stored refresh tokens",
          "stored client secrets"};
      for (int i = 0; i < what.length; i++) {
        if (source[i] != target[i]) {
          differences.add("account '" + account + "' has " + source[i] + " " + what[i]
              + " in the source and " + target[i] + " in the target");
        }
      }
    }
    if (!differences.isEmpty()) {
      throw VaultException.api("The copy did not verify: " + String.join("; ",
          differences.subList(0, Math.min(5, differences.size())))
          + (differences.size() > 5 ? "; and " + (differences.size() - 5) + " more" : "")
          + ". More on the target means records the source does not have (created on the target, "
          + "or deleted from the source, after an earlier copy: a copy never deletes); less means "
          + "the source changed during the copy: run it again.", null);
    }
    return accounts.size();
  }

  /**
   * Every active credential of the source reads, in a session over its vault, the same primary
   * secret on both sides: an MCP credential resolves to itself and the same token, an
   * environment variable substitutes the same value (see {@link #substituted}).
   */
  private static long verifyTokens(JdbcVaultStore from, JdbcVaultStore to,
      VaultEngine sourceEngine, KeyEncryptionKey kek, Progress progress, int batchSize) {
    Table t = Table.CREDENTIALS;
    int account = t.column("account_id");
    int vault = t.column("vault_id");
    int url = t.column("mcp_server_url");
    int type = t.column("type");
    int details = t.column("details");
    int status = t.column("status");
    int token = t.column("token");
    long total = from.writes().read(h -> CopyRows.countsByAccount(h, t)).values().stream()
        .mapToLong(c -> c.get(1)).sum();
    Map<String, VaultSession> sourceSessions = new HashMap<>();
    Map<String, VaultSession> targetSessions = new HashMap<>();
    // A session's environment, asked once per session: it walks the vault's credentials.
    Map<VaultSession, Map<String, String>> environments = new IdentityHashMap<>();
    List<String> failed = new ArrayList<>();
    List<String> brokenAtSource = new ArrayList<>();
    long failures = 0;
    long checked = 0;
    try (VaultEngine targetEngine = engine(to, kek)) {
      for (List<Row> rows : pages(from, t, batchSize)) {
        for (Row row : rows) {
          if (!"active".equals(row.text(status)) || row.get(token) == null) {
            continue;
          }
          checked++;
          if ("environment_variable".equals(row.text(type))) {
            CredentialKind.EnvironmentVariable kind;
            byte[] sourceValue;
            try {
              kind = KindJson.readEnvironment(row.text(details));
              sourceValue = substituted(session(sourceSessions, sourceEngine, row.text(account),
                  row.text(vault)), environments, kind);
            } catch (RuntimeException e) {
              failures++;
              if (brokenAtSource.size() < 3) {
                brokenAtSource.add(row.id());
              }
              continue;
            }
            byte[] targetValue = null;
            try {
              targetValue = substituted(session(targetSessions, targetEngine, row.text(account),
                  row.text(vault)), environments, kind);
            } catch (RuntimeException e) {
              // counted below as a value that did not read the same on the target
            }
            boolean same = sourceValue != null && targetValue != null
                && MessageDigest.isEqual(sourceValue, targetValue);
            wipe(sourceValue);
            wipe(targetValue);
            if (!same) {
              failures++;
              if (failed.size() < 3) {
                failed.add(row.id());
              }
            }
            continue;
          }
          Optional<ResolvedCredential> source;
          try {
            source = session(sourceSessions, sourceEngine, row.text(account), row.text(vault))
                .resolve(row.text(url));
          } catch (VaultException e) {
            failures++;
            if (brokenAtSource.size() < 3) {
              brokenAtSource.add(row.id());
            }
            continue;
          }
          Optional<ResolvedCredential> target = Optional.empty();
          try {
            target = session(targetSessions, targetEngine, row.text(account), row.text(vault))
                .resolve(row.text(url));
          } catch (VaultException e) {
            // counted below as a token that did not resolve on the target
          }
          boolean same = source.isPresent() && target.isPresent()
              && source.get().credentialId().equals(target.get().credentialId())
              && source.get().accessToken().sameAs(target.get().accessToken());
          source.ifPresent(c -> c.accessToken().destroy());
          target.ifPresent(c -> c.accessToken().destroy());
          if (!same) {
            failures++;
            if (failed.size() < 3) {
              failed.add(row.id());
            }
          }
        }
        progress.update("tokens", checked, Math.max(total, checked));
      }
    }
    if (failures > 0) {
      throw VaultException.api("The copy did not verify: " + failures + " of " + checked
          + " active credentials did not resolve to the same token on the target"
          + (failed.isEmpty() ? "" : " (such as " + quoted(failed) + ")")
          + (brokenAtSource.isEmpty() ? "" : "; " + quoted(brokenAtSource)
              + " do not decrypt on the source either")
          + ". The copied rows stay; check the target, then run the copy again.", null);
    }
    return checked;
  }

  /**
   * The source's rows of {@code table} in id order, a page of {@code batchSize} read when the
   * loop reaches it (keyset pagination: a page starts after the last id of the one before).
   */
  private static Iterable<List<Row>> pages(JdbcVaultStore from, Table table, int batchSize) {
    return () -> new java.util.Iterator<>() {
      private String after = "";
      private List<Row> next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          String a = after;
          next = from.writes().read(h -> CopyRows.page(h, table, a, batchSize));
        }
        return !next.isEmpty();
      }

      @Override
      public List<Row> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        List<Row> page = next;
        after = page.get(page.size() - 1).id();
        next = null;
        return page;
      }
    };
  }

  /** The header that carries a placeholder in a probe request. */
  private static final String PROBE_HEADER = "X-Vault-Copy-Check";

  /**
   * What {@code session} substitutes for {@code kind}'s placeholder in a probe request to a host
   * the credential allows, in a header if it allows headers, else in the body: the value's bytes,
   * or null when the placeholder stayed (no such active credential in the session). The request
   * is only built, never sent.
   */
  private static byte[] substituted(VaultSession session,
      Map<VaultSession, Map<String, String>> environments,
      CredentialKind.EnvironmentVariable kind) {
    if (environments.size() >= 2 * SESSIONS_KEPT) {
      environments.clear();
    }
    String placeholder = environments.computeIfAbsent(session, VaultSession::environment)
        .get(kind.secretName());
    if (placeholder == null) {
      return null;
    }
    String host = "copy-check.invalid";
    if (kind.networking() instanceof Networking.Limited l && !l.allowedHosts().isEmpty()) {
      String entry = l.allowedHosts().get(0);
      host = entry.startsWith("*.") ? "copy-check" + entry.substring(1) : entry;
    }
    URI uri = URI.create("https://" + host + "/");
    if (kind.injectionLocation().header()) {
      HttpRequest probe = HttpRequest.newBuilder(uri).header(PROBE_HEADER, placeholder).GET()
          .build();
      String value = session.substitute(probe).headers().firstValue(PROBE_HEADER).orElse(null);
      return value == null || value.equals(placeholder) ? null
          : value.getBytes(StandardCharsets.UTF_8);
    }
    HttpRequest probe = HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofString(placeholder)).build();
    byte[] body = body(session.substitute(probe));
    if (body == null || Arrays.equals(body, placeholder.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    return body;
  }

  /** A substituted request's body, which the session has already read into memory. */
  private static byte[] body(HttpRequest request) {
    if (request.bodyPublisher().isEmpty()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    request.bodyPublisher().get().subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        out.writeBytes(chunk);
        Arrays.fill(chunk, (byte) 0);
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(out.toByteArray());
      }
    });
    try {
      return done.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void wipe(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static String quoted(List<String> ids) {
    return "'" + String.join("', '", ids) + "'";
  }

  private static VaultSession session(Map<String, VaultSession> sessions, VaultEngine engine,
      String account, String vaultId) {
    String key = account + "\n" + vaultId;
    VaultSession s = sessions.get(key);
    if (s == null) {
      if (sessions.size() >= SESSIONS_KEPT) {
        sessions.clear();
      }
      s = engine.forAccount(account).openSession(List.of(vaultId));
      sessions.put(key, s);
    }
    return s;
  }

  /**
   * An engine over {@code store} that leaves the store open when closed and keeps no decrypted
   * token in memory beyond the call that asked for it.
   */
  private static VaultEngine engine(JdbcVaultStore store, KeyEncryptionKey kek) {
    // No events and no audit: the copy's checks are not operations, and a first-disclosure
    // entry on either side would make the two trails differ.
    return VaultEngine.builder().store(new Unclosed(store)).keyEncryptionKey(kek)
        .tokenCacheSize(0).events(false).auditMode(AuditMode.OFF).build();
  }

  /** A store that the engine's close leaves open: the copy's caller owns it. */
  private record Unclosed(VaultStore store) implements VaultStore {
    @Override
    public WriteOutcome insertVault(VaultRow vault, List<CredentialRow> credentials,
        Journal journal) {
      return store.insertVault(vault, credentials, journal);
    }

    @Override
    public Optional<VaultRow> findVault(String accountId, String vaultId) {
      return store.findVault(accountId, vaultId);
    }

    @Override
    public List<VaultRow> listVaults(String accountId, ListQuery query) {
      return store.listVaults(accountId, query);
    }

    @Override
    public WriteOutcome updateVault(VaultRow vault, Instant expectedUpdatedAt, Journal journal) {
      return store.updateVault(vault, expectedUpdatedAt, journal);
    }

    @Override
    public Optional<Instant> tryLeaseRefresh(String accountId, String credentialId, String owner,
        Instant now, Instant until) {
      return store.tryLeaseRefresh(accountId, credentialId, owner, now, until);
    }

    @Override
    public boolean releaseRefreshLease(String accountId, String credentialId, String owner) {
      return store.releaseRefreshLease(accountId, credentialId, owner);
    }

    @Override
    public WriteOutcome archiveVault(String accountId, String vaultId, Instant at,
        Journal journal) {
      return store.archiveVault(accountId, vaultId, at, journal);
    }

    @Override
    public boolean deleteVault(String accountId, String vaultId, Journal journal) {
      return store.deleteVault(accountId, vaultId, journal);
    }

    @Override
    public WriteOutcome insertCredential(CredentialRow credential, Journal journal) {
      return store.insertCredential(credential, journal);
    }

    @Override
    public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
        Journal journal) {
      return store.updateCredential(updated, expectedUpdatedAt, journal);
    }

    @Override
    public Optional<CredentialRow> findCredential(String accountId, String vaultId,
        String credentialId) {
      return store.findCredential(accountId, vaultId, credentialId);
    }

    @Override
    public List<CredentialRow> listCredentials(String accountId, String vaultId,
        ListQuery query) {
      return store.listCredentials(accountId, vaultId, query);
    }

    @Override
    public WriteOutcome archiveCredential(String accountId, String vaultId, String credentialId,
        Instant at, Journal journal) {
      return store.archiveCredential(accountId, vaultId, credentialId, at, journal);
    }

    @Override
    public boolean deleteCredential(String accountId, String vaultId, String credentialId,
        Journal journal) {
      return store.deleteCredential(accountId, vaultId, credentialId, journal);
    }

    @Override
    public WriteOutcome rotateCredential(String accountId, String vaultId, String credentialId,
        Instant at, CredentialRow replacement, Journal journal) {
      return store.rotateCredential(accountId, vaultId, credentialId, at, replacement, journal);
    }

    @Override
    public List<CredentialRow> findActiveCredentials(String accountId, List<String> vaultIds,
        String urlKey) {
      return store.findActiveCredentials(accountId, vaultIds, urlKey);
    }

    @Override
    public Optional<byte[]> loadKeyset() {
      return store.loadKeyset();
    }

    @Override
    public boolean replaceKeyset(byte[] expected, byte[] replacement, Journal journal) {
      return store.replaceKeyset(expected, replacement, journal);
    }

    @Override
    public List<CredentialRow> findTokensOnKey(int keyId, String afterId, int limit) {
      return store.findTokensOnKey(keyId, afterId, limit);
    }

    @Override
    public long countTokensNotOnKey(int keyId) {
      return store.countTokensNotOnKey(keyId);
    }

    @Override
    public boolean replaceSecrets(String accountId, String credentialId, EncryptedToken expected,
        EncryptedSecrets replacement) {
      return store.replaceSecrets(accountId, credentialId, expected, replacement);
    }

    @Override
    public long changeCount() {
      return store.changeCount();
    }

    @Override
    public boolean oneChangeBetween(long before, long after) {
      return store.oneChangeBetween(before, after);
    }

    @Override
    public void append(Journal journal) {
      store.append(journal);
    }

    @Override
    public List<EventRow> readEvents(long afterSequence, int limit) {
      return store.readEvents(afterSequence, limit);
    }

    @Override
    public long lastEventSequence() {
      return store.lastEventSequence();
    }

    @Override
    public OptionalLong subscriberPosition(String name) {
      return store.subscriberPosition(name);
    }

    @Override
    public void saveSubscriberPosition(String name, long position) {
      store.saveSubscriberPosition(name, position);
    }

    @Override
    public boolean deleteSubscriber(String name) {
      return store.deleteSubscriber(name);
    }

    @Override
    public int purgeEvents(Instant before) {
      return store.purgeEvents(before);
    }

    @Override
    public List<AuditRow> readAudit(long afterSequence, int limit) {
      return store.readAudit(afterSequence, limit);
    }

    @Override
    public AuditHead auditHead() {
      return store.auditHead();
    }

    @Override
    public Optional<byte[]> loadAuditKey() {
      return store.loadAuditKey();
    }

    @Override
    public boolean replaceAuditKey(byte[] expected, byte[] replacement) {
      return store.replaceAuditKey(expected, replacement);
    }

    @Override
    public void close() {
      // the caller closes the store
    }
  }
}
