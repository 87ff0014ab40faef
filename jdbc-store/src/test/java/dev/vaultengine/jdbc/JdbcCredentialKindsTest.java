package dev.vaultengine.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.KeyEncryptionKey;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.Secret;
import dev.vaultengine.Status;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultService;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.Journal;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.EncryptedToken;
import dev.vaultengine.spi.ListQuery;
import dev.vaultengine.spi.VaultRow;
import dev.vaultengine.spi.WriteOutcome;
import dev.vaultengine.testkit.NonClosingStore;
import dev.vaultengine.testkit.PlaintextScanner;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every credential kind through the JDBC store on each database: the store's own round trip of
 * every column (kinds, display name, metadata, the three secrets), update, re-encryption's
 * replaceSecrets, archive purging every secret, the name filter on the secret name and the
 * display name; then the same kinds through the engine with real encryption.
 */
class JdbcCredentialKindsTest {
  private static final String ACCOUNT = "acct_kinds";
  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00.123456Z");
  private static final AtomicLong IDS = new AtomicLong();

  @TempDir
  Path dir;

  private JdbcVaultStore store;
  private DataSource server;
  private String serverPrefix;

  static Stream<Arguments> databases() {
    return Stream.of(Arguments.of("sqlite"), Arguments.of("h2"), Arguments.of("postgresql"),
        Arguments.of("mariadb"));
  }

