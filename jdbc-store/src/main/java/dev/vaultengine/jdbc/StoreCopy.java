package dev.vaultengine.jdbc;

import static java.util.Objects.requireNonNull;

import dev.vaultengine.CredentialKind;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Networking;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultSession;
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
 * opens with the same key-encryption key. Rows are copied as stored: tokens stay ciphertext and
 * are never decrypted by the copy itself.
 *
 * <p>Rows go in id order, vaults before credentials, in batches of {@value #BATCH_SIZE}; each
 * batch is one transaction on the target that skips the rows the target already has. So a copy
 * can be run again at any time: a finished copy writes nothing, and a copy that was killed resumes
 * where its last committed batch ended. A row the target has in an older state than the source
 * (the source changed it after an earlier copy: archived, updated, rotated) is brought up to date;
 * a row changed on the target since is never overwritten ({@code conflict_error}). Rows deleted
 * from the source after an earlier copy are not deleted from the target: the verification then
 * reports the difference.
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

  /** Told after each batch: the phase ({@code vaults}, {@code credentials} or {@code tokens}). */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param phase {@code vaults}, {@code credentials} (rows copied or found present) or
     *     {@code tokens} (credentials checked)
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
   * @throws VaultException.InvalidRequest when the target holds another data keyset (nothing is
   *     changed), or both are the same store
   * @throws VaultException.Conflict when a row was changed on the target after an earlier copy
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
    if (keyset != null && targetKeyset != null && !Arrays.equals(keyset, targetKeyset)) {
      throw otherKeyset(to);
    }
    if (keyset != null && targetKeyset == null && tokens(to) > 0) {
      throw VaultException.invalidRequest("The target holds encrypted tokens but no data "
          + "keyset: they were not made with the source's keys. Nothing was copied.", "to");
    }
    // Open the source's keys before writing anything: a wrong KEK fails here, changing nothing.
    VaultEngine sourceEngine = kek != null && keyset != null ? engine(from, kek) : null;
    try {
      boolean keysetCopied = false;
      if (keyset != null && targetKeyset == null) {
        keysetCopied = to.replaceKeyset(null, keyset, Journal.NONE);
        if (!keysetCopied && !Arrays.equals(keyset, to.loadKeyset().orElse(null))) {
          throw otherKeyset(to); // another writer stored its own keyset meanwhile
        }
      }
      CopyReport.Counts vaults = new CopyReport.Counts(0, 0, 0);
      long vaultTotal = from.writes().read(h -> CopyRows.count(h, Table.VAULTS));
      String after = "";
      while (true) {
        String a = after;
        List<Row> rows = from.writes().read(h -> CopyRows.page(h, Table.VAULTS, a, batchSize));
        if (rows.isEmpty()) {
          break;
        }
        vaults = vaults.plus(write(from, to, Table.VAULTS, rows, after).rows());
        after = rows.get(rows.size() - 1).id();
        progress.update("vaults", vaults.total(), Math.max(vaultTotal, vaults.total()));
      }
      CopyReport.Counts credentials = new CopyReport.Counts(0, 0, 0);
      long credentialTotal = from.writes().read(h -> CopyRows.count(h, Table.CREDENTIALS));
      after = "";
      while (true) {
        String a = after;
        List<Row> rows =
            from.writes().read(h -> CopyRows.page(h, Table.CREDENTIALS, a, batchSize));
        if (rows.isEmpty()) {
          break;
        }
        Batch batch = write(from, to, Table.CREDENTIALS, rows, after);
        credentials = credentials.plus(batch.rows());
        vaults = vaults.plus(new CopyReport.Counts(batch.vaultsAdded(), 0, 0));
        after = rows.get(rows.size() - 1).id();
        progress.update("credentials", credentials.total(),
            Math.max(credentialTotal, credentials.total()));
      }
      long accounts = verifyCounts(from, to);
      long tokens = sourceEngine == null ? (kek == null ? -1 : 0)
          : verifyTokens(from, to, sourceEngine, kek, progress, batchSize);
      return new CopyReport(keysetCopied, vaults, credentials, accounts, tokens);
    } finally {
      if (sourceEngine != null) {
        sourceEngine.close();
      }
    }
  }

  private static VaultException otherKeyset(JdbcVaultStore to) {
    boolean empty = to.writes().read(h -> CopyRows.count(h, Table.VAULTS)) == 0;
    return VaultException.invalidRequest("The target already holds a different data keyset: "
        + (empty ? "it has no vaults, so an engine probably opened it before the copy and "
            + "created its own keyset; drop the target's tables (or choose other ones) and copy "
            + "again."
            : "it belongs to another vault, or keys were rotated on either side after an earlier "
            + "copy; copy into an empty target.") + " Nothing was changed.", "to");
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
      String after) {
    int updatedAt = table.column("updated_at");
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
          } else if (row.bigint(updatedAt) > old.bigint(updatedAt)) {
            updates.add(row);
          } else {
            throw VaultException.conflict((table == Table.VAULTS ? "Vault '" : "Credential '")
                + row.id() + "' was changed on the target after it was copied there; the copy "
                + "never overwrites a change made on the target. Nothing of this batch was "
                + "written.", null);
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
      String after = "";
      while (true) {
        String a = after;
        List<Row> rows = from.writes().read(h -> CopyRows.page(h, t, a, batchSize));
        if (rows.isEmpty()) {
          break;
        }
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
        after = rows.get(rows.size() - 1).id();
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
    return VaultEngine.builder().store(new Unclosed(store)).keyEncryptionKey(kek)
        .tokenCacheSize(0).build();
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
