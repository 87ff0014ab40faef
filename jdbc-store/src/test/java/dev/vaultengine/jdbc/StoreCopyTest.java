package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.NonClosingStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StoreCopy}: a filled SQLite data directory to PostgreSQL (10,000 credentials), a copy
 * killed by SIGKILL in a child JVM and run again, an H2 data directory to SQLite, every database
 * as a target, changes after a copy, and a target with another keyset.
 */
class StoreCopyTest {
  @TempDir
  Path dir;

  /** A credential the test created, with its token, to resolve on the target. */
  record Known(String account, String vaultId, String credentialId, String url, String token) {}

  static String token(String account, int vault, int credential) {
    return "tok_copy_" + account + "_" + vault + "_" + credential + "_"
        + Integer.toHexString((vault * 7919 + credential) * 31);
  }

  /**
   * {@code accounts} accounts of {@code vaults} vaults with {@code perVault} credentials each;
   * then the last vault of the first account is archived, and in every other vault the first
   * credential is archived and the second rotated. Returns the active credentials.
   */
  static List<Known> fill(VaultEngine engine, int accounts, int vaults, int perVault) {
    List<Known> active = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      String account = "acct-" + a;
      VaultService service = engine.forAccount(account);
      for (int v = 0; v < vaults; v++) {
        CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName("Vault " + a + "/" + v)
            .putMetadata("team", "t" + v).putMetadata("ünïcode", "välue " + a);
        for (int c = 0; c < perVault; c++) {
          b.addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://svc" + c + ".example/mcp/" + v)
              .protocol(c % 2 == 0 ? Protocol.SSE : Protocol.STREAMABLE_HTTP)
              .accessToken(token(account, v, c)).build());
        }
        var created = service.createVault(b.build());
        String vaultId = created.vault().id();
        if (a == 0 && v == vaults - 1) {
          service.archiveVault(vaultId);
          continue;
        }
        List<Credential> credentials = created.credentials();
        for (int c = 0; c < credentials.size(); c++) {
          Credential cred = credentials.get(c);
          String token = token(account, v, c);
          if (c == 0) {
            service.archiveCredential(vaultId, cred.id());
          } else if (c == 1) {
            String rotated = token + "_rotated";
            Credential fresh = service.rotateCredential(vaultId, cred.id(), Secret.of(rotated));
            active.add(new Known(account, vaultId, fresh.id(), cred.mcpServerUrl(), rotated));
          } else {
            active.add(new Known(account, vaultId, cred.id(), cred.mcpServerUrl(), token));
          }
        }
        if (v == 0) {
          service.updateVault(vaultId, UpdateVaultRequest.builder().displayName("renamed " + a)
              .build());
        }
      }
    }
    return active;
  }

  /** A filled SQLite data directory with its KEK file; returns the active credentials. */
  static List<Known> sqliteDataDir(Path data, int accounts, int vaults, int perVault) {
    try (VaultEngine engine = VaultEngine.builder()
        .store(EmbeddedStores.sqlite(data, Durability.SURVIVES_PROCESS_KILL))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      return fill(engine, accounts, vaults, perVault);
    }
  }

  /** Every row of both tables and the keyset, exactly as stored (bytes as hex), sorted by id. */
  static List<List<String>> dump(JdbcVaultStore store) {
    return store.jdbi().withHandle(h -> {
      List<List<String>> rows = new ArrayList<>();
      rows.addAll(select(h, "SELECT id, account_id, display_name, name_folded, metadata, status, "
          + "archived_at, created_at, updated_at FROM <prefix>vaults"));
      rows.addAll(select(h, "SELECT id, account_id, vault_id, mcp_server_url, url_key, url_folded, "
          + "active_url_hash, protocol, type, status, archived_at, created_at, updated_at, "
          + "token_key_id, token, display_name, name_folded, metadata, expires_at, details, "
          + "refresh_token, client_secret FROM <prefix>credentials"));
      rows.addAll(select(h, "SELECT CAST(id AS CHAR(2)), wrapped, digest FROM <prefix>keyset"));
      return rows;
    });
  }

  private static List<List<String>> select(Handle h, String sql) {
    List<List<String>> rows = h.createQuery(sql).map((rs, ctx) -> {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        Object v = rs.getObject(i);
        row.add(v == null ? "NULL" : v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b)
            : rs.getString(i).stripTrailing());
      }
      return row;
    }).list();
    rows.sort((a, b) -> a.get(0).compareTo(b.get(0)));
    return rows;
  }

  static long credentials(JdbcVaultStore store) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM <prefix>credentials")
        .mapTo(Long.class).one());
  }

  /** Every known credential resolves on {@code store} to itself and its token. */
  static void assertResolves(JdbcVaultStore store, KeyEncryptionKey kek, List<Known> known) {
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).tokenCacheSize(0).build()) {
      Map<String, VaultSession> sessions = new HashMap<>();
      int wrong = 0;
      for (Known k : known) {
        VaultSession session = sessions.computeIfAbsent(k.account() + "/" + k.vaultId(),
            x -> engine.forAccount(k.account()).openSession(List.of(k.vaultId())));
        ResolvedCredential r = session.resolve(k.url()).orElse(null);
        if (r == null || !r.credentialId().equals(k.credentialId())
            || !r.accessToken().sameAs(Secret.of(k.token()))) {
          wrong++;
        }
      }
      assertEquals(0, wrong, "credentials that did not resolve to their token");
    }
  }

  static String prefix() {
    return "cp" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
  }

  @Test
  void tenThousandCredentialsFromSqliteToPostgres() {
    Path data = dir.resolve("vault-data");
    long t0 = System.nanoTime();
    List<Known> active = sqliteDataDir(data, 4, 5, 500);
    long filled = System.nanoTime();
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    DataSource pg = Databases.postgres();
    String prefix = prefix();
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore target = JdbcVaultStore.builder(pg).tablePrefix(prefix).build()) {
      long total = credentials(source);
      assertEquals(10_000 + 19, total); // 19 rotations added a credential each
      List<String> phases = new ArrayList<>();
      Map<String, Long> lastAt = new java.util.LinkedHashMap<>();
      CopyReport report = StoreCopy.copy(source, target, kek, (phase, done, all) -> {
        phases.add(phase);
        lastAt.put(phase, (System.nanoTime() - filled) / 1_000_000);
      });
      System.out.println("StoreCopyTest: phases ended at (ms) " + lastAt);
      long copied = System.nanoTime();
      assertTrue(report.keysetCopied());
      assertEquals(new CopyReport.Counts(20, 0, 0), report.vaults());
      assertEquals(new CopyReport.Counts(total, 0, 0), report.credentials());
      assertEquals(4, report.accounts());
      assertEquals(active.size(), report.tokensVerified());
      assertTrue(phases.containsAll(List.of("vaults", "credentials", "tokens")), phases.toString());
      assertEquals(dump(source), dump(target));
      assertResolves(target, kek, active);
      long resolved = System.nanoTime();

      CopyReport again = StoreCopy.copy(source, target, kek);
      assertTrue(again.nothingCopied(), again.toString());
      assertEquals(new CopyReport.Counts(0, 0, 20), again.vaults());
      assertEquals(new CopyReport.Counts(0, 0, total), again.credentials());
      assertEquals(active.size(), again.tokensVerified());
      assertEquals(dump(source), dump(target));
      System.out.printf("StoreCopyTest: fill %d ms, copy+verify %d ms, resolve check %d ms, "
          + "rerun %d ms (%d credentials)%n", (filled - t0) / 1_000_000,
          (copied - filled) / 1_000_000, (resolved - copied) / 1_000_000,
          (System.nanoTime() - resolved) / 1_000_000, total);
    } finally {
      Databases.dropTables(pg, prefix);
    }
  }

  static Stream<Arguments> killTargets() {
    return Stream.of(Arguments.of("sqlite"), Arguments.of("postgresql"));
  }

  /**
   * A child JVM copies in batches of 100 and is killed with SIGKILL after a random number of
   * committed batches, twice; each time every batch it reported is on the target and the copy is
   * incomplete. A third run in this JVM resumes: it copies only the rest and ends identical.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("killTargets")
  void aCopyKilledHalfWayResumesAndEndsIdentical(String kind) throws Exception {
    String prefix = prefix();
    String spec;
    DataSource pg = null;
    if (kind.equals("sqlite")) {
      spec = "dir:" + dir.resolve("target");
    } else {
      // The child reaches the server itself: only with the loopback server, not an embedded one.
      Databases.requireLoopbackPostgres();
      pg = Databases.postgres();
      spec = "pg:" + prefix;
    }
    Path data = dir.resolve("source");
    List<Known> active = sqliteDataDir(data, 2, 3, 500);
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    Random random = new Random(Long.getLong("vault.seed", System.nanoTime()));
    try {
      long total;
      try (JdbcVaultStore source = EmbeddedStores.sqlite(data)) {
        total = credentials(source);
      }
      long reported = 0;
      for (int kill = 0; kill < 2; kill++) {
        // Batches of 100: 30 credential batches; stop after 1-8 more of them were reported, with
        // at least 10 left.
        long stopAt = Math.min(total - 1000, reported + 100L * (1 + random.nextInt(8)));
        Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            CopyKillTarget.class.getName(), data.toString(), spec, "100")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        long done = 0;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("DONE credentials ")) {
            done = Long.parseLong(line.substring("DONE credentials ".length()));
            if (done >= stopAt) {
              break;
            }
          }
        }
        // SIGKILL at once (ProcessHandle, unlike Process, leaves the pipes open): the child is in
        // its next batch by now, or between two.
        assertTrue(child.toHandle().destroyForcibly());
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL, not finished");
        reported = done;
        try (JdbcVaultStore target = open(spec, pg)) {
          long onTarget = credentials(target);
          assertTrue(onTarget >= reported, onTarget + " on the target, " + reported + " reported");
          assertTrue(onTarget < total, "the copy had finished before the kill: " + onTarget);
          reported = onTarget;
        }
      }
      try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
          JdbcVaultStore target = open(spec, pg)) {
        CopyReport report = StoreCopy.copy(source, target, kek);
        assertFalse(report.keysetCopied(), "the first child copied the keyset");
        assertEquals(reported, report.credentials().alreadyPresent());
        assertEquals(total - reported, report.credentials().copied());
        assertEquals(active.size(), report.tokensVerified());
        assertEquals(dump(source), dump(target));
        assertResolves(target, kek, active);
        assertTrue(StoreCopy.copy(source, target, kek).nothingCopied());
      }
    } finally {
      if (pg != null) {
        Databases.dropTables(pg, prefix);
      }
    }
  }

  private static JdbcVaultStore open(String spec, DataSource pg) {
    return spec.startsWith("dir:") ? EmbeddedStores.sqlite(Path.of(spec.substring(4)))
        : JdbcVaultStore.builder(pg).tablePrefix(spec.substring(3)).build();
  }

  @Test
  void anH2DataDirectoryMovesToSqliteInTheSameDirectory() {
    Path data = dir.resolve("h2-data");
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    List<Known> active;
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.h2File(data))
        .keyEncryptionKey(kek).build()) {
      active = fill(engine, 2, 3, 40);
    }
    try (JdbcVaultStore source = EmbeddedStores.h2File(data);
        JdbcVaultStore target = EmbeddedStores.sqlite(data)) {
      CopyReport report = StoreCopy.copy(source, target, kek);
      assertEquals(new CopyReport.Counts(6, 0, 0), report.vaults());
      assertEquals(active.size(), report.tokensVerified());
      assertEquals(dump(source), dump(target));
      assertTrue(StoreCopy.copy(source, target, kek).nothingCopied());
    }
    // The data directory now opens on SQLite, with its own KEK file, and keeps working.
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(data))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"))).build()) {
      Known k = active.get(0);
      VaultService service = engine.forAccount(k.account());
      assertTrue(service.openSession(List.of(k.vaultId())).resolve(k.url()).orElseThrow()
          .accessToken().sameAs(Secret.of(k.token())));
      service.createCredential(k.vaultId(), CreateCredentialRequest.builder()
          .mcpServerUrl("https://new.example/mcp").protocol(Protocol.SSE).accessToken("tok_new")
          .build());
    }
    try (JdbcVaultStore target = EmbeddedStores.sqlite(data)) {
      assertResolves(target, kek, active);
    }
  }

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("h2-memory", (Supplier<DataSource>) () ->
            org.h2.jdbcx.JdbcConnectionPool.create("jdbc:h2:mem:copy;DB_CLOSE_DELAY=-1", "sa", "")),
        Arguments.of("postgresql", (Supplier<DataSource>) Databases::postgres),
        Arguments.of("mariadb", (Supplier<DataSource>) Databases::mariadb));
  }

  /**
   * SQLite to each database and from there to a fresh SQLite file: the rows survive both hops
   * exactly. Then changes: what the source changes after a copy is brought over by the next run,
   * and a change made on the target is never overwritten.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyDatabaseIsATargetAndASourceAndLaterChangesFollow(String name,
      Supplier<DataSource> db) {
    DataSource ds = db.get();
    String prefix = prefix();
    Path data = dir.resolve("source");
    List<Known> active = sqliteDataDir(data, 2, 2, 10);
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore middle = JdbcVaultStore.builder(ds).tablePrefix(prefix).build();
        JdbcVaultStore back = EmbeddedStores.sqlite(dir.resolve("back"))) {
      StoreCopy.copy(source, middle, kek);
      assertEquals(dump(source), dump(middle));
      CopyReport second = StoreCopy.copy(middle, back, kek);
      assertTrue(second.keysetCopied());
      assertEquals(dump(source), dump(back));
      assertResolves(back, kek, active);

      // The source changes after the copy: a rename, an archive, a rotation, a new credential.
      Known k = active.get(0);
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(source))
          .keyEncryptionKey(kek).build()) {
        VaultService service = engine.forAccount(k.account());
        service.updateVault(k.vaultId(), UpdateVaultRequest.builder().displayName("later").build());
        service.archiveCredential(k.vaultId(), k.credentialId());
        Known r = active.get(1);
        engine.forAccount(r.account()).rotateCredential(r.vaultId(), r.credentialId(),
            Secret.of("tok_rotated_later"));
        service.createCredential(k.vaultId(), CreateCredentialRequest.builder()
            .mcpServerUrl(k.url()).protocol(Protocol.SSE).accessToken("tok_same_url_later")
            .build());
      }
      CopyReport later = StoreCopy.copy(source, middle, kek);
      assertEquals(new CopyReport.Counts(0, 1, 3), later.vaults());
      assertEquals(2, later.credentials().updated());
      assertEquals(2, later.credentials().copied());
      assertEquals(dump(source), dump(middle));

      // A change on the target is not overwritten: the copy refuses, and writes nothing.
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(middle))
          .keyEncryptionKey(kek).build()) {
        engine.forAccount(k.account()).updateVault(k.vaultId(),
            UpdateVaultRequest.builder().displayName("changed on the target").build());
      }
      List<List<String>> before = dump(middle);
      VaultException e = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, middle, kek));
      assertEquals(ErrorType.CONFLICT, e.type());
      assertTrue(e.getMessage().contains(k.vaultId()), e.getMessage());
      assertEquals(before, dump(middle));
    } finally {
      Databases.dropTables(ds, prefix);
    }
  }

  @Test
  void aTargetWithAnotherKeysetOrAWrongKekChangesNothing() {
    Path data = dir.resolve("source");
    sqliteDataDir(data, 1, 2, 5);
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    Path other = dir.resolve("other");
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(other))
        .keyEncryptionKey(KeyEncryptionKey.localKeysetFile(other.resolve("kek.json"))).build()) {
      engine.forAccount("acct-0").createVault(CreateVaultRequest.builder().displayName("mine")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://x.example/")
              .protocol(Protocol.SSE).accessToken("tok_other").build()).build());
    }
    Path empty = dir.resolve("empty");
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore target = EmbeddedStores.sqlite(other);
        JdbcVaultStore fresh = EmbeddedStores.sqlite(empty)) {
      List<List<String>> before = dump(target);
      VaultException e = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, target, kek));
      assertEquals(ErrorType.INVALID_REQUEST, e.type());
      assertTrue(e.getMessage().startsWith("The target already holds a different data keyset"),
          e.getMessage());
      assertEquals(before, dump(target));

      // A KEK that does not open the source's keyset fails before anything is written.
      KeyEncryptionKey wrong = KeyEncryptionKey.localKeysetFile(other.resolve("kek.json"));
      VaultException w = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, fresh, wrong));
      assertEquals(ErrorType.API, w.type());
      assertEquals(List.of(), dump(fresh));
      assertTrue(fresh.loadKeyset().isEmpty());

      VaultException same = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, source, kek));
      assertEquals(ErrorType.INVALID_REQUEST, same.type());

      // Without a KEK the rows and keyset still copy and the counts verify; tokens are unchecked.
      CopyReport unchecked = StoreCopy.copy(source, fresh);
      assertEquals(-1, unchecked.tokensVerified());
      assertArrayEquals(source.loadKeyset().orElseThrow(), fresh.loadKeyset().orElseThrow());
      assertEquals(dump(source), dump(fresh));
    }
  }

  /**
   * Every credential kind copies with every column, SQLite to each database and back, and the
   * verification reads each kind's primary secret on both sides: MCP kinds by resolving, an
   * environment variable by substitution (header-only and body-only ones). A stored value that
   * no longer decrypts at the source fails the verification, naming the credential.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void everyCredentialKindCopiesAndVerifies(String name, Supplier<DataSource> db) {
    DataSource ds = db.get();
    String prefix = prefix();
    Path data = dir.resolve("kinds");
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    String envId;
    try (VaultEngine engine = VaultEngine.builder()
        .store(EmbeddedStores.sqlite(data, Durability.SURVIVES_PROCESS_KILL))
        .keyEncryptionKey(kek).build()) {
      VaultService svc = engine.forAccount("acct-kinds");
      var created = svc.createVault(CreateVaultRequest.builder().displayName("kinds")
          .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://a.example/mcp")
              .protocol(Protocol.SSE).accessToken("tok_kinds_bearer").displayName("bearer")
              .putMetadata("k", "v").build())
          .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
              .mcpServerUrl("https://b.example/mcp").protocol(Protocol.STREAMABLE_HTTP)
              .accessToken("tok_kinds_oauth_plain").build())
          .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
              .mcpServerUrl("https://c.example/mcp").protocol(Protocol.SSE)
              .accessToken("tok_kinds_oauth_refresh")
              .expiresAt(java.time.Instant.parse("2099-01-01T00:00:00.000001Z"))
              .refresh(new OAuthRefreshRequest("https://auth.example/token", "client",
                  "scope", "https://c.example/mcp", Secret.of("tok_kinds_refresh"),
                  TokenEndpointAuth.basic(Secret.of("tok_kinds_client_secret"))))
              .build())
          .addCredential(CreateCredentialRequest.builder()
              .type(CredentialType.ENVIRONMENT_VARIABLE).secretName("HEADER_ONLY")
              .secretValue(Secret.of("tok_kinds_env_header"))
              .networking(Networking.limited(List.of("*.example.org", "api.example.com")))
              .injectionLocation(new InjectionLocation(true, false)).build())
          .addCredential(CreateCredentialRequest.builder()
              .type(CredentialType.ENVIRONMENT_VARIABLE).secretName("BODY_ONLY")
              .secretValue(Secret.of("tok_kinds_env_body"))
              .networking(Networking.unrestricted())
              .injectionLocation(new InjectionLocation(false, true)).build())
          .build());
      String vaultId = created.vault().id();
      envId = created.credentials().get(4).id();
      // An updated one and an archived mcp_oauth with a refresh grant.
      svc.updateCredential(vaultId, created.credentials().get(1).id(), UpdateCredentialRequest
          .builder(CredentialType.MCP_OAUTH).accessToken("tok_kinds_oauth_plain_2")
          .displayName("updated").build());
      Credential gone = svc.createCredential(vaultId, CreateCredentialRequest.builder()
          .type(CredentialType.MCP_OAUTH).mcpServerUrl("https://d.example/mcp")
          .protocol(Protocol.SSE).accessToken("tok_kinds_archived")
          .refresh(new OAuthRefreshRequest("https://auth.example/token", "client", null, null,
              Secret.of("tok_kinds_archived_refresh"), TokenEndpointAuth.none()))
          .build());
      svc.archiveCredential(vaultId, gone.id());
    }
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore middle = JdbcVaultStore.builder(ds).tablePrefix(prefix).build();
        JdbcVaultStore back = EmbeddedStores.sqlite(dir.resolve("kinds-back"))) {
      CopyReport report = StoreCopy.copy(source, middle, kek);
      assertEquals(5, report.tokensVerified());
      assertEquals(dump(source), dump(middle));
      assertEquals(5, StoreCopy.copy(middle, back, kek).tokensVerified());
      assertEquals(dump(source), dump(back));

      // A flipped byte in a stored environment value: the copy reports it, and by id.
      source.jdbi().useHandle(h -> {
        byte[] token = h.createQuery("SELECT token FROM <prefix>credentials WHERE id = :id")
            .bind("id", envId).mapTo(byte[].class).one();
        token[token.length - 1] ^= 1;
        h.createUpdate("UPDATE <prefix>credentials SET token = :t WHERE id = :id")
            .bind("t", token).bind("id", envId).execute();
      });
      try (JdbcVaultStore fresh = EmbeddedStores.sqlite(dir.resolve("kinds-fresh"))) {
        VaultException e = assertThrows(VaultException.class,
            () -> StoreCopy.copy(source, fresh, kek));
        assertEquals(ErrorType.API, e.type());
        assertTrue(e.getMessage().contains("1 of 5") && e.getMessage().contains(envId),
            e.getMessage());
      }
    } finally {
      Databases.dropTables(ds, prefix);
    }
  }

  /**
   * The log travels as stored: audit entries with their MACs and the head, events with their
   * sequences, a durable subscriber's position. The trail verifies on the target (and after a
   * second hop), a rerun copies nothing, and a target that continued the log keeps it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void theLogCopiesAsStoredAndVerifiesOnTheTarget(String name, Supplier<DataSource> db) {
    DataSource ds = db.get();
    String prefix = prefix();
    Path data = dir.resolve("log");
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    String[] activeVault = new String[1];
    try (VaultEngine engine = VaultEngine.builder().store(EmbeddedStores.sqlite(data))
        .keyEncryptionKey(kek).build()) {
      VaultService svc = engine.forAccount("acct-log", "copier");
      for (int i = 0; i < 3; i++) {
        String v = svc.createVault(CreateVaultRequest.builder().displayName("log" + i)
            .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://l.example/mcp")
                .protocol(Protocol.SSE).accessToken("tok_log_copy_" + i).build()).build())
            .vault().id();
        if (i < 2) {
          svc.archiveVault(v);
        } else {
          activeVault[0] = v;
        }
      }
      engine.events().subscribe("copied-subscriber", e -> { }).close();
      assertTrue(engine.audit().verify().intact());
    }
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore target = JdbcVaultStore.builder(ds).tablePrefix(prefix).build();
        JdbcVaultStore back = EmbeddedStores.sqlite(dir.resolve("log-back"))) {
      source.saveSubscriberPosition("copied-subscriber", 5);
      CopyReport report = StoreCopy.copy(source, target, kek);
      long events = source.lastEventSequence();
      assertEquals(new CopyReport.Counts(events, 0, 0), report.events());
      assertEquals(new CopyReport.Counts(source.auditHead().sequence(), 0, 0),
          report.auditEntries());
      assertEquals(source.readEvents(0, 1000), target.readEvents(0, 1000));
      assertEquals(events, target.lastEventSequence());
      assertEquals(source.readAudit(0, 1000).toString(), target.readAudit(0, 1000).toString());
      assertArrayEquals(source.auditHead().mac(), target.auditHead().mac());
      assertArrayEquals(source.loadAuditKey().orElseThrow(), target.loadAuditKey().orElseThrow());
      assertEquals(5, target.subscriberPosition("copied-subscriber").getAsLong());
      assertTrue(StoreCopy.copy(source, target, kek).nothingCopied(), "a rerun copies nothing");
      StoreCopy.copy(target, back, kek);
      for (JdbcVaultStore copy : List.of(target, back)) {
        try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(copy))
            .keyEncryptionKey(kek).build()) {
          var verified = engine.audit().verify();
          assertTrue(verified.intact(), verified.toString());
          assertEquals(source.auditHead().sequence(), verified.headSequence());
          // The copy continues the trail: a first disclosure's entry chains onto the copied head.
          assertTrue(engine.forAccount("acct-log").openSession(List.of(activeVault[0]))
              .resolve("https://l.example/mcp").isPresent());
          var continued = engine.audit().verify();
          assertTrue(continued.intact(), continued.toString());
          assertEquals(source.auditHead().sequence() + 1, continued.headSequence());
        }
      }
      // The target continued the log: a rerun keeps its later entry and head.
      long continuedHead = target.auditHead().sequence();
      assertTrue(StoreCopy.copy(source, target, kek).nothingCopied());
      assertEquals(continuedHead, target.auditHead().sequence());
      assertEquals(events, target.lastEventSequence());
    } finally {
      Databases.dropTables(ds, prefix);
    }
  }

  /** The target's log as stored: events and audit entries (with MACs) and the heads. */
  static String log(JdbcVaultStore store) {
    return store.readEvents(0, 10_000) + "\n" + store.readAudit(0, 10_000) + "\n"
        + store.lastEventSequence() + "/" + store.auditHead().sequence() + "/"
        + HexFormat.of().formatHex(store.auditHead().mac());
  }

  /**
   * A target read after the copy (a first disclosure's audit entry there) while the source
   * changed: the two audit trails diverged. The rerun refuses before writing anything (before
   * session 12 it wrote the source's credential change, then refused on the audit entry) and says
   * what happened and what to do.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void aTargetUsedOnItsOwnRefusesTheRerunBeforeWritingAnything(String name,
      Supplier<DataSource> db) {
    DataSource ds = db.get();
    String prefix = prefix();
    Path data = dir.resolve("used");
    List<Known> active = sqliteDataDir(data, 1, 2, 4);
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore target = JdbcVaultStore.builder(ds).tablePrefix(prefix).build()) {
      StoreCopy.copy(source, target, kek);
      Known k = active.get(0);
      long copiedHead = target.auditHead().sequence();
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(target))
          .keyEncryptionKey(kek).build()) {
        assertTrue(engine.forAccount(k.account()).openSession(List.of(k.vaultId()))
            .resolve(k.url()).isPresent());
      }
      assertEquals(copiedHead + 1, target.auditHead().sequence(), "the read wrote an entry");
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(source))
          .keyEncryptionKey(kek).build()) {
        engine.forAccount(k.account()).updateCredential(k.vaultId(), k.credentialId(),
            UpdateCredentialRequest.builder(CredentialType.STATIC_BEARER)
                .displayName("changed on the source").build());
      }
      List<List<String>> before = dump(target);
      String logBefore = log(target);
      VaultException e = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, target, kek));
      assertEquals(ErrorType.CONFLICT, e.type());
      assertTrue(e.getMessage().startsWith("The target was used on its own after the last copy")
          && e.getMessage().contains("from entry " + (copiedHead + 1) + " on")
          && e.getMessage().contains("Nothing was written."), e.getMessage());
      assertEquals(before, dump(target));
      assertEquals(logBefore, log(target));
    } finally {
      Databases.dropTables(ds, prefix);
    }
  }

  /**
   * Keys rotated on the source after a copy, tokens re-encrypted, retired keys disabled (which
   * wraps the audit key again): each rerun brings the new keyset, the re-encrypted tokens and the
   * log over, and the target verifies. A target whose keyset is not an earlier state of the
   * source's (its own rotation) is refused before anything is written.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void aRerunAfterAKeyRotationBringsTheNewKeysetOver(String name, Supplier<DataSource> db) {
    DataSource ds = db.get();
    String prefix = prefix();
    Path data = dir.resolve("rotated");
    List<Known> active = sqliteDataDir(data, 1, 2, 4);
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(data.resolve("kek.json"));
    try (JdbcVaultStore source = EmbeddedStores.sqlite(data);
        JdbcVaultStore target = JdbcVaultStore.builder(ds).tablePrefix(prefix).build();
        JdbcVaultStore other = EmbeddedStores.sqlite(dir.resolve("rotated-other"))) {
      StoreCopy.copy(source, target, kek);
      StoreCopy.copy(source, other, kek);
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(source))
          .keyEncryptionKey(kek).build()) {
        engine.keys().rotateDataKey();
        assertTrue(engine.keys().reencrypt(100).reencrypted() > 0);
      }
      CopyReport report = StoreCopy.copy(source, target, kek);
      assertTrue(report.keysetCopied());
      assertEquals(credentials(source), report.credentials().total());
      assertTrue(report.credentials().updated() > 0, report.toString());
      assertTrue(report.auditEntries().copied() > 0, report.toString());
      assertEquals(dump(source), dump(target));
      // (Resolved by the copy's own check, which writes no audit entry: a read through an engine
      // here would use the target on its own, and the next rerun would rightly refuse.)
      assertEquals(report.credentials().total() - report.credentials().copied()
          - report.credentials().updated(), report.credentials().alreadyPresent());
      assertTrue(report.tokensVerified() > 0);
      assertTrue(StoreCopy.copy(source, target, kek).nothingCopied(), "a rerun copies nothing");

      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(source))
          .keyEncryptionKey(kek).build()) {
        engine.keys().disableRetiredKeys();
      }
      assertFalse(java.util.Arrays.equals(source.loadAuditKey().orElseThrow(),
          target.loadAuditKey().orElseThrow()), "disabling retired keys rewraps the audit key");
      assertTrue(StoreCopy.copy(source, target, kek).keysetCopied());
      assertEquals(dump(source), dump(target));
      assertArrayEquals(source.loadAuditKey().orElseThrow(), target.loadAuditKey().orElseThrow());
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(target))
          .keyEncryptionKey(kek).build()) {
        assertTrue(engine.audit().verify().intact());
      }
      assertResolves(target, kek, active);

      // `other` rotates on its own: its keyset is no earlier state of the source's.
      try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(other))
          .keyEncryptionKey(kek).events(false).auditMode(dev.vaultengine.AuditMode.OFF).build()) {
        engine.keys().rotateDataKey();
      }
      List<List<String>> before = dump(other);
      VaultException e = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, other, kek));
      assertEquals(ErrorType.INVALID_REQUEST, e.type());
      assertTrue(e.getMessage().contains("is not an earlier state of the source's"),
          e.getMessage());
      assertEquals(before, dump(other));
      // Without the KEK the copy cannot compare keysets, and says so.
      VaultException noKek = assertThrows(VaultException.class,
          () -> StoreCopy.copy(source, other));
      assertTrue(noKek.getMessage().contains("Without the KEK"), noKek.getMessage());
      assertEquals(before, dump(other));
    } finally {
      Databases.dropTables(ds, prefix);
    }
  }
}
