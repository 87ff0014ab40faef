package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.testkit.NonClosingStore;
import dev.vaultengine.testkit.PlaintextScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database made by the release before credential kinds (commit 5a9e1b2, schema version 1) opens
 * with this build, migrates to version 2, and keeps every credential resolving to its token; its
 * credentials list, update, rotate, archive and re-encrypt, and credentials of the new kinds can
 * be created in it. The fixtures under {@code src/test/resources/upgrade} were written by that
 * release (see its README.md): a SQLite data directory, an H2 directory, and dumps of PostgreSQL
 * and MariaDB tables, all from the same deterministic sequence of calls, so one
 * {@code expected.tsv} describes them all.
 */
class UpgradeTest {
  private static final String DUMP_PREFIX = "v1dump_";

  @TempDir
  Path dir;

  /** One credential of the fixture; its token is {@link #token(String)} of its label. */
  record Expected(String account, String vaultId, String credentialId, String url, Status status,
      String label) {
    boolean active() {
      return status == Status.ACTIVE;
    }
  }

  /** The fixtures' obviously fake tokens, as MakeV1Fixtures.java.txt made them. */
  static String token(String label) {
    return "FAKE-v1-upgrade-token-" + label + "-not-a-secret";
  }

  static List<Expected> expected() throws IOException {
    List<Expected> out = new ArrayList<>();
    for (String line : resource("expected.tsv").lines().toList()) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      out.add(new Expected(f[0], f[1], f[2], f[3], Status.fromWire(f[4]), f[5]));
    }
    return out;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = UpgradeTest.class.getResourceAsStream("/upgrade/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource upgrade/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Copies a fixture file into the temporary directory (a test never changes the original). */
  private Path copy(String name, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = UpgradeTest.class.getResourceAsStream("/upgrade/" + name)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
    return to;
  }

  /** The fixtures' KEK, as an owner-only file (git keeps no permissions; the engine checks). */
  private KeyEncryptionKey kek() throws IOException {
    Path file = copy("kek.json", dir.resolve("kek/kek.json"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return KeyEncryptionKey.localKeysetFile(file);
  }

  @Test
  void sqliteDataDirectoryOfTheLastRelease() throws IOException {
    Path data = dir.resolve("data");
    copy("sqlite/vault.db", data.resolve("vault.db"));
    KeyEncryptionKey kek = kek();
    try (JdbcVaultStore store = EmbeddedStores.sqlite(data)) {
      upgradedAndUsable(store, kek);
    }
    try (JdbcVaultStore store = EmbeddedStores.sqlite(data)) {
      stillResolving(store, kek);
    }
  }

  @Test
  void h2DirectoryOfTheLastRelease() throws IOException {
    Path data = dir.resolve("h2");
    copy("h2/vault.mv.db", data.resolve("vault.mv.db"));
    KeyEncryptionKey kek = kek();
    try (JdbcVaultStore store = EmbeddedStores.h2File(data)) {
      upgradedAndUsable(store, kek);
    }
    try (JdbcVaultStore store = EmbeddedStores.h2File(data)) {
      stillResolving(store, kek);
    }
  }

  @Test
  void postgresqlTablesOfTheLastRelease() throws IOException {
    server(Databases.postgres(), "postgresql.sql");
  }

  @Test
  void mariadbTablesOfTheLastRelease() throws IOException {
    server(Databases.mariadb(), "mariadb.sql");
  }

  private void server(DataSource ds, String dump) throws IOException {
    String prefix = "up" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    KeyEncryptionKey kek = kek();
    try {
      load(ds, resource(dump).replace(DUMP_PREFIX, prefix));
      try (JdbcVaultStore store = JdbcVaultStore.builder(ds).tablePrefix(prefix).build()) {
        upgradedAndUsable(store, kek);
      }
      try (JdbcVaultStore store = JdbcVaultStore.builder(ds).tablePrefix(prefix)
          .schemaMode(SchemaMode.VALIDATE).build()) {
        stillResolving(store, kek);
      }
    } finally {
      Databases.dropTables(ds, prefix);
    }
  }

  /** Runs a dump's statements (each ends with ';' at the end of a line), comments left out. */
  private static void load(DataSource ds, String dump) {
    StringBuilder statement = new StringBuilder();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String line : dump.split("\n")) {
        if (line.startsWith("--") || line.isBlank() && statement.length() == 0) {
          continue;
        }
        statement.append(line).append('\n');
        if (line.stripTrailing().endsWith(";")) {
          String sql = statement.toString().strip();
          s.execute(sql.substring(0, sql.length() - 1));
          statement.setLength(0);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("loading the dump failed", e);
    }
  }

  private static List<Integer> history(JdbcVaultStore store) {
    return store.jdbi().withHandle(h -> h.createQuery(
        "SELECT version FROM <prefix>schema_history ORDER BY version").mapTo(Integer.class).list());
  }

  private static Optional<ResolvedCredential> resolve(VaultEngine engine, String account,
      List<String> vaults, String url) {
    VaultSession session = engine.forAccount(account).openSession(vaults);
    return session.resolve(url);
  }

  private static boolean resolvesTo(VaultEngine engine, String account, List<String> vaults,
      String url, String credentialId, String token) {
    Optional<ResolvedCredential> r = resolve(engine, account, vaults, url);
    try {
      return r.isPresent() && r.get().credentialId().equals(credentialId)
          && r.get().accessToken().sameAs(Secret.of(token));
    } finally {
      r.ifPresent(x -> x.accessToken().destroy());
    }
  }

  private static Expected label(List<Expected> all, String label) {
    return all.stream().filter(e -> e.label().equals(label)).findFirst().orElseThrow();
  }

  private void upgradedAndUsable(JdbcVaultStore store, KeyEncryptionKey kek) throws IOException {
    List<Expected> all = expected();
    assertEquals(List.of(1, 2, 3, 4), history(store), "migrated from version 1 to the latest");
    // Version 4 adds the log: an upgraded store starts with an empty one and no audit key.
    assertEquals(0, store.lastEventSequence());
    assertEquals(List.of(), store.readEvents(0, 10));
    assertEquals(0, store.auditHead().sequence());
    assertEquals(List.of(), store.readAudit(0, 10));
    assertEquals(Optional.empty(), store.loadAuditKey());
    // The upgrade adds columns and writes no row: the old rows read NULL in every new column.
    long untouched = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM "
            + "<prefix>credentials WHERE display_name IS NULL AND name_folded IS NULL AND "
            + "metadata IS NULL AND expires_at IS NULL AND details IS NULL AND refresh_token IS "
            + "NULL AND client_secret IS NULL AND type = 'static_bearer'")
        .mapTo(Long.class).one());
    assertEquals(all.size(), untouched);

    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).tokenCacheSize(0).build()) {
      // Every credential reads as it was written, and every active one resolves to its token.
      for (Expected e : all) {
        Credential c = engine.forAccount(e.account()).getCredential(e.vaultId(), e.credentialId());
        assertEquals(CredentialType.STATIC_BEARER, c.type(), e.label());
        assertEquals(e.url(), c.mcpServerUrl(), e.label());
        assertEquals(e.status(), c.status(), e.label());
        assertEquals(Optional.empty(), c.displayName(), e.label());
        assertTrue(c.metadata().isEmpty(), e.label());
        if (e.active()) {
          assertTrue(resolvesTo(engine, e.account(), List.of(e.vaultId()), e.url(),
              e.credentialId(), token(e.label())), e.label());
        }
      }
      Expected aActive = label(all, "a-active");
      Expected bActive = label(all, "b-active");
      Expected upper = label(all, "a-upper");
      Expected rotatedNew = label(all, "a-rotated-new");
      Expected other = label(all, "d-other-account");
      String vaultA = aActive.vaultId();
      String vaultB = bActive.vaultId();
      VaultService svc = engine.forAccount("acct_upgrade");
      // Session order, URL normalization and account scoping as before.
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(vaultB, vaultA), aActive.url(),
          bActive.credentialId(), token("b-active")));
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(vaultA, vaultB),
          "https://upper.example.com/Path/", upper.credentialId(), token("a-upper")));
      assertEquals(Optional.empty(), resolve(engine, "acct_upgrade", List.of(vaultA),
          "https://tools.example.org/mcp"), "archived before the upgrade");
      VaultException foreign = assertThrows(VaultException.class,
          () -> svc.getCredential(other.vaultId(), other.credentialId()));
      assertEquals(ErrorType.NOT_FOUND, foreign.type());
      assertEquals("platform", svc.getVault(vaultA).metadata().get("team"));

      // Lists: every credential of vault A, then the name filter on the URL.
      assertEquals(5, svc.listCredentials(vaultA, ListRequest.builder().includeArchived(true)
          .build()).data().size());
      assertEquals(3, svc.listCredentials(vaultA, ListRequest.firstPage()).data().size());
      assertEquals(List.of(rotatedNew.credentialId()), svc.listCredentials(vaultA,
          ListRequest.builder().name("ROTATE.example").build()).data().stream()
          .map(Credential::id).toList());

      // An old credential updated: a name and metadata; its token keeps resolving.
      Credential renamed = svc.updateCredential(vaultA, upper.credentialId(),
          UpdateCredentialRequest.builder(CredentialType.STATIC_BEARER)
              .displayName("Upper (renamed)").putMetadata("since", "v1").build());
      assertEquals(Optional.of("Upper (renamed)"), renamed.displayName());
      assertEquals(renamed, svc.getCredential(vaultA, upper.credentialId()));
      assertEquals(List.of(upper.credentialId()), svc.listCredentials(vaultA,
          ListRequest.builder().name("(renamed)").build()).data().stream()
          .map(Credential::id).toList());
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(vaultA), upper.url(),
          upper.credentialId(), token("a-upper")));

      // An old credential rotated, another archived (its URL is then free for a new kind).
      Credential rotated = svc.rotateCredential(vaultB, bActive.credentialId(),
          Secret.of("upgrade-rotated-after-v2"));
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(vaultB), bActive.url(),
          rotated.id(), "upgrade-rotated-after-v2"));
      svc.archiveCredential(vaultA, aActive.credentialId());
      assertEquals(Optional.empty(), resolve(engine, "acct_upgrade", List.of(vaultA),
          aActive.url()));

      // The new kinds in the upgraded database.
      Credential oauth = svc.createCredential(vaultA, CreateCredentialRequest.builder()
          .type(CredentialType.MCP_OAUTH).mcpServerUrl(aActive.url()).protocol(Protocol.SSE)
          .accessToken("upgrade-oauth-access")
          .expiresAt(Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
          .refresh(new OAuthRefreshRequest("https://auth.example.com/token", "upgrade-client",
              "read", null, Secret.of("upgrade-oauth-refresh"),
              TokenEndpointAuth.post(Secret.of("upgrade-oauth-client-secret"))))
          .displayName("OAuth after upgrade").build());
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(vaultA), aActive.url(), oauth.id(),
          "upgrade-oauth-access"));
      VaultException taken = assertThrows(VaultException.class, () -> svc.createCredential(
          vaultA, CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
              .mcpServerUrl(upper.url()).protocol(Protocol.SSE).accessToken("x-x-x-x-x").build()));
      assertEquals(ErrorType.CONFLICT, taken.type(), "an old static_bearer holds that URL");
      Credential env = svc.createCredential(vaultA, CreateCredentialRequest.builder()
          .type(CredentialType.ENVIRONMENT_VARIABLE).secretName("UPGRADE_SECRET")
          .secretValue(Secret.of("upgrade-env-value"))
          .networking(Networking.limited(List.of("*.example.com")))
          .injectionLocation(new InjectionLocation(true, true)).build());
      assertEquals(env, svc.getCredential(vaultA, env.id()));
      VaultSession session = svc.openSession(List.of(vaultA));
      String placeholder = session.environment().get("UPGRADE_SECRET");
      assertEquals("upgrade-env-value", session.substitute(HttpRequest.newBuilder(
              uri("https://api.example.com/")).header("X-Key", placeholder).build())
          .headers().firstValue("X-Key").orElseThrow());

      // Re-encryption moves the old tokens and the new kinds' secrets alike.
      engine.keys().rotateDataKey();
      ReencryptionReport report = engine.keys().reencrypt(2);
      assertEquals(List.of(), report.failedCredentialIds());
      assertEquals(0, report.remaining());
      assertEquals(all.stream().filter(Expected::active).count() - 1 + 2, report.reencrypted(),
          "the fixture's active credentials (one archived since, one rotated) and two new");
      // The changes since the upgrade have their events and a verified audit trail.
      List<String> types = engine.events().read(0, 1000).stream()
          .map(e -> e.type().wireName()).toList();
      assertTrue(types.containsAll(List.of("vault_credential.updated", "vault_credential.rotated",
          "vault_credential.archived", "vault_credential.created")), types.toString());
      assertTrue(engine.audit().verify().intact(), engine.audit().verify().toString());
    }
  }

  /** After the upgraded store was closed and opened again. */
  private void stillResolving(JdbcVaultStore store, KeyEncryptionKey kek) throws IOException {
    List<Expected> all = expected();
    assertEquals(List.of(1, 2, 3, 4), history(store));
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).tokenCacheSize(0).build()) {
      assertTrue(engine.audit().verify().intact(), "the trail kept across a reopen");
      Expected upper = label(all, "a-upper");
      Expected rotatedNew = label(all, "a-rotated-new");
      Expected other = label(all, "d-other-account");
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(upper.vaultId()), upper.url(),
          upper.credentialId(), token("a-upper")));
      assertTrue(resolvesTo(engine, "acct_upgrade", List.of(rotatedNew.vaultId()),
          rotatedNew.url(), rotatedNew.credentialId(), token("a-rotated-new")));
      assertTrue(resolvesTo(engine, "acct_other", List.of(other.vaultId()), other.url(),
          other.credentialId(), token("d-other-account")));
      Optional<ResolvedCredential> oauth = resolve(engine, "acct_upgrade",
          List.of(upper.vaultId()), "https://mcp.example.com/sse");
      assertTrue(oauth.orElseThrow().accessToken().sameAs(Secret.of("upgrade-oauth-access")));
      assertFalse(engine.forAccount("acct_upgrade").openSession(List.of(upper.vaultId()))
          .environment().isEmpty());
    }
  }

  private static URI uri(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The fixtures hold no token in clear (UTF-8, UTF-16, Base64), as a store must not. */
  @Test
  void fixturesHoldNoTokenInClear() throws IOException, URISyntaxException {
    List<String> tokens = new ArrayList<>(expected().stream().map(e -> token(e.label()))
        .toList());
    PlaintextScanner scanner = new PlaintextScanner(tokens);
    Path root = Path.of(UpgradeTest.class.getResource("/upgrade").toURI());
    int files = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        assertEquals(List.of(), scanner.findIn(Files.readAllBytes(f)), root.relativize(f)
            .toString());
        files++;
      }
    }
    assertTrue(files >= 7, "fixture files scanned: " + files);
  }
}