  private JdbcVaultStore open(String db) {
    switch (db) {
      case "sqlite" -> store = EmbeddedStores.sqlite(dir.resolve("sqlite"));
      case "h2" -> store = EmbeddedStores.h2File(dir.resolve("h2"));
      default -> {
        server = db.equals("postgresql") ? Databases.postgres() : Databases.mariadb();
        serverPrefix = "kd" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
        store = JdbcVaultStore.builder(server).tablePrefix(serverPrefix).build();
      }
    }
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      Databases.dropTables(server, serverPrefix);
    }
  }

  private static String id(String prefix) {
    return prefix + String.format("%032x", IDS.incrementAndGet() + (System.nanoTime() << 20));
  }

  private static EncryptedToken ct(int keyId, String text) {
    return new EncryptedToken(keyId, ("ciphertext of " + text).getBytes());
  }

  private static CredentialRow row(String vaultId, String identityKey, CredentialKind kind,
      String displayName, Map<String, String> metadata, EncryptedSecrets secrets) {
    return new CredentialRow(ACCOUNT, id("vcred_"), vaultId, identityKey, kind, displayName,
        metadata, Status.ACTIVE, null, T0, T0, secrets);
  }

  private static ListQuery byName(String folded) {
    return new ListQuery(100, null, null, false, folded, null, null);
  }

  private List<String> ids(List<CredentialRow> rows) {
    return rows.stream().map(CredentialRow::id).toList();
  }

  /** The secrets columns of one row as stored: token, refresh_token, client_secret, key id. */
  private List<Object> storedSecrets(String credentialId) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT token, refresh_token, "
            + "client_secret, token_key_id FROM <prefix>credentials WHERE id = :id")
        .bind("id", credentialId)
        .map((rs, ctx) -> {
          List<Object> out = new ArrayList<>();
          out.add(rs.getBytes(1));
          out.add(rs.getBytes(2));
          out.add(rs.getBytes(3));
          out.add(rs.getObject(4));
          return out;
        }).one());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyKindRoundTripsThroughTheStore(String db) {
    open(db);
    String vaultId = id("vault_");
    VaultRow vault = new VaultRow(ACCOUNT, vaultId, "Kinds", Map.of(), Status.ACTIVE, null, T0, T0);

    CredentialRow bearer = row(vaultId, "https://static.example.com/mcp",
        new CredentialKind.StaticBearer("https://Static.example.com/mcp", Protocol.SSE), null,
        Map.of(), EncryptedSecrets.of(ct(1, "bearer")));
    CredentialRow oauthPlain = row(vaultId, "https://plain.example.com/mcp",
        new CredentialKind.McpOAuth("https://plain.example.com/mcp", Protocol.STREAMABLE_HTTP,
            Optional.of(T0.plus(1, ChronoUnit.HOURS)), Optional.empty()),
        "OAuth without refresh", Map.of("team", "infra"), EncryptedSecrets.of(ct(1, "plain")));
    OAuthRefresh refresh = new OAuthRefresh("https://auth.example.com/token", "client-123",
        Optional.of("read write"), Optional.of("https://github.example.com/mcp"),
        TokenEndpointAuthMethod.CLIENT_SECRET_BASIC);
    CredentialRow oauthRefresh = row(vaultId, "https://github.example.com/mcp",
        new CredentialKind.McpOAuth("https://github.example.com/mcp", Protocol.SSE,
            Optional.empty(), Optional.of(refresh)),
        "GitHub (OAuth)", Map.of("owner", "ops", "ticket", "OPS-1"),
        new EncryptedSecrets(ct(1, "gh access"), ct(1, "gh refresh"), ct(1, "gh client")));
    CredentialRow oauthPublic = row(vaultId, "https://public.example.com/mcp",
        new CredentialKind.McpOAuth("https://public.example.com/mcp", Protocol.SSE,
            Optional.of(T0.plus(2, ChronoUnit.DAYS)),
            Optional.of(new OAuthRefresh("http://127.0.0.1:8080/token", "public-client",
                Optional.empty(), Optional.empty(), TokenEndpointAuthMethod.NONE))),
        null, Map.of(), new EncryptedSecrets(ct(1, "pub access"), ct(1, "pub refresh"), null));
    CredentialRow envLimited = row(vaultId, CredentialRow.environmentKey("OPENAI_API_KEY"),
        new CredentialKind.EnvironmentVariable("OPENAI_API_KEY",
            Networking.limited(List.of("api.openai.com", "*.example.com", "10.0.0.7")),
            new InjectionLocation(true, false)),
        "Ünïcode Näme", Map.of("k", "v"), EncryptedSecrets.of(ct(1, "openai")));
    CredentialRow envOpen = row(vaultId, CredentialRow.environmentKey("Db_Password"),
        new CredentialKind.EnvironmentVariable("Db_Password", Networking.unrestricted(),
            new InjectionLocation(false, true)),
        null, Map.of(), EncryptedSecrets.of(ct(1, "db")));

    assertEquals(WriteOutcome.OK, store.insertVault(vault, List.of(bearer, envLimited),
        Journal.NONE));
    for (CredentialRow c : List.of(oauthPlain, oauthRefresh, oauthPublic, envOpen)) {
      assertEquals(WriteOutcome.OK, store.insertCredential(c, Journal.NONE), c.toString());
    }
    List<CredentialRow> all = List.of(bearer, envLimited, oauthPlain, oauthRefresh, oauthPublic,
        envOpen);
    for (CredentialRow c : all) {
      assertEquals(Optional.of(c), store.findCredential(ACCOUNT, vaultId, c.id()));
      assertEquals(List.of(c), store.findActiveCredentials(ACCOUNT, List.of(vaultId),
          c.identityKey()));
      assertEquals(List.of(c), store.findActiveCredentials(ACCOUNT, List.of(id("vault_"),
          vaultId), c.identityKey()), "the resolve read over several vaults");
    }

    // One active credential per identity key: an mcp_oauth collides with a static_bearer of the
    // same URL, an environment variable with one of the same name; the two key spaces never meet.
    assertEquals(WriteOutcome.DUPLICATE_URL, store.insertCredential(row(vaultId,
        bearer.identityKey(), oauthPlain.kind(), null, Map.of(), EncryptedSecrets.of(ct(1, "x"))),
            Journal.NONE));
    assertEquals(WriteOutcome.DUPLICATE_URL, store.insertCredential(row(vaultId,
        envOpen.identityKey(), envOpen.kind(), null, Map.of(), EncryptedSecrets.of(ct(1, "x"))),
            Journal.NONE));

    // The name filter: URL as written, secret name, display name (all folded), nothing else.
    assertEquals(List.of(envLimited.id()), ids(store.listCredentials(ACCOUNT, vaultId,
        byName("openai_api"))));
    assertEquals(List.of(envOpen.id()), ids(store.listCredentials(ACCOUNT, vaultId,
        byName("db_pass"))));
    assertEquals(List.of(envLimited.id()), ids(store.listCredentials(ACCOUNT, vaultId,
        byName("ünïcode"))));
    assertEquals(List.of(oauthRefresh.id()), ids(store.listCredentials(ACCOUNT, vaultId,
        byName("(oauth)"))));
    assertEquals(List.of(bearer.id()), ids(store.listCredentials(ACCOUNT, vaultId,
        byName("static.example"))));
    assertEquals(List.of(oauthPlain.id()), ids(store.listCredentials(ACCOUNT, vaultId,
        byName("without"))));
    assertEquals(List.of(), ids(store.listCredentials(ACCOUNT, vaultId, byName("infra"))),
        "metadata is not searched");
    assertEquals(List.of(), ids(store.listCredentials(ACCOUNT, vaultId, byName("d_p%"))),
        "LIKE wildcards are literal");
    List<CredentialRow> listed = store.listCredentials(ACCOUNT, vaultId,
        new ListQuery(100, null, null, false, null, null, null));
    assertEquals(6, listed.size());
    assertTrue(listed.containsAll(all));

    // Update: the kind's fields, the name, the metadata and the secrets change; id, vault,
    // identity key, status and created_at stay as stored whatever the row says.
    Instant t1 = T0.plusSeconds(60);
    OAuthRefresh patched = new OAuthRefresh(refresh.tokenEndpoint(), refresh.clientId(),
        Optional.empty(), refresh.resource(), TokenEndpointAuthMethod.CLIENT_SECRET_POST);
    CredentialRow updated = new CredentialRow(ACCOUNT, oauthRefresh.id(), vaultId,
        "https://ignored.example.com/", new CredentialKind.McpOAuth(
            "https://github.example.com/mcp", Protocol.STREAMABLE_HTTP,
            Optional.of(t1.plus(1, ChronoUnit.HOURS)), Optional.of(patched)),
        null, Map.of("owner", "sec"), Status.ARCHIVED, t1, t1, t1,
        new EncryptedSecrets(ct(1, "gh access 2"), ct(1, "gh refresh"), ct(1, "gh client 2")));
    assertEquals(WriteOutcome.OK, store.updateCredential(updated, oauthRefresh.updatedAt(),
        Journal.NONE));
    CredentialRow expected = new CredentialRow(ACCOUNT, oauthRefresh.id(), vaultId,
        oauthRefresh.identityKey(), updated.kind(), null, Map.of("owner", "sec"), Status.ACTIVE,
        null, T0, t1, updated.secrets());
    assertEquals(Optional.of(expected), store.findCredential(ACCOUNT, vaultId, expected.id()));
    assertEquals(List.of(), ids(store.listCredentials(ACCOUNT, vaultId, byName("(oauth)"))),
        "a cleared display name is no longer searched");
    assertEquals(WriteOutcome.STALE, store.updateCredential(updated, oauthRefresh.updatedAt(),
        Journal.NONE),
        "an update from a stale read");
    assertEquals(WriteOutcome.NOT_FOUND, store.updateCredential(new CredentialRow("acct_other",
        updated.id(), vaultId, updated.identityKey(), updated.kind(), null, Map.of(),
        Status.ACTIVE, null, T0, t1, updated.secrets()), t1,
            Journal.NONE), "another account's row");
    assertEquals(WriteOutcome.NOT_FOUND, store.updateCredential(new CredentialRow(ACCOUNT,
        id("vcred_"), vaultId, updated.identityKey(), updated.kind(), null, Map.of(),
        Status.ACTIVE, null, T0, t1, updated.secrets()), t1, Journal.NONE));

    // The refresh grant removed, an environment variable's policy changed.
    Instant t2 = t1.plusSeconds(60);
    CredentialRow noRefresh = new CredentialRow(ACCOUNT, expected.id(), vaultId,
        expected.identityKey(), new CredentialKind.McpOAuth("https://github.example.com/mcp",
            Protocol.STREAMABLE_HTTP, Optional.empty(), Optional.empty()),
        "GitHub", Map.of(), Status.ACTIVE, null, T0, t2,
        EncryptedSecrets.of(ct(1, "gh access 3")));
    assertEquals(WriteOutcome.OK, store.updateCredential(noRefresh, t1, Journal.NONE));
    assertEquals(Optional.of(noRefresh), store.findCredential(ACCOUNT, vaultId, noRefresh.id()));
    List<Object> secrets = storedSecrets(noRefresh.id());
    assertNull(secrets.get(1), "refresh_token");
    assertNull(secrets.get(2), "client_secret");
    CredentialRow envChanged = new CredentialRow(ACCOUNT, envLimited.id(), vaultId,
        envLimited.identityKey(), new CredentialKind.EnvironmentVariable("OPENAI_API_KEY",
            Networking.unrestricted(), new InjectionLocation(true, true)),
        envLimited.displayName(), Map.of(), Status.ACTIVE, null, T0, t2,
        EncryptedSecrets.of(ct(1, "openai 2")));
    assertEquals(WriteOutcome.OK, store.updateCredential(envChanged, T0, Journal.NONE));
    assertEquals(Optional.of(envChanged), store.findCredential(ACCOUNT, vaultId,
        envChanged.id()));

    // Re-encryption: all three secrets move to another key, only while the primary is unchanged.
    EncryptedSecrets onKey2 = new EncryptedSecrets(ct(2, "pub access"), ct(2, "pub refresh"),
        ct(2, "pub client"));
    assertFalse(store.replaceSecrets(ACCOUNT, oauthPublic.id(), ct(1, "stale"), onKey2));
    assertTrue(store.replaceSecrets(ACCOUNT, oauthPublic.id(), oauthPublic.token(), onKey2));
    assertEquals(Optional.of(oauthPublic.withSecrets(onKey2)),
        store.findCredential(ACCOUNT, vaultId, oauthPublic.id()));
    assertEquals(List.of(oauthPublic.withSecrets(onKey2)), store.findTokensOnKey(2, null, 10));
    assertEquals(5, store.countTokensNotOnKey(2));
    assertFalse(store.replaceSecrets("acct_other", oauthPublic.id(), onKey2.token(),
        EncryptedSecrets.of(ct(2, "x"))));

    // Archive purges every secret and frees the identity; an archived row cannot be updated.
    Instant t3 = t2.plusSeconds(60);
    assertEquals(WriteOutcome.OK, store.archiveCredential(ACCOUNT, vaultId, oauthPublic.id(), t3,
        Journal.NONE));
    CredentialRow archived = store.findCredential(ACCOUNT, vaultId, oauthPublic.id()).orElseThrow();
    assertEquals(oauthPublic.withSecrets(onKey2).archived(t3), archived);
    assertEquals(Arrays.asList(null, null, null, null), storedSecrets(oauthPublic.id()));
    assertEquals(WriteOutcome.ARCHIVED, store.updateCredential(oauthPublic.withSecrets(onKey2),
        oauthPublic.updatedAt(), Journal.NONE));
    assertEquals(WriteOutcome.ARCHIVED, store.updateCredential(archived, t3, Journal.NONE));
    assertEquals(List.of(), store.findActiveCredentials(ACCOUNT, List.of(vaultId),
        oauthPublic.identityKey()));
    CredentialRow again = row(vaultId, oauthPublic.identityKey(), oauthPublic.kind(), null,
        Map.of(), new EncryptedSecrets(ct(2, "a"), ct(2, "r"), null));
    assertEquals(WriteOutcome.OK, store.insertCredential(again, Journal.NONE));
    assertEquals(List.of(again), store.findActiveCredentials(ACCOUNT, List.of(vaultId),
        oauthPublic.identityKey()));

    // Archiving the vault purges all its secrets at once.
    CredentialRow withAll = row(vaultId, "https://all.example.com/mcp", oauthRefresh.kind(),
        "all", Map.of(), new EncryptedSecrets(ct(1, "a"), ct(1, "r"), ct(1, "c")));
    assertEquals(WriteOutcome.OK, store.insertCredential(withAll, Journal.NONE));
    assertEquals(WriteOutcome.OK, store.archiveVault(ACCOUNT, vaultId, t3.plusSeconds(1),
        Journal.NONE));
    long secretsLeft = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM "
        + "<prefix>credentials WHERE token IS NOT NULL OR refresh_token IS NOT NULL OR "
        + "client_secret IS NOT NULL OR token_key_id IS NOT NULL").mapTo(Long.class).one());
    assertEquals(0, secretsLeft);
    assertEquals(oauthRefresh.kind(), store.findCredential(ACCOUNT, vaultId, withAll.id())
        .orElseThrow().kind(), "an archived credential keeps its non-secret fields");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void everyKindThroughTheEngine(String db) throws Exception {
    open(db);
    KeyEncryptionKey kek = KeyEncryptionKey.localKeysetFile(dir.resolve("kek.json"));
    String accessToken = "kinds-access-token-0001";
    String refreshToken = "kinds-refresh-token-0002";
    String clientSecret = "kinds-client-secret-0003";
    String envValue = "kinds-env-value-0004";
    String bearerToken = "kinds-bearer-token-0005";
    try (VaultEngine engine = VaultEngine.builder().store(new NonClosingStore(store))
        .keyEncryptionKey(kek).tokenCacheSize(0).build()) {
      VaultService svc = engine.forAccount(ACCOUNT);
      var created = svc.createVault(CreateVaultRequest.builder().displayName("Engine kinds")
          .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
              .mcpServerUrl("https://mcp.github.example.com/mcp").protocol(Protocol.SSE)
              .accessToken(accessToken)
              .expiresAt(Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
              .refresh(new OAuthRefreshRequest("https://auth.example.com/token", "client-1",
                  "repo", null, Secret.of(refreshToken),
                  TokenEndpointAuth.basic(Secret.of(clientSecret))))
              .displayName("GitHub").putMetadata("team", "dev").build())
          .addCredential(CreateCredentialRequest.builder()
              .type(CredentialType.ENVIRONMENT_VARIABLE).secretName("API_KEY")
              .secretValue(Secret.of(envValue))
              .networking(Networking.limited(List.of("api.example.com")))
              .injectionLocation(new InjectionLocation(true, false)).build())
          .addCredential(CreateCredentialRequest.builder()
              .mcpServerUrl("https://static.example.com/mcp").protocol(Protocol.SSE)
              .accessToken(bearerToken).build())
          .build());
      String vaultId = created.vault().id();
      Credential oauth = created.credentials().get(0);
      Credential env = created.credentials().get(1);
      assertEquals(oauth, svc.getCredential(vaultId, oauth.id()));
      assertEquals(env, svc.getCredential(vaultId, env.id()));

      VaultSession session = svc.openSession(List.of(vaultId));
      assertTrue(session.resolve("https://mcp.github.example.com/mcp").orElseThrow()
          .accessToken().sameAs(Secret.of(accessToken)));
      Function<String, String> substituted = host -> session.substitute(HttpRequest
              .newBuilder(URI.create("https://" + host + "/v1"))
              .header("Authorization", "Bearer " + session.environment().get("API_KEY")).build())
          .headers().firstValue("Authorization").orElseThrow();
      assertEquals("Bearer " + envValue, substituted.apply("api.example.com"));
      assertFalse(substituted.apply("evil.example.com").contains(envValue));

      // Update the access token alone, then the environment value alone.
      Credential oauth2 = svc.updateCredential(vaultId, oauth.id(),
          UpdateCredentialRequest.builder(CredentialType.MCP_OAUTH).accessToken("kinds-access-2")
              .refresh(RefreshPatch.empty().withScope(null)).displayName(null).build());
      assertEquals(Optional.empty(), oauth2.displayName());
      assertEquals(Optional.empty(), ((CredentialKind.McpOAuth) oauth2.kind()).refresh()
          .orElseThrow().scope());
      assertEquals(oauth2, svc.getCredential(vaultId, oauth.id()));
      assertTrue(session.resolve("https://mcp.github.example.com/mcp").orElseThrow()
          .accessToken().sameAs(Secret.of("kinds-access-2")));
      svc.updateCredential(vaultId, env.id(), UpdateCredentialRequest
          .builder(CredentialType.ENVIRONMENT_VARIABLE).secretValue(Secret.of("kinds-env-2"))
          .build());
      assertEquals("Bearer kinds-env-2", substituted.apply("api.example.com"));

      // A new data key and re-encryption: every secret of every kind decrypts (bound to its
      // credential and field as stored) and moves; each still serves afterwards.
      engine.keys().rotateDataKey();
      ReencryptionReport report = engine.keys().reencrypt(100);
      assertEquals(List.of(), report.failedCredentialIds());
      assertEquals(3, report.reencrypted());
      assertEquals(0, report.remaining());
      assertTrue(session.resolve("https://mcp.github.example.com/mcp").orElseThrow()
          .accessToken().sameAs(Secret.of("kinds-access-2")));
      assertTrue(session.resolve("https://static.example.com/mcp").orElseThrow()
          .accessToken().sameAs(Secret.of(bearerToken)));
      assertEquals("Bearer kinds-env-2", substituted.apply("api.example.com"));
      long refreshTokens = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM "
          + "<prefix>credentials WHERE refresh_token IS NOT NULL AND client_secret IS NOT NULL")
          .mapTo(Long.class).one());
      assertEquals(1, refreshTokens, "the refresh token and client secret were kept");

      // Archive: the name is free again, and no secret is left in the row.
      svc.archiveCredential(vaultId, oauth.id());
      assertEquals(Arrays.asList(null, null, null, null), storedSecrets(oauth.id()));
      assertEquals(Optional.empty(), session.resolve("https://mcp.github.example.com/mcp"));
    }
    if (!db.equals("postgresql") && !db.equals("mariadb")) {
      // No secret in any file of the store's directory.
      PlaintextScanner scanner = new PlaintextScanner(List.of(accessToken, refreshToken,
          clientSecret, envValue, bearerToken, "kinds-access-2", "kinds-env-2"));
      store.close();
      store = null;
      try (Stream<Path> files = Files.walk(dir.resolve(db))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertEquals(List.of(), scanner.findIn(Files.readAllBytes(f)), f.toString());
        }
      }
    }
  }
}
