package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.ReencryptionReport;
import dev.vaultengine.Status;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultEngine;
import dev.vaultengine.VaultException;
import dev.vaultengine.VaultSession;
import dev.vaultengine.spi.CredentialRow;
import dev.vaultengine.spi.EncryptedSecrets;
import dev.vaultengine.spi.WriteOutcome;
import dev.vaultengine.testkit.StoredSecrets.Field;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The credential kinds ({@code static_bearer}, {@code mcp_oauth}, {@code environment_variable})
 * as every store must keep them: each kind's fields read back as written, the identity rules
 * (one active credential per vault and MCP URL, whatever its kind; one per vault and secret name),
 * and {@code updateCredential}'s merge patch: each secret replaced alone while the others keep
 * their values, every other field patched or kept, updates from two writers both applied, and a
 * session that sees an update at its next call. The field rules' errors are in
 * {@link BadInputContract}, the per-field encryption in {@link EncryptionContract}.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code CredentialKinds}; it runs alone for one store by its tag,
 * {@code -Dtest=MyStoreContractTest -Dgroups=credential-kinds}, or in a class of its own that
 * extends it and returns the store's {@link #fixture()}.
 */
@org.junit.jupiter.api.Tag("credential-kinds")
public abstract class CredentialKindsContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected CredentialKindsContract() {}

  private static final String HEADER = "X-Api-Key";

  // ---------------------------------------------------------------- helpers

  private static UpdateCredentialRequest.Builder updateOf(CredentialType type) {
    return UpdateCredentialRequest.builder(type);
  }

  /** Compares a secret without printing it when it differs. */
  private static void assertSecret(String expected, String actual, String what) {
    assertTrue(Objects.equals(expected, actual), what + " (values not shown)");
  }

  private String read(Credential c, Field field) {
    return storedSecrets().read(stored(c), field);
  }

  private Credential get(Credential c) {
    return vaults.getCredential(c.vaultId(), c.id());
  }

  private static CredentialKind.McpOAuth oauthKind(Credential c) {
    return (CredentialKind.McpOAuth) c.kind();
  }

  private static CredentialKind.EnvironmentVariable envKind(Credential c) {
    return (CredentialKind.EnvironmentVariable) c.kind();
  }

  /** The resolved access token of {@code url} in {@code vaultId}, in clear. */
  private String resolved(String vaultId, String url) {
    return vaults.openSession(List.of(vaultId)).resolve(url).orElseThrow().accessToken().reveal();
  }

  /**
   * {@code session}'s substitution of a request to {@code host} carrying {@code placeholder} in a
   * header and in the body: the header's value and the body afterwards.
   */
  static List<String> substituted(VaultSession session, String host, String placeholder) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + host + "/v1/call"))
        .header(HEADER, placeholder)
        .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + placeholder + "\"}"))
        .build();
    HttpRequest out = session.substitute(request);
    return List.of(out.headers().firstValue(HEADER).orElseThrow(), body(out));
  }

  /** The body of {@code request}, read whole. */
  static String body(HttpRequest request) {
    HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElseThrow();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        out.writeBytes(chunk);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(out.toByteArray());
      }
    });
    try {
      return new String(done.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (Exception e) {
      throw new AssertionError("the substituted body could not be read", e);
    }
  }

  private static String jsonBody(String value) {
    return "{\"key\":\"" + value + "\"}";
  }

  // ---------------------------------------------------------------- create and read

  @Test
  void everyKindIsCreatedWithItsFieldsAndReadBackAsWritten() {
    String oauthUrl = "https://mcp.linear.example/sse";
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("kinds")
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://Example.com/mcp")
            .protocol(Protocol.SSE).accessToken(secret("at_static_kind_1"))
            .displayName("static one").putMetadata("team", "infra").build())
        .addCredential(oauthBuilder(oauthUrl).protocol(Protocol.SSE)
            .refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, "linear-client", "read write",
                "https://mcp.linear.example/", secret("rt_kind_1"),
                TokenEndpointAuth.post(secret("cs_kind_1"))))
            .displayName("Linear").putMetadata("owner", "me").build())
        .addCredential(envBuilder("OPENAI_API_KEY")
            .networking(Networking.limited(List.of("api.openai.example", "10.1.2.3",
                "*.openai.example")))
            .injectionLocation(new InjectionLocation(true, false)).build())
        .build());
    List<Credential> c = v.credentials();
    assertEquals(3, c.size());

    Credential st = c.get(0);
    assertEquals(CredentialType.STATIC_BEARER, st.type());
    assertEquals(new CredentialKind.StaticBearer("https://Example.com/mcp", Protocol.SSE),
        st.kind());
    assertEquals(Optional.of("static one"), st.displayName());
    assertEquals(Map.of("team", "infra"), st.metadata());

    Credential oa = c.get(1);
    assertEquals(CredentialType.MCP_OAUTH, oa.type());
    assertEquals(new CredentialKind.McpOAuth(oauthUrl, Protocol.SSE,
        Optional.of(T0.plus(Duration.ofDays(1))), Optional.of(new OAuthRefresh(TOKEN_ENDPOINT,
            "linear-client", Optional.of("read write"), Optional.of("https://mcp.linear.example/"),
            TokenEndpointAuthMethod.CLIENT_SECRET_POST))), oa.kind());
    assertEquals(oauthUrl, oa.mcpServerUrl());
    assertEquals(Protocol.SSE, oa.protocol());
    assertEquals(Optional.of("Linear"), oa.displayName());
    assertEquals(Map.of("owner", "me"), oa.metadata());

    Credential en = c.get(2);
    assertEquals(CredentialType.ENVIRONMENT_VARIABLE, en.type());
    assertEquals(new CredentialKind.EnvironmentVariable("OPENAI_API_KEY",
        Networking.limited(List.of("api.openai.example", "10.1.2.3", "*.openai.example")),
        new InjectionLocation(true, false)), en.kind());
    assertNull(en.mcpServerUrl());
    assertNull(en.protocol());
    assertEquals(Optional.empty(), en.displayName());
    assertEquals(Map.of(), en.metadata());

    for (Credential x : c) {
      assertEquals(Status.ACTIVE, x.status());
      assertEquals(T0, x.createdAt());
      assertEquals(x, get(x), "get returns the credential as created");
    }
    assertEquals(List.of(en, oa, st), vaults.listCredentials(v.vault().id(), null).data(),
        "the list shows every kind, newest first");

    // Standalone creates of every kind read back the same way.
    String vaultId = v.vault().id();
    Credential st2 = vaults.createCredential(vaultId, credential("https://two.example/mcp"));
    Credential oa2 = vaults.createCredential(vaultId, oauth("https://three.example/mcp"));
    Credential en2 = vaults.createCredential(vaultId, env("SECOND_KEY"));
    for (Credential x : List.of(st2, oa2, en2)) {
      assertEquals(x, get(x));
    }
    assertEquals(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
        oauthKind(oa2).refresh().orElseThrow().tokenEndpointAuth());

    // What was written is what is stored, field by field.
    StoredSecrets ss = storedSecrets();
    assertSecret("at_static_kind_1", ss.read(stored(st), Field.ACCESS_TOKEN), "static token");
    assertSecret(accessTokenFor(oauthUrl), ss.read(stored(oa), Field.ACCESS_TOKEN),
        "oauth access token");
    assertSecret("rt_kind_1", ss.read(stored(oa), Field.REFRESH_TOKEN), "refresh token");
    assertSecret("cs_kind_1", ss.read(stored(oa), Field.CLIENT_SECRET), "client secret");
    assertSecret(secretValueFor("OPENAI_API_KEY"), ss.read(stored(en), Field.SECRET_VALUE),
        "secret value");
    assertNull(ss.read(stored(st), Field.REFRESH_TOKEN));
    assertNull(ss.read(stored(en), Field.CLIENT_SECRET));
    assertSecret(accessTokenFor(oauthUrl), resolved(vaultId, oauthUrl), "resolved oauth token");
  }

  @Test
  void fieldRulesAcceptEveryValueAtTheirBounds() {
    String vaultId = createVault("bounds", "https://bounds.example/mcp").vault().id();
    List<CreateCredentialRequest> valid = new ArrayList<>();
    int[] n = {0};
    java.util.function.Function<OAuthRefreshRequest, CreateCredentialRequest> withGrant =
        g -> oauthBuilder("https://b" + (n[0]++) + ".example/mcp").refresh(g).build();
    for (String endpoint : List.of("http://127.0.0.1:8080/token", "http://127.255.0.9/t",
        "http://localhost/token", "http://LOCALHOST:9000/token", "http://[::1]:9000/token",
        "https://auth.example.com/oauth/token", "https://10.0.0.1/token")) {
      valid.add(withGrant.apply(new OAuthRefreshRequest(endpoint, "c", null, null,
          secret("rt_bounds_" + n[0]), TokenEndpointAuth.none())));
    }
    valid.add(withGrant.apply(new OAuthRefreshRequest(TOKEN_ENDPOINT, "c", null, null,
        secret("rt_bounds_null_auth"), null)));
    valid.add(withGrant.apply(new OAuthRefreshRequest(TOKEN_ENDPOINT, "x".repeat(1024),
        "s".repeat(1024), "https://resource.example/mcp", secret("r".repeat(8192)),
        TokenEndpointAuth.post(secret("c".repeat(8192))))));
    valid.add(withGrant.apply(new OAuthRefreshRequest(TOKEN_ENDPOINT, "\u00e9", "openid",
        null, secret("rt with spaces ~!"), TokenEndpointAuth.basic(secret("cs with spaces")))));
    valid.add(oauthBuilder("https://b-max.example/mcp").accessToken(secret("a".repeat(8192)))
        .expiresAt(T0.plus(1, ChronoUnit.MICROS)).refresh(null).build());
    valid.add(oauthBuilder("https://b-late.example/mcp")
        .expiresAt(Instant.parse("9999-12-31T23:59:59.999999Z")).build());
    valid.add(oauthBuilder("https://b-none.example/mcp").expiresAt(null).refresh(null).build());
    valid.add(envBuilder("_").build());
    valid.add(envBuilder("a").build());
    valid.add(envBuilder("A1_b2").build());
    valid.add(envBuilder("K".repeat(255)).build());
    valid.add(envBuilder("MAX_VALUE").secretValue(secret("v".repeat(8192))).build());
    // Any text but controls when substituted into the body only; a header takes ASCII.
    valid.add(envBuilder("UNICODE_VALUE").injectionLocation(new InjectionLocation(false, true))
        .secretValue(secret("wert \u00fcn\u00efc\u00f8d\u00e9\t\uD83D\uDD11 ok")).build());
    valid.add(envBuilder("ASCII_HEADER_VALUE").injectionLocation(new InjectionLocation(true, true))
        .secretValue(secret("v a l u e\t~!@#$%^&*()_+{}|:<>?")).build());
    valid.add(envBuilder("HEADER_ONLY").injectionLocation(new InjectionLocation(true, false))
        .build());
    valid.add(envBuilder("BODY_ONLY").injectionLocation(new InjectionLocation(false, true))
        .build());
    valid.add(envBuilder("SIXTEEN_HOSTS").networking(Networking.limited(List.of(
        "api.example.com", "localhost", "10.0.0.1", "*.example.com", "API.Example.COM",
        "xn--bcher-kva.example", "a-b.example", "255.255.255.255", "0.0.0.0", "1password.com",
        "*.co.uk", "a".repeat(63) + ".example", "host", "*.a.b.c.example",
        "123.example", "e" + ".x".repeat(100)))).build());
    for (CreateCredentialRequest.Builder b : List.of(
        CreateCredentialRequest.builder().mcpServerUrl("https://b-static.example/mcp")
            .protocol(Protocol.SSE).accessToken(secret("at_bounds_static")),
        oauthBuilder("https://b-meta.example/mcp"), envBuilder("META_KEY"))) {
      Map<String, String> metadata = new LinkedHashMap<>();
      for (int i = 0; i < 15; i++) {
        metadata.put("k" + i, "v");
      }
      metadata.put("k".repeat(64), "line\nbreak\ttab " + "v".repeat(496));
      valid.add(b.displayName("\uD83D\uDD11".repeat(255)).metadata(metadata).build());
    }
    valid.add(CreateCredentialRequest.builder().mcpServerUrl("https://b-name.example/mcp")
        .protocol(Protocol.SSE).accessToken(secret("at_bounds_name"))
        .displayName("d".repeat(255)).build());
    for (CreateCredentialRequest r : valid) {
      Credential c = vaults.createCredential(vaultId, r);
      assertEquals(c, get(c));
      assertEquals(r.type(), c.type());
      assertEquals(Optional.ofNullable(r.displayName()), c.displayName());
      assertEquals(r.metadata() == null ? Map.of() : r.metadata(), c.metadata());
      if (c.kind() instanceof CredentialKind.EnvironmentVariable e) {
        assertEquals(r.secretName(), e.secretName());
        assertEquals(r.networking(), e.networking());
        assertEquals(r.injectionLocation(), e.injectionLocation());
        assertSecret(r.secretValue().reveal(), read(c, Field.SECRET_VALUE), "secret value");
      } else if (c.kind() instanceof CredentialKind.McpOAuth o) {
        assertEquals(Optional.ofNullable(r.expiresAt()), o.expiresAt());
        assertEquals(r.refresh() == null, o.refresh().isEmpty());
        if (r.refresh() != null) {
          OAuthRefresh g = o.refresh().get();
          assertEquals(r.refresh().tokenEndpoint(), g.tokenEndpoint());
          assertEquals(r.refresh().clientId(), g.clientId());
          assertEquals(Optional.ofNullable(r.refresh().scope()), g.scope());
          assertEquals(Optional.ofNullable(r.refresh().resource()), g.resource());
          TokenEndpointAuth auth = r.refresh().tokenEndpointAuth();
          assertEquals(auth == null ? TokenEndpointAuthMethod.NONE : auth.type(),
              g.tokenEndpointAuth());
          assertSecret(r.refresh().refreshToken().reveal(), read(c, Field.REFRESH_TOKEN),
              "refresh token");
          assertSecret(auth == null || auth.clientSecret() == null ? null
              : auth.clientSecret().reveal(), read(c, Field.CLIENT_SECRET), "client secret");
        }
        assertSecret(r.accessToken().reveal(), read(c, Field.ACCESS_TOKEN), "access token");
      }
    }
  }

  // ---------------------------------------------------------------- identity rules

  @Test
  void aSecretNameIsUniqueAmongAVaultsActiveCredentialsOnly() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("env")
        .addCredential(env("API_KEY")).build());
    String vaultId = v.vault().id();
    Credential first = v.credentials().get(0);
    String dup = "A credential already exists for this secret name.";
    assertError(ErrorType.CONFLICT, dup, "secret_name",
        () -> vaults.createCredential(vaultId, env("API_KEY")));
    // Another vault, or an MCP credential, never collides with it.
    String other = vaults.createVault(CreateVaultRequest.builder().displayName("other")
        .addCredential(env("API_KEY")).build()).vault().id();
    vaults.createCredential(vaultId, credential("https://api-key.example/mcp"));
    vaults.createCredential(vaultId, env("api_key"));

    // Archiving frees the name; the new credential is the one a session substitutes.
    vaults.archiveCredential(vaultId, first.id());
    Credential second = vaults.createCredential(vaultId, envBuilder("API_KEY")
        .secretValue(secret("sv_api_key_second")).build());
    assertNotEquals(first.id(), second.id());
    VaultSession session = vaults.openSession(List.of(vaultId, other));
    String placeholder = session.environment().get("API_KEY");
    assertNotNull(placeholder);
    assertSecret(jsonBody("sv_api_key_second"),
        substituted(session, "api.example.com", placeholder).get(1),
        "the active credential's value is substituted");
    assertError(ErrorType.CONFLICT, dup, "secret_name",
        () -> vaults.createCredential(vaultId, env("API_KEY")));

    // Rotation keeps the name taken; deletion frees it.
    Credential rotated = vaults.rotateCredential(vaultId, second.id(), secret("sv_rotated_3"));
    assertEquals("API_KEY", envKind(rotated).secretName());
    assertError(ErrorType.CONFLICT, dup, "secret_name",
        () -> vaults.createCredential(vaultId, env("API_KEY")));
    vaults.deleteCredential(vaultId, rotated.id());
    vaults.createCredential(vaultId, env("API_KEY"));
    assertEquals(5, vaults.listCredentials(vaultId, ListRequest.builder().includeArchived(true)
        .build()).data().size());
  }

  @Test
  void mcpOauthAndStaticBearerShareTheOneCredentialPerUrlRule() {
    String url = "https://mcp.shared.example/mcp";
    CreatedVault v = createVault("v", url);
    String vaultId = v.vault().id();
    String dup = "A credential already exists for this MCP server URL.";
    assertError(ErrorType.CONFLICT, dup, "mcp_server_url",
        () -> vaults.createCredential(vaultId, oauth("HTTPS://mcp.SHARED.example:443/mcp")));
    vaults.archiveCredential(vaultId, v.credentials().get(0).id());
    Credential o = vaults.createCredential(vaultId, oauth(url));
    assertSecret(accessTokenFor(url), resolved(vaultId, "https://MCP.shared.example/mcp"),
        "the mcp_oauth credential resolves for the URL");
    assertEquals(o.id(), vaults.openSession(List.of(vaultId)).resolve(url).orElseThrow()
        .credentialId());
    assertError(ErrorType.CONFLICT, dup, "mcp_server_url",
        () -> vaults.createCredential(vaultId, credential(url)));
    assertError(ErrorType.CONFLICT, dup, "mcp_server_url",
        () -> vaults.createCredential(vaultId, oauth(url)));
    Credential rotated = vaults.rotateCredential(vaultId, o.id(), secret("at_shared_rotated"));
    assertEquals(url, rotated.mcpServerUrl());
    assertError(ErrorType.CONFLICT, dup, "mcp_server_url",
        () -> vaults.createCredential(vaultId, credential(url)));
    // A session's first vault wins whatever the kinds.
    String second = vaults.createVault(CreateVaultRequest.builder().displayName("second")
        .addCredential(credential(url, "tok_second_vault_static")).build()).vault().id();
    assertEquals(rotated.id(), vaults.openSession(List.of(vaultId, second)).resolve(url)
        .orElseThrow().credentialId());
    assertSecret("tok_second_vault_static", vaults.openSession(List.of(second, vaultId))
        .resolve(url).orElseThrow().accessToken().reveal(), "first vault wins");
  }

  // ---------------------------------------------------------------- update

  @Test
  void eachSecretIsReplacedAloneWhileTheOthersKeepTheirValues() {
    String url = "https://secrets.example/mcp";
    Credential c = vaults.createCredential(createVault("v", "https://x.example/mcp").vault().id(),
        oauth(url));
    String vaultId = c.vaultId();
    String at = accessTokenFor(url);
    String rt = refreshTokenFor(url);
    String cs = clientSecretFor(url);
    CredentialKind kind = c.kind();

    clock.advance(Duration.ofSeconds(1));
    Credential u = vaults.updateCredential(vaultId, c.id(),
        updateOf(CredentialType.MCP_OAUTH).accessToken(secret("at_replaced_1")).build());
    at = "at_replaced_1";
    assertEquals(kind, u.kind(), "a secret update changes no other field");
    assertEquals(c.id(), u.id());
    assertEquals(T0.plusSeconds(1), u.updatedAt());
    assertEquals(u, get(c));
    assertSecret(at, resolved(vaultId, url), "the new access token resolves");
    assertSecret(at, read(c, Field.ACCESS_TOKEN), "stored access token");
    assertSecret(rt, read(c, Field.REFRESH_TOKEN), "the refresh token is kept");
    assertSecret(cs, read(c, Field.CLIENT_SECRET), "the client secret is kept");

    clock.advance(Duration.ofSeconds(1));
    u = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .refresh(RefreshPatch.empty().withRefreshToken(secret("rt_replaced_2"))).build());
    rt = "rt_replaced_2";
    assertEquals(kind, u.kind());
    assertSecret(at, resolved(vaultId, url), "the access token is kept");
    assertSecret(rt, read(c, Field.REFRESH_TOKEN), "the new refresh token is stored");
    assertSecret(cs, read(c, Field.CLIENT_SECRET), "the client secret is kept");

    clock.advance(Duration.ofSeconds(1));
    u = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .refresh(RefreshPatch.empty().withTokenEndpointAuth(
            TokenEndpointAuth.basic(secret("cs_replaced_3")))).build());
    cs = "cs_replaced_3";
    assertEquals(kind, u.kind());
    assertSecret(at, resolved(vaultId, url), "the access token is kept");
    assertSecret(rt, read(c, Field.REFRESH_TOKEN), "the refresh token is kept");
    assertSecret(cs, read(c, Field.CLIENT_SECRET), "the new client secret is stored");

    // Nothing but a non-secret field: every secret keeps its value.
    u = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .displayName("renamed").build());
    assertSecret(at, resolved(vaultId, url), "the access token is kept");
    assertSecret(rt, read(c, Field.REFRESH_TOKEN), "the refresh token is kept");
    assertSecret(cs, read(c, Field.CLIENT_SECRET), "the client secret is kept");

    // Every secret still decrypts where the engine itself reads it: re-encryption reads all.
    engine.keys().rotateDataKey();
    ReencryptionReport report = engine.keys().reencrypt(10);
    assertEquals(List.of(), report.failedCredentialIds());
    assertEquals(2, report.reencrypted(), "the static credential and the updated one");
    assertSecret(at, resolved(vaultId, url), "the access token after re-encryption");
    assertSecret(rt, read(c, Field.REFRESH_TOKEN), "the refresh token after re-encryption");
    assertSecret(cs, read(c, Field.CLIENT_SECRET), "the client secret after re-encryption");

    // The other kinds' one secret.
    Credential e = vaults.createCredential(vaultId, env("REPLACED_KEY"));
    VaultSession session = vaults.openSession(List.of(vaultId));
    String placeholder = session.environment().get("REPLACED_KEY");
    Credential eu = vaults.updateCredential(vaultId, e.id(),
        updateOf(CredentialType.ENVIRONMENT_VARIABLE).secretValue(secret("sv_replaced_4"))
            .build());
    assertEquals(e.kind(), eu.kind());
    assertSecret(jsonBody("sv_replaced_4"),
        substituted(session, "api.example.com", placeholder).get(1), "the new value");
    assertSecret("sv_replaced_4", read(e, Field.SECRET_VALUE), "the stored value");
    Credential s = vaults.getCredential(vaultId, vaults.listCredentials(vaultId,
        ListRequest.builder().name("x.example").build()).data().get(0).id());
    vaults.updateCredential(vaultId, s.id(), updateOf(CredentialType.STATIC_BEARER)
        .accessToken(secret("tok_static_replaced_5")).build());
    assertSecret("tok_static_replaced_5", resolved(vaultId, "https://x.example/mcp"),
        "the new static token");
  }

  @Test
  void anUpdatePatchesTheFieldsGivenAndKeepsTheOthers() {
    Credential c = vaults.createCredential(createVault("v", "https://x.example/mcp").vault().id(),
        oauthBuilder("https://patch.example/mcp").displayName("first")
            .putMetadata("a", "1").putMetadata("b", "2").build());
    String vaultId = c.vaultId();
    CredentialKind.McpOAuth k = oauthKind(c);
    OAuthRefresh g = k.refresh().orElseThrow();

    clock.advance(Duration.ofSeconds(5));
    Credential u = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .removeMetadata("a").putMetadata("c", "3").putMetadata("missing", null).build());
    assertEquals(Map.of("b", "2", "c", "3"), u.metadata(), "null removes, a value upserts");
    assertEquals(Optional.of("first"), u.displayName());
    assertEquals(k, u.kind());
    assertEquals(c.createdAt(), u.createdAt());
    assertEquals(T0.plusSeconds(5), u.updatedAt());
    assertEquals(Status.ACTIVE, u.status());
    assertEquals(u, get(c));

    Instant later = T0.plus(Duration.ofDays(30));
    u = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .displayName("second").expiresAt(later).protocol(Protocol.SSE)
        .refresh(RefreshPatch.empty().withScope("read").withResource("https://patch.example/"))
        .build());
    assertEquals(Optional.of("second"), u.displayName());
    assertEquals(new CredentialKind.McpOAuth(k.mcpServerUrl(), Protocol.SSE, Optional.of(later),
        Optional.of(new OAuthRefresh(g.tokenEndpoint(), g.clientId(), Optional.of("read"),
            Optional.of("https://patch.example/"), g.tokenEndpointAuth()))), u.kind());
    assertEquals(Map.of("b", "2", "c", "3"), u.metadata());
    assertEquals(u, get(c));

    u = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .displayName(null).expiresAt(null)
        .refresh(RefreshPatch.empty().withScope(null).withResource(null)).build());
    assertEquals(Optional.empty(), u.displayName(), "display_name: null clears it");
    assertEquals(new CredentialKind.McpOAuth(k.mcpServerUrl(), Protocol.SSE, Optional.empty(),
        Optional.of(new OAuthRefresh(g.tokenEndpoint(), g.clientId(), Optional.empty(),
            Optional.empty(), g.tokenEndpointAuth()))), u.kind(),
        "expires_at, scope and resource: null clears them");
    assertEquals(u, get(c));
    assertSecret(accessTokenFor("https://patch.example/mcp"),
        resolved(vaultId, "https://patch.example/mcp"), "the token is kept");

    // The other kinds.
    Credential e = vaults.createCredential(vaultId, env("PATCHED"));
    Credential eu = vaults.updateCredential(vaultId, e.id(),
        updateOf(CredentialType.ENVIRONMENT_VARIABLE)
            .networking(Networking.limited(List.of("*.example.com")))
            .injectionLocation(new InjectionLocation(false, true)).putMetadata("k", "v")
            .build());
    assertEquals(new CredentialKind.EnvironmentVariable("PATCHED",
        Networking.limited(List.of("*.example.com")), new InjectionLocation(false, true)),
        eu.kind());
    assertEquals(Map.of("k", "v"), eu.metadata());
    assertEquals(eu, get(e));
    assertSecret(secretValueFor("PATCHED"), read(e, Field.SECRET_VALUE), "the value is kept");
    Credential s = vaults.listCredentials(vaultId, ListRequest.builder().name("x.example")
        .build()).data().get(0);
    Credential su = vaults.updateCredential(vaultId, s.id(),
        updateOf(CredentialType.STATIC_BEARER).protocol(Protocol.SSE).displayName("st").build());
    assertEquals(new CredentialKind.StaticBearer("https://x.example/mcp", Protocol.SSE),
        su.kind());
    assertEquals(su, get(s));
    assertSecret(tokenFor("https://x.example/mcp"), resolved(vaultId, "https://x.example/mcp"),
        "the static token is kept");
  }

  @Test
  void theClientAuthenticationMethodKeepsOrDropsTheClientSecret() {
    String url = "https://auth-methods.example/mcp";
    Credential c = vaults.createCredential(createVault("v", "https://x.example/mcp").vault().id(),
        oauth(url));
    String vaultId = c.vaultId();
    UpdateCredentialRequest.Builder u = updateOf(CredentialType.MCP_OAUTH);

    // basic -> post without a secret: the stored one is kept.
    Credential p = vaults.updateCredential(vaultId, c.id(), u.refresh(RefreshPatch.empty()
        .withTokenEndpointAuth(TokenEndpointAuth.post(null))).build());
    assertEquals(TokenEndpointAuthMethod.CLIENT_SECRET_POST,
        oauthKind(p).refresh().orElseThrow().tokenEndpointAuth());
    assertSecret(clientSecretFor(url), read(c, Field.CLIENT_SECRET), "kept for post");

    // -> none: the client secret goes.
    Credential none = vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .refresh(RefreshPatch.empty().withTokenEndpointAuth(TokenEndpointAuth.none())).build());
    assertEquals(TokenEndpointAuthMethod.NONE,
        oauthKind(none).refresh().orElseThrow().tokenEndpointAuth());
    assertNull(stored(c).secrets().clientSecret(), "a public client keeps no client secret");
    assertSecret(refreshTokenFor(url), read(c, Field.REFRESH_TOKEN), "the refresh token stays");

    // none -> basic needs a secret, and then holds it.
    assertError(ErrorType.INVALID_REQUEST, "Field 'client_secret' is required for "
        + "client_secret_basic.", "refresh.token_endpoint_auth.client_secret",
        () -> vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
            .refresh(RefreshPatch.empty().withTokenEndpointAuth(TokenEndpointAuth.basic(null)))
            .build()));
    vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
        .refresh(RefreshPatch.empty().withTokenEndpointAuth(
            TokenEndpointAuth.basic(secret("cs_back_to_basic")))).build());
    assertSecret("cs_back_to_basic", read(c, Field.CLIENT_SECRET), "the new client secret");

    // refresh: null removes the grant and both of its secrets; the access token stays.
    Credential bare = vaults.updateCredential(vaultId, c.id(),
        updateOf(CredentialType.MCP_OAUTH).refresh(null).build());
    assertEquals(Optional.empty(), oauthKind(bare).refresh());
    EncryptedSecrets left = stored(c).secrets();
    assertNull(left.refreshToken());
    assertNull(left.clientSecret());
    assertSecret(accessTokenFor(url), resolved(vaultId, url), "the access token stays");
    assertEquals(bare, get(c));
  }

  @Test
  void anArchivedCredentialOfAnyKindRefusesUpdates() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(credential("https://s.example/mcp"))
        .addCredential(oauth("https://o.example/mcp")).addCredential(env("ARCHIVED_ENV"))
        .build());
    String vaultId = v.vault().id();
    vaults.archiveVault(vaultId);
    List<UpdateCredentialRequest> updates = List.of(
        updateOf(CredentialType.STATIC_BEARER).accessToken(secret("tok_after_archive")).build(),
        updateOf(CredentialType.MCP_OAUTH).displayName("x").build(),
        updateOf(CredentialType.ENVIRONMENT_VARIABLE).secretValue(secret("sv_after_archive"))
            .build());
    List<Object> before = snapshot();
    for (int i = 0; i < 3; i++) {
      Credential c = v.credentials().get(i);
      UpdateCredentialRequest r = updates.get(i);
      assertError(ErrorType.CONFLICT, "Credential '" + c.id() + "' is archived.", null,
          () -> vaults.updateCredential(vaultId, c.id(), r));
      assertNull(stored(c).secrets(), "an archived credential keeps no secret");
    }
    assertEquals(before, snapshot());
  }

  @Test
  void twoWritersUpdatingOneCredentialBothLand() throws Exception {
    String url = "https://race.example/mcp";
    Credential c = vaults.createCredential(createVault("v", "https://x.example/mcp").vault().id(),
        oauth(url));
    String vaultId = c.vaultId();

    // Deterministic: another writer's update lands between this update's read and its write, so
    // the store answers STALE; the engine reads again and applies its patch over the other's.
    AtomicBoolean raced = new AtomicBoolean();
    ForwardingStore racing = new ForwardingStore(new NonClosingStore(store)) {
      @Override
      public WriteOutcome updateCredential(CredentialRow updated, Instant expectedUpdatedAt,
          dev.vaultengine.spi.Journal journal) {
        if (raced.compareAndSet(false, true)) {
          vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
              .accessToken(secret("at_from_the_other_writer")).putMetadata("other", "1")
              .build());
        }
        return super.updateCredential(updated, expectedUpdatedAt, journal);
      }
    };
    try (VaultEngine second = openEngine(racing, false)) {
      Credential u = second.forAccount("acct_a").updateCredential(vaultId, c.id(),
          updateOf(CredentialType.MCP_OAUTH).putMetadata("mine", "2")
              .refresh(RefreshPatch.empty().withRefreshToken(secret("rt_from_this_writer")))
              .build());
      assertTrue(raced.get());
      assertEquals(Map.of("other", "1", "mine", "2"), u.metadata());
    }
    assertEquals(Map.of("other", "1", "mine", "2"), get(c).metadata());
    assertSecret("at_from_the_other_writer", resolved(vaultId, url), "the other's token");
    assertSecret("rt_from_this_writer", read(c, Field.REFRESH_TOKEN), "this writer's token");
    assertSecret(clientSecretFor(url), read(c, Field.CLIENT_SECRET), "the client secret");

    // And with real threads: metadata patches of two writers are never lost.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 8; round++) {
        CountDownLatch start = new CountDownLatch(1);
        String a = "a" + round;
        String b = "b" + round;
        String token = "at_round_" + round + "_token";
        Future<?> fa = pool.submit(() -> {
          start.await();
          return vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
              .putMetadata(a, "1").build());
        });
        Future<?> fb = pool.submit(() -> {
          start.await();
          return vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
              .putMetadata(b, "1").accessToken(secret(token)).build());
        });
        start.countDown();
        fa.get();
        fb.get();
        Map<String, String> metadata = get(c).metadata();
        assertTrue(metadata.containsKey(a) && metadata.containsKey(b), metadata.toString());
        assertSecret(token, resolved(vaultId, url), "the token of round " + round);
        vaults.updateCredential(vaultId, c.id(), updateOf(CredentialType.MCP_OAUTH)
            .removeMetadata(a).removeMetadata(b).build());
      }
    } finally {
      pool.shutdownNow();
    }
    assertSecret("rt_from_this_writer", read(c, Field.REFRESH_TOKEN), "the refresh token");
  }

  @Test
  void aSessionSeesAnUpdateAtItsNextCall() {
    String url = "https://live.example/mcp";
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(oauth(url)).addCredential(env("LIVE_KEY")).build());
    String vaultId = v.vault().id();
    Credential o = v.credentials().get(0);
    Credential e = v.credentials().get(1);
    VaultSession session = vaults.openSession(List.of(vaultId));
    // A second engine on the same store stands in for another process.
    VaultEngine other = openEngine(new NonClosingStore(store), false);
    VaultSession elsewhere = other.forAccount("acct_a").openSession(List.of(vaultId));
    assertSecret(accessTokenFor(url), session.resolve(url).orElseThrow().accessToken().reveal(),
        "before");
    assertSecret(accessTokenFor(url), elsewhere.resolve(url).orElseThrow().accessToken()
        .reveal(), "before, elsewhere");
    String placeholder = session.environment().get("LIVE_KEY");
    String value = secretValueFor("LIVE_KEY");
    assertSecret(value, substituted(session, "api.example.com", placeholder).get(0), "before");

    vaults.updateCredential(vaultId, o.id(), updateOf(CredentialType.MCP_OAUTH)
        .accessToken(secret("at_live_updated")).build());
    assertEquals(o.id(), session.resolve(url).orElseThrow().credentialId());
    assertSecret("at_live_updated", session.resolve(url).orElseThrow().accessToken().reveal(),
        "the session's next resolve");
    assertSecret("at_live_updated", elsewhere.resolve(url).orElseThrow().accessToken().reveal(),
        "another engine's next resolve");

    vaults.updateCredential(vaultId, e.id(), updateOf(CredentialType.ENVIRONMENT_VARIABLE)
        .secretValue(secret("sv_live_updated")).build());
    assertSecret(jsonBody("sv_live_updated"),
        substituted(session, "api.example.com", placeholder).get(1),
        "the next substitution uses the new value");

    vaults.updateCredential(vaultId, e.id(), updateOf(CredentialType.ENVIRONMENT_VARIABLE)
        .networking(Networking.limited(List.of("only.example.com"))).build());
    assertEquals(List.of(placeholder, jsonBody(placeholder)),
        substituted(session, "api.example.com", placeholder),
        "a host no longer allowed gets the placeholder");
    List<String> allowed = substituted(session, "only.example.com", placeholder);
    assertSecret("sv_live_updated", allowed.get(0), "the allowed host's header");
    assertSecret(jsonBody("sv_live_updated"), allowed.get(1), "the allowed host's body");

    vaults.updateCredential(vaultId, e.id(), updateOf(CredentialType.ENVIRONMENT_VARIABLE)
        .injectionLocation(new InjectionLocation(false, true)).build());
    List<String> bodyOnly = substituted(session, "only.example.com", placeholder);
    assertEquals(placeholder, bodyOnly.get(0), "the header is no longer a place for it");
    assertSecret(jsonBody("sv_live_updated"), bodyOnly.get(1), "the body still is");
    other.close();
  }

  @Test
  void aPlaceholderWhoseVariableWasArchivedOrDeletedStaysAPlaceholder() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(env("GONE_KEY")).addCredential(env("KEPT_KEY")).build());
    String vaultId = v.vault().id();
    VaultSession session = vaults.openSession(List.of(vaultId));
    Map<String, String> environment = session.environment();
    String gone = environment.get("GONE_KEY");
    vaults.archiveCredential(vaultId, v.credentials().get(0).id());
    assertEquals(List.of(gone, jsonBody(gone)), substituted(session, "api.example.com", gone),
        "an archived variable's placeholder is left as written");
    String kept = environment.get("KEPT_KEY");
    vaults.deleteCredential(vaultId, v.credentials().get(1).id());
    assertEquals(List.of(kept, jsonBody(kept)), substituted(session, "api.example.com", kept),
        "a deleted variable's placeholder is left as written");
  }

  @Test
  void aSecretValueThatCannotBeAHeaderValueIsRefusedForHeadersAndServedInBodies() {
    // Valid text, but not a value java.net.http accepts in a header (it refuses characters above
    // U+00FF and quotes the value in its error): refused where a header would carry it.
    String value = "sv_header_\uD83D\uDD11_value";
    String refused = "Field 'secret_value' must contain only printable ASCII characters, spaces "
        + "and tabs when 'injection_location.header' is true: it is sent in a header.";
    List<Object> before = snapshot();
    VaultException e = assertError(ErrorType.INVALID_REQUEST, refused,
        "credentials[0].secret_value", () -> vaults.createVault(CreateVaultRequest.builder()
            .displayName("v").addCredential(envBuilder("EMOJI_KEY").secretValue(secret(value))
                .injectionLocation(new InjectionLocation(true, true)).build()).build()));
    LEAKS.record(e);
    assertEquals(before, snapshot(), "nothing written");

    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(envBuilder("EMOJI_KEY").secretValue(secret(value))
            .injectionLocation(new InjectionLocation(false, true)).build()).build());
    Credential c = v.credentials().get(0);
    VaultSession session = vaults.openSession(List.of(v.vault().id()));
    String placeholder = session.environment().get("EMOJI_KEY");
    List<String> out = substituted(session, "api.example.com", placeholder);
    assertSecret(jsonBody(value), out.get(1), "the body carries the value");
    // Turning header injection on later is refused too, naming the field that would.
    List<Object> stored = snapshot();
    assertError(ErrorType.INVALID_REQUEST, "Field 'injection_location.header' cannot be true: "
        + "the stored secret_value holds characters a header cannot carry; give a new "
        + "secret_value with it.", "injection_location.header",
        () -> vaults.updateCredential(v.vault().id(), c.id(),
            UpdateCredentialRequest.builder(CredentialType.ENVIRONMENT_VARIABLE)
                .injectionLocation(new InjectionLocation(true, true)).build()));
    assertEquals(stored, snapshot(), "nothing written");
  }

  @Test
  void theStoreUpdatesOnlyTheRowAsItWasRead() {
    Credential c = vaults.createCredential(createVault("v", "https://x.example/mcp").vault().id(),
        oauth("https://spi.example/mcp"));
    CredentialRow row = stored(c);
    Instant later = T0.plusSeconds(9);
    CredentialKind.McpOAuth k = oauthKind(c);
    CredentialKind changed = new CredentialKind.McpOAuth(k.mcpServerUrl(), Protocol.SSE,
        Optional.empty(), k.refresh());
    CredentialRow updated = new CredentialRow(row.accountId(), row.id(), row.vaultId(),
        row.identityKey(), changed, "spi", Map.of("k", "v"), Status.ACTIVE, null,
        row.createdAt(), later, row.secrets());
    long writes = store.writes();
    assertEquals(WriteOutcome.STALE, store.updateCredential(updated, T0.minusSeconds(1),
        dev.vaultengine.spi.Journal.NONE),
        "an expectation other than the stored updated_at is stale");
    assertEquals(c, get(c), "a stale update changes nothing");

    // The identity, status and creation time are never the update's to change.
    CredentialRow tampered = new CredentialRow(row.accountId(), row.id(), row.vaultId(),
        "https://elsewhere.example/mcp", changed, "spi", Map.of("k", "v"), Status.ARCHIVED,
        later, T0.minusSeconds(100), later, row.secrets());
    assertEquals(WriteOutcome.OK, store.updateCredential(tampered, row.updatedAt(),
        dev.vaultengine.spi.Journal.NONE));;
    CredentialRow now = stored(c);
    assertEquals(row.identityKey(), now.identityKey());
    assertEquals(Status.ACTIVE, now.status());
    assertNull(now.archivedAt());
    assertEquals(row.createdAt(), now.createdAt());
    assertEquals(changed, now.kind());
    assertEquals("spi", now.displayName());
    assertEquals(Map.of("k", "v"), now.metadata());
    assertEquals(later, now.updatedAt());
    assertEquals(row.secrets(), now.secrets());
    assertEquals(List.of(row.id()), store.findActiveCredentials("acct_a",
        List.of(row.vaultId()), row.identityKey()).stream().map(CredentialRow::id).toList(),
        "still found by its identity key");
    assertEquals(List.of(), store.findActiveCredentials("acct_a", List.of(row.vaultId()),
        "https://elsewhere.example/mcp"));
    assertEquals(writes + 2, store.writes());

    // Other rows, accounts and states.
    CredentialRow missing = new CredentialRow(row.accountId(), "vcred_019e3bb940277f0db05ab74291acf6ef",
        row.vaultId(), row.identityKey(), changed, null, Map.of(), Status.ACTIVE, null, T0,
        later.plusSeconds(1), row.secrets());
    assertEquals(WriteOutcome.NOT_FOUND, store.updateCredential(missing, T0, dev.vaultengine.spi.Journal.NONE));
    CredentialRow foreign = new CredentialRow("acct_b", row.id(), row.vaultId(),
        row.identityKey(), changed, "intruder", Map.of(), Status.ACTIVE, null, T0,
        later.plusSeconds(1), row.secrets());
    assertEquals(WriteOutcome.NOT_FOUND, store.updateCredential(foreign, later, dev.vaultengine.spi.Journal.NONE));
    vaults.archiveCredential(c.vaultId(), c.id());
    CredentialRow archived = stored(c);
    CredentialRow revived = new CredentialRow(row.accountId(), row.id(), row.vaultId(),
        row.identityKey(), changed, "revived", Map.of(), Status.ACTIVE, null, row.createdAt(),
        archived.updatedAt().plusSeconds(1), row.secrets());
    assertEquals(WriteOutcome.ARCHIVED, store.updateCredential(revived, archived.updatedAt(),
        dev.vaultengine.spi.Journal.NONE));;
    assertEquals(archived, stored(c), "an archived row stays as it was");
  }

  @Test
  void expiresAtIsKeptToTheMicrosecondByCreateAndUpdate() {
    Instant withNanos = T0.plus(Duration.ofDays(1)).plusNanos(123_456_789);
    Instant micros = withNanos.truncatedTo(ChronoUnit.MICROS);
    Credential c = vaults.createCredential(createVault("v", "https://x.example/mcp").vault().id(),
        oauthBuilder("https://expiry.example/mcp").expiresAt(withNanos).build());
    assertEquals(Optional.of(micros), oauthKind(c).expiresAt(), "create");
    assertEquals(c, get(c));
    Instant otherNanos = T0.plus(Duration.ofDays(2)).plusNanos(987_654_321);
    Credential u = vaults.updateCredential(c.vaultId(), c.id(),
        updateOf(CredentialType.MCP_OAUTH).expiresAt(otherNanos).build());
    assertEquals(Optional.of(otherNanos.truncatedTo(ChronoUnit.MICROS)),
        oauthKind(u).expiresAt(), "update keeps microseconds, as create and every other time");
    assertEquals(u, get(c), "the update returns what is stored");
  }

  @Test
  void rotatingACredentialOfAnyKindKeepsItsFieldsAndOtherSecrets() {
    String url = "https://rotate-kinds.example/mcp";
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(oauthBuilder(url).displayName("o").putMetadata("m", "1").build())
        .addCredential(envBuilder("ROTATED_KEY").displayName("e")
            .networking(Networking.limited(List.of("api.example.com"))).build())
        .build());
    String vaultId = v.vault().id();
    Credential o = v.credentials().get(0);
    Credential e = v.credentials().get(1);
    VaultSession session = vaults.openSession(List.of(vaultId));
    String placeholder = session.environment().get("ROTATED_KEY");
    clock.advance(Duration.ofSeconds(3));

    Credential ro = vaults.rotateCredential(vaultId, o.id(), secret("at_rotated_kind"));
    assertNotEquals(o.id(), ro.id());
    // Everything but the old token's expiry, which is not the new token's.
    CredentialKind.McpOAuth was = oauthKind(o);
    assertEquals(new CredentialKind.McpOAuth(was.mcpServerUrl(), was.protocol(), Optional.empty(),
        was.refresh()), ro.kind());
    assertEquals(o.displayName(), ro.displayName());
    assertEquals(o.metadata(), ro.metadata());
    assertEquals(ro, get(ro));
    assertSecret("at_rotated_kind", resolved(vaultId, url), "the new token");
    assertSecret(refreshTokenFor(url), read(ro, Field.REFRESH_TOKEN), "refresh token carried");
    assertSecret(clientSecretFor(url), read(ro, Field.CLIENT_SECRET), "client secret carried");
    assertNull(stored(o).secrets(), "the old credential's secrets are purged");

    Credential re = vaults.rotateCredential(vaultId, e.id(), secret("sv_rotated_kind"));
    assertNotEquals(e.id(), re.id());
    assertEquals(e.kind(), re.kind());
    assertEquals(e.displayName(), re.displayName());
    assertEquals(Status.ARCHIVED, get(e).status());
    assertNull(stored(e).secrets());
    assertSecret(jsonBody("sv_rotated_kind"),
        substituted(session, "api.example.com", placeholder).get(1),
        "the session's placeholder now carries the new value");
  }

  @Test
  void theNameFilterOfCredentialsMatchesDisplayNamesUrlsAndSecretNames() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(env("GITHUB_TOKEN"))
        .addCredential(CreateCredentialRequest.builder().mcpServerUrl("https://mcp.github.com/sse")
            .protocol(Protocol.SSE).accessToken(secret("tok_filter_github")).displayName("Code")
            .build())
        .addCredential(oauthBuilder("https://linear.example/mcp").displayName("GitHub mirror")
            .build())
        .addCredential(envBuilder("OTHER").displayName("plain").build())
        .build());
    String vaultId = v.vault().id();
    List<String> ids = v.credentials().stream().map(Credential::id).toList();
    assertEquals(List.of(ids.get(2), ids.get(1), ids.get(0)), names(vaultId, "github"));
    assertEquals(List.of(ids.get(0)), names(vaultId, "hub_tok"));
    assertEquals(List.of(), names(vaultId, "hub%tok"));
    assertEquals(List.of(ids.get(3)), names(vaultId, "PLAIN"));
    assertEquals(List.of(ids.get(3)), names(vaultId, "other"));
    assertEquals(List.of(), names(vaultId, "sv_"), "never the secret value");
    assertEquals(List.of(), names(vaultId, "tok_filter"), "never the token");
  }

  private List<String> names(String vaultId, String name) {
    return vaults.listCredentials(vaultId, ListRequest.builder().name(name).build()).data()
        .stream().map(Credential::id).toList();
  }

  // ---------------------------------------------------------------- no secret shows

  @Test
  void noSecretOfAnyKindShowsInWhatTheApiReturnsOrThrows() {
    List<String> secrets = List.of("at_shown_nowhere_1", "rt_shown_nowhere_2",
        "cs_shown_nowhere_3", "sv_shown_nowhere_4", "tok_shown_nowhere_5",
        "at_shown_nowhere_6", "rt_shown_nowhere_7", "cs_shown_nowhere_8", "sv_shown_nowhere_9");
    List<Object> shown = new ArrayList<>();
    String url = "https://shown.example/mcp";
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("v")
        .addCredential(oauthBuilder(url).accessToken(secret(secrets.get(0)))
            .refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, "c", "s", null,
                secret(secrets.get(1)), TokenEndpointAuth.post(secret(secrets.get(2)))))
            .build())
        .addCredential(envBuilder("SHOWN").secretValue(secret(secrets.get(3))).build())
        .addCredential(credential("https://static-shown.example/mcp", secrets.get(4)))
        .build());
    shown.add(v);
    String vaultId = v.vault().id();
    Credential o = v.credentials().get(0);
    Credential e = v.credentials().get(1);
    shown.add(vaults.getCredential(vaultId, o.id()));
    shown.add(vaults.listCredentials(vaultId, ListRequest.builder().includeArchived(true)
        .build()));
    shown.add(vaults.updateCredential(vaultId, o.id(), updateOf(CredentialType.MCP_OAUTH)
        .accessToken(secret(secrets.get(5))).refresh(RefreshPatch.empty()
            .withRefreshToken(secret(secrets.get(6))).withTokenEndpointAuth(
                TokenEndpointAuth.basic(secret(secrets.get(7))))).build()));
    shown.add(vaults.updateCredential(vaultId, e.id(),
        updateOf(CredentialType.ENVIRONMENT_VARIABLE).secretValue(secret(secrets.get(8)))
            .build()));
    VaultSession session = vaults.openSession(List.of(vaultId));
    shown.add(session);
    shown.add(session.environment());
    shown.add(session.resolve(url).orElseThrow());
    shown.add(session.explain(url));
    shown.add(session.explain(url).describe());
    shown.add(stored(o));
    shown.add(stored(e));
    shown.add(engine.keys().status());
    // Errors about a secret field never echo the value.
    for (Runnable bad : List.<Runnable>of(
        () -> vaults.updateCredential(vaultId, o.id(), updateOf(CredentialType.MCP_OAUTH)
            .accessToken(secret("at_shown nowhere 10")).build()),
        () -> vaults.updateCredential(vaultId, e.id(),
            updateOf(CredentialType.ENVIRONMENT_VARIABLE)
                .secretValue(secret("sv_shown_nowhere_11\r\n")).build()),
        () -> vaults.createCredential(vaultId, oauthBuilder("https://shown2.example/mcp")
            .refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, "c", null, null,
                secret("rt_shown_nowhere_12\n"), TokenEndpointAuth.none())).build()),
        () -> vaults.createCredential(vaultId, oauthBuilder("https://shown3.example/mcp")
            .refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, "c", null, null,
                secret("rt_shown_nowhere_13"), new TokenEndpointAuth(
                    TokenEndpointAuthMethod.NONE, secret("cs_shown_nowhere_14")))).build()),
        () -> vaults.createCredential(vaultId, envBuilder("SHOWN").secretValue(
            secret("sv_shown_nowhere_15")).build()),
        () -> vaults.rotateCredential(vaultId, e.id(), secret("sv_shown_nowhere_16\u0000")))) {
      try {
        bad.run();
        throw new AssertionError("a bad request was accepted");
      } catch (VaultException ex) {
        shown.add(ex);
      }
    }
    // A row that no longer decrypts: the error names the credential, never a value.
    CredentialRow row = stored(e);
    byte[] damaged = row.token().ciphertext();
    damaged[damaged.length - 1] ^= 1;
    assertTrue(store.replaceSecrets("acct_a", e.id(), row.token(), EncryptedSecrets.of(
        new dev.vaultengine.spi.EncryptedToken(row.token().keyId(), damaged))));
    String placeholder = session.environment().get("SHOWN");
    try {
      substituted(session, "api.example.com", placeholder);
      throw new AssertionError("a damaged value was substituted");
    } catch (VaultException ex) {
      assertEquals(ErrorType.API, ex.type());
      assertTrue(ex.getMessage().contains(e.id()), ex.getMessage());
      shown.add(ex);
    }

    StringBuilder text = new StringBuilder();
    for (Object x : shown) {
      if (x instanceof Throwable t) {
        LEAKS.record(t);
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        text.append(w).append('\n');
      } else {
        LEAKS.record(x);
        text.append(x).append('\n');
      }
    }
    List<String> all = new ArrayList<>(secrets);
    all.addAll(List.of("at_shown nowhere 10", "sv_shown_nowhere_11", "rt_shown_nowhere_12",
        "rt_shown_nowhere_13", "cs_shown_nowhere_14", "sv_shown_nowhere_15",
        "sv_shown_nowhere_16"));
    for (String s : all) {
      int i = all.indexOf(s);
      assertFalse(text.indexOf(s) >= 0, "secret #" + i + " shows in what the API returned");
      String b64 = Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
      assertFalse(text.indexOf(b64.substring(0, 12)) >= 0, "secret #" + i + " shows in Base64");
    }
  }
}
