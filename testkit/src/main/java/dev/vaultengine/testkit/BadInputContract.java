package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CreatedVault;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input of every field: each case must give the documented error type, message and param, make
 * no write call on the store, and leave every record as it was.
 *
 * <p>One concern of {@link VaultStoreContract}, which runs it as its nested class
 * {@code BadInput}; it runs alone for one store by its tag, {@code -Dtest=MyStoreContractTest
 * -Dgroups=bad-input}, or in a class of its own that extends it and returns the store's
 * {@link #fixture()}.
 */
@org.junit.jupiter.api.Tag("bad-input")
public abstract class BadInputContract extends ContractBase {
  /** For a store's test class, or the nested concern of {@link VaultStoreContract}. */
  protected BadInputContract() {}

  private static final String URL = "https://example.com/mcp";
  private static final String MISSING_VAULT = "vault_019e3bb940277f0db05ab74291acf6ef";

  /** One bad request and the error it must give. */
  private record Case(String name, ErrorType type, String message, String param,
      Consumer<Ids> call) {}

  /** Ids of records that exist when a case runs. */
  protected record Ids(VaultService service, String vaultId, String credentialId) {}

  private static CreateVaultRequest vaultWith(CreateCredentialRequest c) {
    return CreateVaultRequest.builder().displayName("v").addCredential(c).build();
  }

  private static CreateVaultRequest vaultNamed(String name) {
    return CreateVaultRequest.builder().displayName(name).addCredential(credential(URL)).build();
  }

  private static CreateVaultRequest vaultWithMetadata(Map<String, String> metadata) {
    return new CreateVaultRequest("v", metadata, List.of(credential(URL)));
  }

  private static CreateCredentialRequest url(String url) {
    return credential(url, "token");
  }

  private static CreateCredentialRequest token(Secret token) {
    return new CreateCredentialRequest(URL, Protocol.SSE, CredentialType.STATIC_BEARER, token);
  }

  private static Map<String, String> mapOf(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(key, value);
    return m;
  }

  private static Case invalid(String name, String message, String param, Consumer<Ids> call) {
    return new Case(name, ErrorType.INVALID_REQUEST, message, param, call);
  }

  private static List<Case> cases() {
    String longName = "n".repeat(256);
    String idShape = "Field 'vault_id' must be 'vault_' followed by 32 lowercase hex digits.";
    Map<String, String> seventeen = new LinkedHashMap<>();
    for (int i = 0; i < 17; i++) {
      seventeen.put("k" + i, "v");
    }
    Secret destroyed = Secret.of("was-a-token");
    destroyed.destroy();
    String tok = "credentials[0].access_token";
    String url = "credentials[0].mcp_server_url";
    List<Case> c = new ArrayList<>(Arrays.asList(
        invalid("create: no body", "Request body is required.", null,
            i -> i.service().createVault(null)),
        invalid("display_name null", "Field 'display_name' is required.", "display_name",
            i -> i.service().createVault(vaultNamed(null))),
        invalid("display_name empty", "Field 'display_name' must not be empty.", "display_name",
            i -> i.service().createVault(vaultNamed(""))),
        invalid("display_name spaces", "Field 'display_name' must not be empty.", "display_name",
            i -> i.service().createVault(vaultNamed("   "))),
        invalid("display_name 256", "Field 'display_name' must be at most 255 characters.",
            "display_name", i -> i.service().createVault(vaultNamed(longName))),
        invalid("display_name 256 emoji", "Field 'display_name' must be at most 255 characters.",
            "display_name", i -> i.service().createVault(vaultNamed("\uD83D\uDD11".repeat(256)))),
        invalid("display_name NUL", "Field 'display_name' must not contain control characters.",
            "display_name", i -> i.service().createVault(vaultNamed("a\u0000b"))),
        invalid("display_name newline",
            "Field 'display_name' must not contain control characters.", "display_name",
            i -> i.service().createVault(vaultNamed("a\nb"))),
        invalid("display_name lone surrogate", "Field 'display_name' must be well-formed Unicode "
            + "text (an unpaired surrogate was found).", "display_name",
            i -> i.service().createVault(vaultNamed("a\uD800b"))),
        invalid("display_name huge", "Field 'display_name' must be at most 255 characters.",
            "display_name", i -> i.service().createVault(vaultNamed("x".repeat(5_000_000)))),
        invalid("metadata 17 keys", "Field 'metadata' must have at most 16 keys.", "metadata",
            i -> i.service().createVault(vaultWithMetadata(seventeen))),
        invalid("metadata empty key", "Field 'metadata' keys must be 1-64 characters.",
            "metadata", i -> i.service().createVault(vaultWithMetadata(mapOf("", "v")))),
        invalid("metadata null key", "Field 'metadata' keys must be 1-64 characters.",
            "metadata", i -> i.service().createVault(vaultWithMetadata(mapOf(null, "v")))),
        invalid("metadata key 65", "Field 'metadata' keys must be 1-64 characters.", "metadata",
            i -> i.service().createVault(vaultWithMetadata(mapOf("k".repeat(65), "v")))),
        invalid("metadata key control",
            "Field 'metadata' keys must not contain control characters.", "metadata",
            i -> i.service().createVault(vaultWithMetadata(mapOf("a\u001bb", "v")))),
        invalid("metadata value 513", "Field 'metadata' values must be at most 512 characters.",
            "metadata", i -> i.service().createVault(vaultWithMetadata(mapOf("k", "v".repeat(513))))),
        invalid("metadata value null", "Field 'metadata' values must not be null.", "metadata",
            i -> i.service().createVault(vaultWithMetadata(mapOf("k", null)))),
        invalid("metadata value bell", "Field 'metadata' values must not contain control "
            + "characters other than tab and line breaks.", "metadata",
            i -> i.service().createVault(vaultWithMetadata(mapOf("k", "a\u0007")))),
        invalid("credentials null element", "Field 'credentials[0]' is required.",
            "credentials[0]", i -> i.service().createVault(
                new CreateVaultRequest("v", Map.of(), Arrays.asList((CreateCredentialRequest) null)))),
        invalid("url null", "Field 'mcp_server_url' is required.", url,
            i -> i.service().createVault(vaultWith(url(null)))),
        invalid("url empty", "Field 'mcp_server_url' must not be empty.", url,
            i -> i.service().createVault(vaultWith(url("")))),
        invalid("url ftp", "Field 'mcp_server_url' must be an absolute http or https URL.", url,
            i -> i.service().createVault(vaultWith(url("ftp://example.com/mcp")))),
        invalid("url relative", "Field 'mcp_server_url' must be an absolute http or https URL.",
            url, i -> i.service().createVault(vaultWith(url("/mcp")))),
        invalid("url garbage", "Field 'mcp_server_url' must be an absolute http or https URL.",
            url, i -> i.service().createVault(vaultWith(url("https://[bad/")))),
        invalid("url fragment", "Field 'mcp_server_url' must not contain a fragment.", url,
            i -> i.service().createVault(vaultWith(url("https://example.com/mcp#x")))),
        invalid("url user info", "Field 'mcp_server_url' must not contain user information.",
            url, i -> i.service().createVault(vaultWith(url("https://u:p@example.com/mcp")))),
        invalid("url no host", "Field 'mcp_server_url' must name a host.", url,
            i -> i.service().createVault(vaultWith(url("https:///mcp")))),
        invalid("url bad port", "Field 'mcp_server_url' has a port out of range.", url,
            i -> i.service().createVault(vaultWith(url("https://example.com:99999/mcp")))),
        invalid("url port 0", "Field 'mcp_server_url' has a port out of range.", url,
            i -> i.service().createVault(vaultWith(url("https://example.com:0/mcp")))),
        invalid("url space", "Field 'mcp_server_url' must not contain spaces or control "
            + "characters.", url, i -> i.service().createVault(vaultWith(url("https://e.com/a b")))),
        invalid("url CRLF", "Field 'mcp_server_url' must not contain spaces or control "
            + "characters.", url, i -> i.service().createVault(vaultWith(url("https://e.com/\r\n")))),
        invalid("url 2049", "Field 'mcp_server_url' must be at most 2048 characters.", url,
            i -> i.service().createVault(vaultWith(
                url("https://example.com/" + "p".repeat(2049 - 20))))),
        invalid("protocol null", "Field 'protocol' is required.", "credentials[0].protocol",
            i -> i.service().createVault(vaultWith(
                new CreateCredentialRequest(URL, null, CredentialType.STATIC_BEARER,
                    Secret.of("t"))))),
        invalid("protocol unknown", "Field 'protocol' must be one of: sse, streamable_http.",
            "protocol", i -> Protocol.fromWire("websocket")),
        invalid("type null", "Field 'type' is required.", "credentials[0].type",
            i -> i.service().createVault(vaultWith(
                new CreateCredentialRequest(URL, Protocol.SSE, null, Secret.of("t"))))),
        invalid("type unknown", "Field 'type' must be one of: static_bearer, mcp_oauth, environment_variable.", "type",
            i -> CredentialType.fromWire("oauth")),
        invalid("token null", "Field 'access_token' is required for static_bearer type.", tok,
            i -> i.service().createVault(vaultWith(token(null)))),
        invalid("token null string", "Field 'access_token' is required for static_bearer type.",
            tok, i -> i.service().createVault(vaultWith(token(Secret.of((String) null))))),
        invalid("token empty", "Field 'access_token' is required for static_bearer type.", tok,
            i -> i.service().createVault(vaultWith(token(Secret.of(""))))),
        invalid("token 8193", "Field 'access_token' must be at most 8192 characters.", tok,
            i -> i.service().createVault(vaultWith(token(Secret.of("t".repeat(8193)))))),
        invalid("token space", "Field 'access_token' must contain only printable ASCII "
            + "characters without spaces.", tok,
            i -> i.service().createVault(vaultWith(token(Secret.of("abc def"))))),
        invalid("token header injection", "Field 'access_token' must contain only printable "
            + "ASCII characters without spaces.", tok,
            i -> i.service().createVault(vaultWith(token(Secret.of("abc\r\nX-Evil: 1"))))),
        invalid("token non-ASCII", "Field 'access_token' must contain only printable ASCII "
            + "characters without spaces.", tok,
            i -> i.service().createVault(vaultWith(token(Secret.of("t\u00f6ken"))))),
        // A lone surrogate has no UTF-8 form; it must not slip through as the '?' of the JDK's
        // default replacement, which is printable ASCII.
        invalid("token lone surrogate", "Field 'access_token' must contain only printable "
            + "ASCII characters without spaces.", tok,
            i -> i.service().createVault(vaultWith(token(Secret.of("tok\ud800en"))))),
        invalid("token destroyed", "Field 'access_token' was destroyed before it could be "
            + "stored.", tok, i -> i.service().createVault(vaultWith(token(destroyed)))),
        invalid("get: vault id null", "Field 'vault_id' is required.", "vault_id",
            i -> i.service().getVault(null)),
        invalid("get: vault id empty", "Field 'vault_id' is required.", "vault_id",
            i -> i.service().getVault("")),
        invalid("get: credential id as vault id", idShape, "vault_id",
            i -> i.service().getVault(i.credentialId())),
        invalid("get: upper-case hex", idShape, "vault_id",
            i -> i.service().getVault(i.vaultId().toUpperCase(java.util.Locale.ROOT))),
        invalid("get: SQL in id", idShape, "vault_id",
            i -> i.service().getVault("vault_' OR '1'='1")),
        invalid("get: LIKE in id", idShape, "vault_id",
            i -> i.service().getVault("vault_%")),
        invalid("update: no body", "Request body is required.", null,
            i -> i.service().updateVault(i.vaultId(), null)),
        invalid("update: nothing", "At least one of 'display_name' or 'metadata' must be given.",
            null, i -> i.service().updateVault(i.vaultId(), new UpdateVaultRequest(null, Map.of()))),
        invalid("update: empty name", "Field 'display_name' must not be empty.", "display_name",
            i -> i.service().updateVault(i.vaultId(),
                UpdateVaultRequest.builder().displayName("").build())),
        invalid("update: spaces name", "Field 'display_name' must not be empty.", "display_name",
            i -> i.service().updateVault(i.vaultId(),
                UpdateVaultRequest.builder().displayName("  ").build())),
        invalid("update: metadata key 65", "Field 'metadata' keys must be 1-64 characters.",
            "metadata", i -> i.service().updateVault(i.vaultId(),
                UpdateVaultRequest.builder().putMetadata("k".repeat(65), "v").build())),
        invalid("archive: bad id", idShape, "vault_id", i -> i.service().archiveVault("vault_1")),
        invalid("delete: bad id", idShape, "vault_id", i -> i.service().deleteVault("x")),
        invalid("create credential: no body", "Request body is required.", null,
            i -> i.service().createCredential(i.vaultId(), null)),
        invalid("create credential: token missing",
            "Field 'access_token' is required for static_bearer type.", "access_token",
            i -> i.service().createCredential(i.vaultId(), token(null))),
        invalid("create credential: bad vault id", idShape, "vault_id",
            i -> i.service().createCredential(i.credentialId(), credential(URL))),
        invalid("get credential: vault id as credential id",
            "Field 'credential_id' must be 'vcred_' followed by 32 lowercase hex digits.",
            "credential_id", i -> i.service().getCredential(i.vaultId(), i.vaultId())),
        invalid("archive credential: null id", "Field 'credential_id' is required.",
            "credential_id", i -> i.service().archiveCredential(i.vaultId(), null)),
        invalid("delete credential: null vault", "Field 'vault_id' is required.", "vault_id",
            i -> i.service().deleteCredential(null, i.credentialId())),
        invalid("rotate: token with space", "Field 'access_token' must contain only printable "
            + "ASCII characters without spaces.", "access_token",
            i -> i.service().rotateCredential(i.vaultId(), i.credentialId(), Secret.of("a b"))),
        invalid("list: limit 0", "Field 'limit' must be between 1 and 100.", "limit",
            i -> i.service().listVaults(ListRequest.builder().limit(0).build())),
        invalid("list: limit 101", "Field 'limit' must be between 1 and 100.", "limit",
            i -> i.service().listVaults(ListRequest.builder().limit(101).build())),
        invalid("list: limit negative", "Field 'limit' must be between 1 and 100.", "limit",
            i -> i.service().listCredentials(i.vaultId(), ListRequest.builder().limit(-1).build())),
        invalid("list: both cursors", "Only one of 'after_id' and 'before_id' may be given.",
            "before_id", i -> i.service().listVaults(ListRequest.builder()
                .afterId(i.vaultId()).beforeId(i.vaultId()).build())),
        invalid("list: cursor of wrong kind",
            "Field 'after_id' must be 'vault_' followed by 32 lowercase hex digits.", "after_id",
            i -> i.service().listVaults(ListRequest.builder().afterId(i.credentialId()).build())),
        invalid("list credentials: vault cursor",
            "Field 'before_id' must be 'vcred_' followed by 32 lowercase hex digits.",
            "before_id", i -> i.service().listCredentials(i.vaultId(),
                ListRequest.builder().beforeId(i.vaultId()).build())),
        invalid("list: name control", "Field 'name' must not contain control characters.", "name",
            i -> i.service().listVaults(ListRequest.builder().name("a\u0000").build())),
        invalid("list: name lone surrogate", "Field 'name' must be well-formed Unicode text (an "
            + "unpaired surrogate was found).", "name",
            i -> i.service().listVaults(ListRequest.builder().name("\uDC00").build())),
        invalid("list: name huge", "Field 'name' must be at most 2048 characters.", "name",
            i -> i.service().listVaults(ListRequest.builder().name("n".repeat(2049)).build())),
        invalid("list: dates reversed",
            "Field 'created_at[gte]' must not be later than 'created_at[lte]'.", "created_at[gte]",
            i -> i.service().listVaults(ListRequest.builder().createdAtGte(T0.plusSeconds(1))
                .createdAtLte(T0).build())),
        invalid("list: date out of range", "Field 'created_at[lte]' must be between "
            + "0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.", "created_at[lte]",
            i -> i.service().listVaults(ListRequest.builder()
                .createdAtLte(Instant.parse("+10000-01-01T00:00:00Z")).build())),
        invalid("list: date before year 1", "Field 'created_at[gte]' must be between "
            + "0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z.", "created_at[gte]",
            i -> i.service().listVaults(ListRequest.builder().createdAtGte(Instant.MIN).build())),
        invalid("session: null list", "Field 'vault_ids' must list at least one vault.",
            "vault_ids", i -> i.service().openSession(null)),
        invalid("session: null id", "Field 'vault_ids[0]' is required.", "vault_ids[0]",
            i -> i.service().openSession(Arrays.asList((String) null))),
        invalid("session: wrong prefix",
            "Field 'vault_ids[0]' must be 'vault_' followed by 32 lowercase hex digits.",
            "vault_ids[0]", i -> i.service().openSession(List.of(i.credentialId()))),
        new Case("session: not found", ErrorType.NOT_FOUND,
            "Vault '" + MISSING_VAULT + "' was not found.", null,
            i -> i.service().openSession(List.of(MISSING_VAULT)))));
    return c;
  }

  @TestFactory
  Stream<DynamicTest> badInputGivesTheDocumentedErrorAndChangesNothing() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      var created = createVault("existing", URL);
      Ids ids = new Ids(vaults, created.vault().id(), created.credentials().get(0).id());
      List<Object> before = snapshot();
      long writes = store.writes();
      assertError(c.type(), c.message(), c.param(), () -> c.call().accept(ids));
      assertEquals(writes, store.writes(), "bad input reached the store");
      assertEquals(before, snapshot(), "bad input changed the state");
      vaults.deleteVault(created.vault().id());
    }));
  }

  // ---------------------------------------------------------------- credential kinds

  private static final String OAUTH_URL = "https://oauth.example.com/mcp";
  private static final String BARE_OAUTH_URL = "https://bare.example.com/mcp";
  private static final String PUBLIC_OAUTH_URL = "https://public.example.com/mcp";
  private static final String ENV_NAME = "API_KEY";
  private static final String ARCHIVED_ENV_NAME = "OLD_KEY";
  private static final String MISSING_CREDENTIAL = "vcred_019e3bb940277f0db05ab74291acf6ef";

  /**
   * Records that exist when a kind case runs, all in one vault: a {@code static_bearer} for
   * {@code https://example.com/mcp}, an {@code mcp_oauth} with a {@code client_secret_basic}
   * refresh grant, an {@code mcp_oauth} without a refresh grant, an {@code mcp_oauth} of a public
   * client ({@code none}), an {@code environment_variable} {@code API_KEY}, and an archived
   * {@code environment_variable} {@code OLD_KEY}.
   */
  protected record KindIds(VaultService service, String vaultId, String staticId, String oauthId,
      String bareOauthId, String publicOauthId, String envId, String archivedId) {}

  private KindIds kindFixture() {
    CreatedVault v = vaults.createVault(CreateVaultRequest.builder().displayName("kinds")
        .addCredential(credential(URL))
        .addCredential(oauth(OAUTH_URL))
        .addCredential(CreateCredentialRequest.builder().type(CredentialType.MCP_OAUTH)
            .mcpServerUrl(BARE_OAUTH_URL).protocol(Protocol.SSE)
            .accessToken(secret(accessTokenFor(BARE_OAUTH_URL))).build())
        .addCredential(oauthBuilder(PUBLIC_OAUTH_URL).refresh(new OAuthRefreshRequest(
            "http://127.0.0.1:8080/token", "public-client", null, null,
            secret(refreshTokenFor(PUBLIC_OAUTH_URL)), TokenEndpointAuth.none())).build())
        .addCredential(env(ENV_NAME))
        .addCredential(env(ARCHIVED_ENV_NAME))
        .build());
    List<Credential> c = v.credentials();
    vaults.archiveCredential(v.vault().id(), c.get(5).id());
    return new KindIds(vaults, v.vault().id(), c.get(0).id(), c.get(1).id(), c.get(2).id(),
        c.get(3).id(), c.get(4).id(), c.get(5).id());
  }

  /** One bad field of a create request: the same rule standalone and inside createVault. */
  private record CreateRule(String name, String message, String field,
      Supplier<CreateCredentialRequest> request) {}

  private static CreateRule rule(String name, String message, String field,
      Supplier<CreateCredentialRequest> request) {
    return new CreateRule(name, message, field, request);
  }

  private static final String NEW_STATIC_URL = "https://new.example.com/mcp";
  private static final String NEW_OAUTH_URL = "https://new-oauth.example.com/mcp";

  private static CreateCredentialRequest.Builder newStatic() {
    return CreateCredentialRequest.builder().type(CredentialType.STATIC_BEARER)
        .mcpServerUrl(NEW_STATIC_URL).protocol(Protocol.SSE)
        .accessToken(secret(accessTokenFor(NEW_STATIC_URL)));
  }

  private static CreateCredentialRequest.Builder newOauth() {
    return oauthBuilder(NEW_OAUTH_URL);
  }

  private static CreateCredentialRequest.Builder newEnv() {
    return envBuilder("NEW_KEY");
  }

  /** A valid refresh grant of {@link #newOauth()} with one part replaced. */
  private static OAuthRefreshRequest grant(String endpoint, String clientId, String scope,
      String resource, Secret refreshToken, TokenEndpointAuth auth) {
    return new OAuthRefreshRequest(endpoint, clientId, scope, resource, refreshToken, auth);
  }

  private static Secret refreshToken() {
    return secret(refreshTokenFor(NEW_OAUTH_URL));
  }

  private static TokenEndpointAuth basic() {
    return TokenEndpointAuth.basic(secret(clientSecretFor(NEW_OAUTH_URL)));
  }

  private static CreateCredentialRequest oauthWithGrant(OAuthRefreshRequest grant) {
    return newOauth().refresh(grant).build();
  }

  private static CreateCredentialRequest endpoint(String endpoint) {
    return oauthWithGrant(grant(endpoint, "client", null, null, refreshToken(), basic()));
  }

  private static CreateCredentialRequest envHosts(List<String> hosts) {
    return newEnv().networking(Networking.limited(hosts)).build();
  }

  private static CreateCredentialRequest envHost(String host) {
    return envHosts(Arrays.asList("api.example.com", host));
  }

  private static Map<String, String> manyKeys(int n) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, "v");
    }
    return m;
  }

  private static Secret destroyedSecret() {
    Secret s = Secret.of("was-a-secret");
    s.destroy();
    return s;
  }

  private static List<CreateRule> createRules() {
    String hostMessage = "Field 'allowed_hosts' entries must each be a bare host name, an IPv4 "
        + "address or a '*.' wildcard such as *.example.com (no URL, port, path or IPv6).";
    String hostsCount = "Field 'allowed_hosts' must list 1-16 hosts.";
    String endpointHttps = "Field 'token_endpoint' must be an https URL (http is allowed only "
        + "for a loopback host).";
    String namePattern = "Field 'secret_name' must match [A-Za-z_][A-Za-z0-9_]* (a letter or "
        + "underscore, then letters, digits or underscores).";
    String valueControl = "Field 'secret_value' must not contain control characters other than "
        + "tab.";
    List<CreateRule> rules = new ArrayList<>();
    // Every kind: display_name and metadata.
    Map<String, Supplier<CreateCredentialRequest.Builder>> kinds = new LinkedHashMap<>();
    kinds.put("static_bearer", BadInputContract::newStatic);
    kinds.put("mcp_oauth", BadInputContract::newOauth);
    kinds.put("environment_variable", BadInputContract::newEnv);
    kinds.forEach((kind, b) -> {
      rules.add(rule(kind + " display_name 256",
          "Field 'display_name' must be at most 255 characters.", "display_name",
          () -> b.get().displayName("d".repeat(256)).build()));
      rules.add(rule(kind + " display_name 256 emoji",
          "Field 'display_name' must be at most 255 characters.", "display_name",
          () -> b.get().displayName("\uD83D\uDD11".repeat(256)).build()));
      rules.add(rule(kind + " display_name empty", "Field 'display_name' must not be empty.",
          "display_name", () -> b.get().displayName("").build()));
      rules.add(rule(kind + " display_name spaces", "Field 'display_name' must not be empty.",
          "display_name", () -> b.get().displayName("  ").build()));
      rules.add(rule(kind + " display_name control",
          "Field 'display_name' must not contain control characters.", "display_name",
          () -> b.get().displayName("a\nb").build()));
      rules.add(rule(kind + " metadata 17 keys", "Field 'metadata' must have at most 16 keys.",
          "metadata", () -> b.get().metadata(manyKeys(17)).build()));
      rules.add(rule(kind + " metadata key 65", "Field 'metadata' keys must be 1-64 characters.",
          "metadata", () -> b.get().putMetadata("k".repeat(65), "v").build()));
      rules.add(rule(kind + " metadata empty key",
          "Field 'metadata' keys must be 1-64 characters.", "metadata",
          () -> b.get().putMetadata("", "v").build()));
      rules.add(rule(kind + " metadata value 513",
          "Field 'metadata' values must be at most 512 characters.", "metadata",
          () -> b.get().putMetadata("k", "v".repeat(513)).build()));
      rules.add(rule(kind + " metadata value null", "Field 'metadata' values must not be null.",
          "metadata", () -> b.get().putMetadata("k", null).build()));
    });

    // static_bearer: the fields of the other kinds do not apply.
    String notStatic = " does not apply to static_bearer credentials.";
    rules.addAll(List.of(
        rule("static_bearer expires_at", "Field 'expires_at'" + notStatic, "expires_at",
            () -> newStatic().expiresAt(T0.plusSeconds(3600)).build()),
        rule("static_bearer refresh", "Field 'refresh'" + notStatic, "refresh",
            () -> newStatic().refresh(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.none())).build()),
        rule("static_bearer secret_name", "Field 'secret_name'" + notStatic, "secret_name",
            () -> newStatic().secretName("X").build()),
        rule("static_bearer secret_value", "Field 'secret_value'" + notStatic, "secret_value",
            () -> newStatic().secretValue(secret("sv_not_for_static")).build()),
        rule("static_bearer networking", "Field 'networking'" + notStatic, "networking",
            () -> newStatic().networking(Networking.unrestricted()).build()),
        rule("static_bearer injection_location", "Field 'injection_location'" + notStatic,
            "injection_location",
            () -> newStatic().injectionLocation(new InjectionLocation(true, false)).build())));

    // mcp_oauth.
    String notOauth = " does not apply to mcp_oauth credentials.";
    rules.addAll(List.of(
        rule("mcp_oauth url null", "Field 'mcp_server_url' is required.", "mcp_server_url",
            () -> newOauth().mcpServerUrl(null).build()),
        rule("mcp_oauth url ftp", "Field 'mcp_server_url' must be an absolute http or https URL.",
            "mcp_server_url", () -> newOauth().mcpServerUrl("ftp://example.com/mcp").build()),
        rule("mcp_oauth url fragment", "Field 'mcp_server_url' must not contain a fragment.",
            "mcp_server_url", () -> newOauth().mcpServerUrl("https://e.example/mcp#x").build()),
        rule("mcp_oauth protocol null", "Field 'protocol' is required.", "protocol",
            () -> newOauth().protocol((Protocol) null).build()),
        rule("mcp_oauth access_token null", "Field 'access_token' is required for mcp_oauth "
            + "type.", "access_token", () -> newOauth().accessToken((Secret) null).build()),
        rule("mcp_oauth access_token null string", "Field 'access_token' is required for "
            + "mcp_oauth type.", "access_token",
            () -> newOauth().accessToken(Secret.of((String) null)).build()),
        rule("mcp_oauth access_token empty", "Field 'access_token' is required for mcp_oauth "
            + "type.", "access_token", () -> newOauth().accessToken(Secret.of("")).build()),
        rule("mcp_oauth access_token 8193", "Field 'access_token' must be at most 8192 "
            + "characters.", "access_token",
            () -> newOauth().accessToken(Secret.of("a".repeat(8193))).build()),
        rule("mcp_oauth access_token space", "Field 'access_token' must contain only printable "
            + "ASCII characters without spaces.", "access_token",
            () -> newOauth().accessToken(Secret.of("at with space")).build()),
        rule("mcp_oauth access_token CRLF", "Field 'access_token' must contain only printable "
            + "ASCII characters without spaces.", "access_token",
            () -> newOauth().accessToken(Secret.of("at\r\nX-Evil: 1")).build()),
        rule("mcp_oauth access_token destroyed", "Field 'access_token' was destroyed before it "
            + "could be stored.", "access_token",
            () -> newOauth().accessToken(destroyedSecret()).build()),
        rule("mcp_oauth expires_at in the past", "Field 'expires_at' must be in the future.",
            "expires_at", () -> newOauth().expiresAt(T0.minusSeconds(1)).build()),
        rule("mcp_oauth expires_at now", "Field 'expires_at' must be in the future.",
            "expires_at", () -> newOauth().expiresAt(T0).build()),
        rule("mcp_oauth expires_at long ago", "Field 'expires_at' must be in the future.",
            "expires_at", () -> newOauth().expiresAt(Instant.EPOCH).build()),
        rule("mcp_oauth expires_at year 10000", "Field 'expires_at' must be at most "
            + "9999-12-31T23:59:59.999999Z.", "expires_at",
            () -> newOauth().expiresAt(Instant.parse("+10000-01-01T00:00:00Z")).build()),
        rule("mcp_oauth token_endpoint null", "Field 'token_endpoint' is required.",
            "refresh.token_endpoint", () -> endpoint(null)),
        rule("mcp_oauth token_endpoint empty", "Field 'token_endpoint' must not be empty.",
            "refresh.token_endpoint", () -> endpoint("")),
        rule("mcp_oauth token_endpoint http", endpointHttps, "refresh.token_endpoint",
            () -> endpoint("http://auth.example.com/token")),
        rule("mcp_oauth token_endpoint http private address", endpointHttps,
            "refresh.token_endpoint", () -> endpoint("http://10.0.0.1/token")),
        rule("mcp_oauth token_endpoint http 127 look-alike", endpointHttps,
            "refresh.token_endpoint", () -> endpoint("http://127.0.0.1.evil.example/token")),
        rule("mcp_oauth token_endpoint http localhost look-alike", endpointHttps,
            "refresh.token_endpoint", () -> endpoint("http://localhost.evil.example/token")),
        rule("mcp_oauth token_endpoint ftp", "Field 'token_endpoint' must be an absolute http or "
            + "https URL.", "refresh.token_endpoint", () -> endpoint("ftp://auth.example.com/t")),
        rule("mcp_oauth token_endpoint relative", "Field 'token_endpoint' must be an absolute "
            + "http or https URL.", "refresh.token_endpoint", () -> endpoint("/oauth/token")),
        rule("mcp_oauth token_endpoint user info", "Field 'token_endpoint' must not contain user "
            + "information.", "refresh.token_endpoint",
            () -> endpoint("https://u:p@auth.example.com/token")),
        rule("mcp_oauth token_endpoint fragment", "Field 'token_endpoint' must not contain a "
            + "fragment.", "refresh.token_endpoint",
            () -> endpoint("https://auth.example.com/token#f")),
        rule("mcp_oauth token_endpoint query", "Field 'token_endpoint' must not contain a query.",
            "refresh.token_endpoint", () -> endpoint("https://auth.example.com/token?a=b")),
        rule("mcp_oauth token_endpoint space", "Field 'token_endpoint' must not contain spaces, "
            + "control or non-ASCII characters.", "refresh.token_endpoint",
            () -> endpoint("https://auth.example.com/to ken")),
        rule("mcp_oauth token_endpoint 2049", "Field 'token_endpoint' must be at most 2048 "
            + "characters.", "refresh.token_endpoint",
            () -> endpoint("https://auth.example.com/" + "t".repeat(2049 - 25))),
        rule("mcp_oauth client_id null", "Field 'client_id' is required.", "refresh.client_id",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, null, null, null, refreshToken(),
                basic()))),
        rule("mcp_oauth client_id empty", "Field 'client_id' must not be empty.",
            "refresh.client_id", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "", null, null,
                refreshToken(), basic()))),
        rule("mcp_oauth client_id spaces", "Field 'client_id' must not be empty.",
            "refresh.client_id", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "   ", null, null,
                refreshToken(), basic()))),
        rule("mcp_oauth client_id 1025", "Field 'client_id' must be at most 1024 characters.",
            "refresh.client_id", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c".repeat(1025),
                null, null, refreshToken(), basic()))),
        rule("mcp_oauth client_id control", "Field 'client_id' must not contain control "
            + "characters.", "refresh.client_id", () -> oauthWithGrant(grant(TOKEN_ENDPOINT,
                "client\u0000", null, null, refreshToken(), basic()))),
        rule("mcp_oauth scope empty", "Field 'scope' must not be empty.", "refresh.scope",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", "", null, refreshToken(),
                basic()))),
        rule("mcp_oauth scope quote", "Field 'scope' must be space-separated scope tokens of "
            + "printable ASCII (RFC 6749 section 3.3).", "refresh.scope",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", "read \"write\"", null,
                refreshToken(), basic()))),
        rule("mcp_oauth scope 1025", "Field 'scope' must be at most 1024 characters.",
            "refresh.scope", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", "s".repeat(1025),
                null, refreshToken(), basic()))),
        rule("mcp_oauth resource not http", "Field 'resource' must be an absolute http or https "
            + "URL.", "refresh.resource", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null,
                "urn:example:mcp", refreshToken(), basic()))),
        rule("mcp_oauth resource fragment", "Field 'resource' must not contain a fragment.",
            "refresh.resource", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null,
                "https://mcp.example.com/#x", refreshToken(), basic()))),
        rule("mcp_oauth refresh_token null", "Field 'refresh_token' is required.",
            "refresh.refresh_token", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null,
                null, basic()))),
        rule("mcp_oauth refresh_token empty", "Field 'refresh_token' is required.",
            "refresh.refresh_token", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null,
                Secret.of(""), basic()))),
        rule("mcp_oauth refresh_token spaces", "Field 'refresh_token' must not be only spaces.",
            "refresh.refresh_token", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null,
                Secret.of("   "), basic()))),
        rule("mcp_oauth refresh_token 8193", "Field 'refresh_token' must be at most 8192 "
            + "characters.", "refresh.refresh_token", () -> oauthWithGrant(grant(TOKEN_ENDPOINT,
                "c", null, null, Secret.of("r".repeat(8193)), basic()))),
        rule("mcp_oauth refresh_token line break", "Field 'refresh_token' must contain only "
            + "printable ASCII characters.", "refresh.refresh_token",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, Secret.of("rt\nrt"),
                basic()))),
        rule("mcp_oauth refresh_token destroyed", "Field 'refresh_token' was destroyed before it "
            + "could be stored.", "refresh.refresh_token",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, destroyedSecret(),
                basic()))),
        rule("mcp_oauth token_endpoint_auth type null", "Field 'type' is required.",
            "refresh.token_endpoint_auth.type", () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c",
                null, null, refreshToken(), new TokenEndpointAuth(null, null)))),
        rule("mcp_oauth client_secret missing for basic", "Field 'client_secret' is required for "
            + "client_secret_basic.", "refresh.token_endpoint_auth.client_secret",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.basic(null)))),
        rule("mcp_oauth client_secret missing for post", "Field 'client_secret' is required for "
            + "client_secret_post.", "refresh.token_endpoint_auth.client_secret",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.post(null)))),
        rule("mcp_oauth client_secret null string for post", "Field 'client_secret' is required "
            + "for client_secret_post.", "refresh.token_endpoint_auth.client_secret",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.post(Secret.of((String) null))))),
        rule("mcp_oauth client_secret empty for basic", "Field 'client_secret' is required.",
            "refresh.token_endpoint_auth.client_secret", () -> oauthWithGrant(grant(
                TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.basic(Secret.of(""))))),
        rule("mcp_oauth client_secret spaces for basic", "Field 'client_secret' must not be "
            + "only spaces.", "refresh.token_endpoint_auth.client_secret", () -> oauthWithGrant(
                grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                    TokenEndpointAuth.basic(Secret.of(" "))))),
        rule("mcp_oauth client_secret given for none", "Field 'client_secret' must not be given "
            + "when 'token_endpoint_auth.type' is none.",
            "refresh.token_endpoint_auth.client_secret", () -> oauthWithGrant(grant(
                TOKEN_ENDPOINT, "c", null, null, refreshToken(), new TokenEndpointAuth(
                    TokenEndpointAuthMethod.NONE, secret("cs_for_a_public_client"))))),
        rule("mcp_oauth client_secret 8193", "Field 'client_secret' must be at most 8192 "
            + "characters.", "refresh.token_endpoint_auth.client_secret",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.post(Secret.of("s".repeat(8193)))))),
        rule("mcp_oauth client_secret control", "Field 'client_secret' must contain only "
            + "printable ASCII characters.", "refresh.token_endpoint_auth.client_secret",
            () -> oauthWithGrant(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.post(Secret.of("cs\u0007"))))),
        rule("mcp_oauth secret_name", "Field 'secret_name'" + notOauth, "secret_name",
            () -> newOauth().secretName("X").build()),
        rule("mcp_oauth secret_value", "Field 'secret_value'" + notOauth, "secret_value",
            () -> newOauth().secretValue(secret("sv_not_for_oauth")).build()),
        rule("mcp_oauth networking", "Field 'networking'" + notOauth, "networking",
            () -> newOauth().networking(Networking.unrestricted()).build()),
        rule("mcp_oauth injection_location", "Field 'injection_location'" + notOauth,
            "injection_location",
            () -> newOauth().injectionLocation(new InjectionLocation(false, true)).build())));

    // environment_variable.
    String notEnv = " does not apply to environment_variable credentials.";
    rules.addAll(List.of(
        rule("env secret_name null", "Field 'secret_name' is required.", "secret_name",
            () -> newEnv().secretName(null).build()),
        rule("env secret_name empty", "Field 'secret_name' must not be empty.", "secret_name",
            () -> newEnv().secretName("").build()),
        rule("env secret_name digit first", namePattern, "secret_name",
            () -> newEnv().secretName("1KEY").build()),
        rule("env secret_name dash", namePattern, "secret_name",
            () -> newEnv().secretName("API-KEY").build()),
        rule("env secret_name dot", namePattern, "secret_name",
            () -> newEnv().secretName("api.key").build()),
        rule("env secret_name space", namePattern, "secret_name",
            () -> newEnv().secretName("API KEY").build()),
        rule("env secret_name equals", namePattern, "secret_name",
            () -> newEnv().secretName("A=B").build()),
        rule("env secret_name non-ASCII letter", namePattern, "secret_name",
            () -> newEnv().secretName("SCHL\u00dcSSEL").build()),
        rule("env secret_name line break", namePattern, "secret_name",
            () -> newEnv().secretName("KEY\n").build()),
        rule("env secret_name 256", "Field 'secret_name' must be at most 255 characters.",
            "secret_name", () -> newEnv().secretName("K".repeat(256)).build()),
        rule("env secret_value null", "Field 'secret_value' is required for environment_variable "
            + "type.", "secret_value", () -> newEnv().secretValue(null).build()),
        rule("env secret_value null string", "Field 'secret_value' is required for "
            + "environment_variable type.", "secret_value",
            () -> newEnv().secretValue(Secret.of((String) null)).build()),
        rule("env secret_value empty", "Field 'secret_value' is required for "
            + "environment_variable type.", "secret_value",
            () -> newEnv().secretValue(Secret.of("")).build()),
        rule("env secret_value 8193", "Field 'secret_value' must be at most 8192 characters.",
            "secret_value", () -> newEnv().secretValue(Secret.of("v".repeat(8193))).build()),
        rule("env secret_value line break", valueControl, "secret_value",
            () -> newEnv().secretValue(Secret.of("value\r\nX-Evil: 1")).build()),
        rule("env secret_value NUL", valueControl, "secret_value",
            () -> newEnv().secretValue(Secret.of("val\u0000ue")).build()),
        rule("env secret_value DEL", valueControl, "secret_value",
            () -> newEnv().secretValue(Secret.of("val\u007fue")).build()),
        rule("env secret_value C1 control", valueControl, "secret_value",
            () -> newEnv().secretValue(Secret.of("val\u0085ue")).build()),
        rule("env secret_value destroyed", "Field 'secret_value' was destroyed before it could "
            + "be stored.", "secret_value", () -> newEnv().secretValue(destroyedSecret()).build()),
        rule("env networking null", "Field 'networking' is required for environment_variable "
            + "type.", "networking", () -> newEnv().networking(null).build()),
        rule("env allowed_hosts null", hostsCount, "networking.allowed_hosts",
            () -> envHosts(null)),
        rule("env allowed_hosts empty", hostsCount, "networking.allowed_hosts",
            () -> envHosts(List.of())),
        rule("env allowed_hosts 17", hostsCount, "networking.allowed_hosts", () -> {
          List<String> hosts = new ArrayList<>();
          for (int i = 0; i < 17; i++) {
            hosts.add("h" + i + ".example.com");
          }
          return envHosts(hosts);
        })));
    Map<String, String> badHosts = new LinkedHashMap<>();
    badHosts.put("https URL", "https://api.example.com");
    badHosts.put("URL with path", "https://api.example.com/v1");
    badHosts.put("port", "api.example.com:443");
    badHosts.put("path", "api.example.com/v1");
    badHosts.put("IPv6", "2001:db8::1");
    badHosts.put("IPv6 loopback", "::1");
    badHosts.put("bracketed IPv6", "[::1]");
    badHosts.put("empty", "");
    badHosts.put("null", null);
    badHosts.put("wildcard alone", "*.");
    badHosts.put("star", "*");
    badHosts.put("wildcard of one label", "*.com");
    badHosts.put("wildcard in the middle", "api.*.example.com");
    badHosts.put("double wildcard", "*.*.example.com");
    badHosts.put("wildcard without dot", "*example.com");
    badHosts.put("wildcard of an IPv4 address", "*.10.0.0.1");
    badHosts.put("label starting with a dash", "-api.example.com");
    badHosts.put("label ending with a dash", "api-.example.com");
    badHosts.put("underscore", "api_x.example.com");
    badHosts.put("empty label", "api..example.com");
    badHosts.put("trailing dot", "api.example.com.");
    badHosts.put("leading dot", ".example.com");
    badHosts.put("label of 64", "a".repeat(64) + ".example.com");
    badHosts.put("five numbers", "1.2.3.4.5");
    badHosts.put("IPv4 out of range", "256.1.1.1");
    badHosts.put("three numbers", "10.0.0");
    badHosts.put("space", "api example.com");
    badHosts.put("non-ASCII", "b\u00fccher.example");
    badHosts.put("user info", "user@api.example.com");
    badHosts.put("256 characters", ("a".repeat(63) + ".").repeat(4) + "com");
    badHosts.forEach((what, host) -> rules.add(rule("env allowed_hosts " + what, hostMessage,
        "networking.allowed_hosts[1]", () -> envHost(host))));
    rules.addAll(List.of(
        rule("env allowed_hosts bad first entry", hostMessage, "networking.allowed_hosts[0]",
            () -> envHosts(List.of("api.example.com:8443", "api.example.com"))),
        rule("env injection_location null", "Field 'injection_location' is required for "
            + "environment_variable type.", "injection_location",
            () -> newEnv().injectionLocation(null).build()),
        rule("env injection_location nowhere", "Field 'injection_location' must enable "
            + "'header', 'body' or both.", "injection_location",
            () -> newEnv().injectionLocation(new InjectionLocation(false, false)).build()),
        rule("env mcp_server_url", "Field 'mcp_server_url'" + notEnv, "mcp_server_url",
            () -> newEnv().mcpServerUrl(NEW_STATIC_URL).build()),
        rule("env protocol", "Field 'protocol'" + notEnv, "protocol",
            () -> newEnv().protocol(Protocol.SSE).build()),
        rule("env access_token", "Field 'access_token'" + notEnv, "access_token",
            () -> newEnv().accessToken(secret("at_not_for_env")).build()),
        rule("env expires_at", "Field 'expires_at'" + notEnv, "expires_at",
            () -> newEnv().expiresAt(T0.plusSeconds(60)).build()),
        rule("env refresh", "Field 'refresh'" + notEnv, "refresh",
            () -> newEnv().refresh(grant(TOKEN_ENDPOINT, "c", null, null, refreshToken(),
                TokenEndpointAuth.none())).build())));
    return rules;
  }

  private static final class KindCase {
    final String name;
    final ErrorType type;
    final String message;
    final String param;
    final Consumer<KindIds> call;

    KindCase(String name, ErrorType type, String message, String param, Consumer<KindIds> call) {
      this.name = name;
      this.type = type;
      this.message = message;
      this.param = param;
      this.call = call;
    }
  }

  private static KindCase update(String name, String message, String param,
      Function<KindIds, String> credential, Supplier<UpdateCredentialRequest> request) {
    return new KindCase("update " + name, ErrorType.INVALID_REQUEST, message, param,
        i -> i.service().updateCredential(i.vaultId(), credential.apply(i), request.get()));
  }

  private static UpdateCredentialRequest.Builder updateOf(CredentialType type) {
    return UpdateCredentialRequest.builder(type);
  }

  private static List<KindCase> kindCases() {
    List<KindCase> cases = new ArrayList<>();
    for (CreateRule r : createRules()) {
      cases.add(new KindCase("create " + r.name(), ErrorType.INVALID_REQUEST, r.message(),
          r.field(), i -> i.service().createCredential(i.vaultId(), r.request().get())));
      cases.add(new KindCase("create vault " + r.name(), ErrorType.INVALID_REQUEST,
          r.message(), "credentials[1]." + r.field(),
          i -> i.service().createVault(CreateVaultRequest.builder().displayName("v")
              .addCredential(env("FIRST_IN_VAULT")).addCredential(r.request().get()).build())));
    }

    // Identity conflicts.
    String dupName = "A credential already exists for this secret name.";
    String dupUrl = "A credential already exists for this MCP server URL.";
    cases.addAll(List.of(
        new KindCase("create env duplicate secret name", ErrorType.CONFLICT, dupName,
            "secret_name", i -> i.service().createCredential(i.vaultId(), env(ENV_NAME))),
        new KindCase("create env duplicate secret name, other settings", ErrorType.CONFLICT,
            dupName, "secret_name", i -> i.service().createCredential(i.vaultId(),
                envBuilder(ENV_NAME).networking(Networking.limited(List.of("*.example.com")))
                    .injectionLocation(new InjectionLocation(false, true)).displayName("again")
                    .build())),
        new KindCase("create mcp_oauth on a static_bearer's URL", ErrorType.CONFLICT, dupUrl,
            "mcp_server_url", i -> i.service().createCredential(i.vaultId(), oauth(URL))),
        new KindCase("create mcp_oauth on a static_bearer's URL, another spelling",
            ErrorType.CONFLICT, dupUrl, "mcp_server_url", i -> i.service().createCredential(
                i.vaultId(), oauth("HTTPS://Example.COM:443/mcp"))),
        new KindCase("create static_bearer on an mcp_oauth's URL", ErrorType.CONFLICT, dupUrl,
            "mcp_server_url", i -> i.service().createCredential(i.vaultId(),
                credential(OAUTH_URL))),
        new KindCase("create mcp_oauth on an mcp_oauth's URL", ErrorType.CONFLICT, dupUrl,
            "mcp_server_url", i -> i.service().createCredential(i.vaultId(),
                oauth(BARE_OAUTH_URL))),
        new KindCase("create vault with a secret name twice", ErrorType.CONFLICT, dupName,
            "credentials[1].secret_name", i -> i.service().createVault(CreateVaultRequest
                .builder().displayName("v").addCredential(env("TWICE")).addCredential(env("TWICE"))
                .build())),
        new KindCase("create vault with a static_bearer and an mcp_oauth of one URL",
            ErrorType.CONFLICT, dupUrl, "credentials[1].mcp_server_url",
            i -> i.service().createVault(CreateVaultRequest.builder().displayName("v")
                .addCredential(credential("https://twice.example/mcp"))
                .addCredential(oauth("https://TWICE.example/mcp")).build())),
        new KindCase("create vault with an mcp_oauth and a static_bearer of one URL",
            ErrorType.CONFLICT, dupUrl, "credentials[2].mcp_server_url",
            i -> i.service().createVault(CreateVaultRequest.builder().displayName("v")
                .addCredential(oauth("https://twice.example/mcp")).addCredential(env("TWICE"))
                .addCredential(credential("https://twice.example:443/mcp")).build()))));

    // Update.
    Function<KindIds, String> s = KindIds::staticId;
    Function<KindIds, String> o = KindIds::oauthId;
    Function<KindIds, String> bare = KindIds::bareOauthId;
    Function<KindIds, String> pub = KindIds::publicOauthId;
    Function<KindIds, String> e = KindIds::envId;
    CredentialType sb = CredentialType.STATIC_BEARER;
    CredentialType mo = CredentialType.MCP_OAUTH;
    CredentialType ev = CredentialType.ENVIRONMENT_VARIABLE;
    String locked = "' cannot be changed after the credential is created; omit it.";
    cases.addAll(List.of(
        update("no body", "Request body is required.", null, o, () -> null),
        update("type null", "Field 'type' is required.", "type", o,
            () -> updateOf(null).displayName("x").build()),
        update("nothing to change", "At least one field to change must be given.", null, o,
            () -> updateOf(mo).build()),
        update("static_bearer mcp_server_url", "Field 'mcp_server_url" + locked,
            "mcp_server_url", s, () -> updateOf(sb).mcpServerUrl(URL).build()),
        update("mcp_oauth mcp_server_url", "Field 'mcp_server_url" + locked, "mcp_server_url", o,
            () -> updateOf(mo).mcpServerUrl("https://elsewhere.example/mcp").build()),
        update("mcp_oauth mcp_server_url null", "Field 'mcp_server_url" + locked,
            "mcp_server_url", o, () -> updateOf(mo).mcpServerUrl(null).build()),
        update("env secret_name", "Field 'secret_name" + locked, "secret_name", e,
            () -> updateOf(ev).secretName("OTHER_NAME").build()),
        update("env secret_name unchanged", "Field 'secret_name" + locked, "secret_name", e,
            () -> updateOf(ev).secretName(ENV_NAME).secretValue(secret("sv_locked_case"))
                .build()),
        update("mcp_oauth refresh.token_endpoint", "Field 'refresh.token_endpoint" + locked,
            "refresh.token_endpoint", o, () -> updateOf(mo).refresh(RefreshPatch.empty()
                .withTokenEndpoint("https://other-auth.example.com/token")).build()),
        update("mcp_oauth refresh.token_endpoint unchanged",
            "Field 'refresh.token_endpoint" + locked, "refresh.token_endpoint", o,
            () -> updateOf(mo).refresh(RefreshPatch.empty().withTokenEndpoint(TOKEN_ENDPOINT))
                .build()),
        update("mcp_oauth refresh.client_id", "Field 'refresh.client_id" + locked,
            "refresh.client_id", o, () -> updateOf(mo).refresh(RefreshPatch.empty()
                .withClientId("other-client").withScope("read")).build()),
        update("type of a static_bearer", "Field 'type' must be 'static_bearer', the "
            + "credential's type: a credential's type cannot change.", "type", s,
            () -> updateOf(mo).displayName("x").build()),
        update("type of a static_bearer, with an env field", "Field 'type' must be "
            + "'static_bearer', the credential's type: a credential's type cannot change.",
            "type", s, () -> updateOf(ev).secretValue(secret("sv_type_mismatch")).build()),
        update("type of an mcp_oauth", "Field 'type' must be 'mcp_oauth', the credential's "
            + "type: a credential's type cannot change.", "type", o,
            () -> updateOf(sb).accessToken(secret("at_type_mismatch")).build()),
        update("type of an env", "Field 'type' must be 'environment_variable', the "
            + "credential's type: a credential's type cannot change.", "type", e,
            () -> updateOf(mo).displayName("x").build()),
        update("static_bearer expires_at", "Field 'expires_at' does not apply to static_bearer "
            + "credentials.", "expires_at", s,
            () -> updateOf(sb).expiresAt(T0.plusSeconds(60)).build()),
        update("static_bearer expires_at null", "Field 'expires_at' does not apply to "
            + "static_bearer credentials.", "expires_at", s,
            () -> updateOf(sb).expiresAt(null).build()),
        update("static_bearer refresh", "Field 'refresh' does not apply to static_bearer "
            + "credentials.", "refresh", s,
            () -> updateOf(sb).refresh(RefreshPatch.empty().withScope("x")).build()),
        update("static_bearer secret_value", "Field 'secret_value' does not apply to "
            + "static_bearer credentials.", "secret_value", s,
            () -> updateOf(sb).secretValue(secret("sv_not_static")).build()),
        update("static_bearer networking", "Field 'networking' does not apply to static_bearer "
            + "credentials.", "networking", s,
            () -> updateOf(sb).networking(Networking.unrestricted()).build()),
        update("mcp_oauth injection_location", "Field 'injection_location' does not apply to "
            + "mcp_oauth credentials.", "injection_location", o,
            () -> updateOf(mo).injectionLocation(new InjectionLocation(true, true)).build()),
        update("mcp_oauth secret_value", "Field 'secret_value' does not apply to mcp_oauth "
            + "credentials.", "secret_value", o,
            () -> updateOf(mo).secretValue(secret("sv_not_oauth")).build()),
        update("env access_token", "Field 'access_token' does not apply to "
            + "environment_variable credentials.", "access_token", e,
            () -> updateOf(ev).accessToken(secret("at_not_env")).build()),
        update("env protocol", "Field 'protocol' does not apply to environment_variable "
            + "credentials.", "protocol", e, () -> updateOf(ev).protocol(Protocol.SSE).build()),
        update("env expires_at", "Field 'expires_at' does not apply to environment_variable "
            + "credentials.", "expires_at", e,
            () -> updateOf(ev).expiresAt(T0.plusSeconds(60)).build()),
        update("env refresh", "Field 'refresh' does not apply to environment_variable "
            + "credentials.", "refresh", e, () -> updateOf(ev).refresh(null).build()),
        update("mcp_oauth access_token null", "Field 'access_token' cannot be cleared.",
            "access_token", o, () -> updateOf(mo).accessToken((Secret) null).build()),
        update("static_bearer protocol null", "Field 'protocol' cannot be cleared.", "protocol",
            s, () -> updateOf(sb).protocol(null).build()),
        update("env secret_value null", "Field 'secret_value' cannot be cleared.",
            "secret_value", e, () -> updateOf(ev).secretValue(null).build()),
        update("env networking null", "Field 'networking' cannot be cleared.", "networking", e,
            () -> updateOf(ev).networking(null).build()),
        update("env injection_location null", "Field 'injection_location' cannot be cleared.",
            "injection_location", e, () -> updateOf(ev).injectionLocation(null).build()),
        update("mcp_oauth refresh_token null", "Field 'refresh_token' cannot be cleared.",
            "refresh.refresh_token", o,
            () -> updateOf(mo).refresh(RefreshPatch.empty().withRefreshToken(null)).build()),
        update("mcp_oauth token_endpoint_auth null", "Field 'token_endpoint_auth' cannot be "
            + "cleared.", "refresh.token_endpoint_auth", o,
            () -> updateOf(mo).refresh(RefreshPatch.empty().withTokenEndpointAuth(null))
                .build()),
        update("mcp_oauth access_token 8193", "Field 'access_token' must be at most 8192 "
            + "characters.", "access_token", o,
            () -> updateOf(mo).accessToken(Secret.of("a".repeat(8193))).build()),
        update("mcp_oauth access_token empty", "Field 'access_token' is required for mcp_oauth "
            + "type.", "access_token", o, () -> updateOf(mo).accessToken(Secret.of("")).build()),
        update("static_bearer access_token space", "Field 'access_token' must contain only "
            + "printable ASCII characters without spaces.", "access_token", s,
            () -> updateOf(sb).accessToken(Secret.of("a b")).build()),
        update("mcp_oauth expires_at in the past", "Field 'expires_at' must be in the future.",
            "expires_at", o, () -> updateOf(mo).expiresAt(T0.minusSeconds(1)).build()),
        update("mcp_oauth expires_at year 10000", "Field 'expires_at' must be at most "
            + "9999-12-31T23:59:59.999999Z.", "expires_at", o,
            () -> updateOf(mo).expiresAt(Instant.parse("+10000-01-01T00:00:00Z")).build()),
        update("env secret_value line break", "Field 'secret_value' must not contain control "
            + "characters other than tab.", "secret_value", e,
            () -> updateOf(ev).secretValue(Secret.of("a\r\nb")).build()),
        update("env secret_value 8193", "Field 'secret_value' must be at most 8192 characters.",
            "secret_value", e, () -> updateOf(ev).secretValue(Secret.of("v".repeat(8193)))
                .build()),
        update("env secret_value empty", "Field 'secret_value' is required for "
            + "environment_variable type.", "secret_value", e,
            () -> updateOf(ev).secretValue(Secret.of("")).build()),
        update("env allowed_hosts port", "Field 'allowed_hosts' entries must each be a bare host "
            + "name, an IPv4 address or a '*.' wildcard such as *.example.com (no URL, port, "
            + "path or IPv6).", "networking.allowed_hosts[0]", e,
            () -> updateOf(ev).networking(Networking.limited(List.of("api.example.com:443")))
                .build()),
        update("env allowed_hosts empty", "Field 'allowed_hosts' must list 1-16 hosts.",
            "networking.allowed_hosts", e,
            () -> updateOf(ev).networking(Networking.limited(List.of())).build()),
        update("env injection_location nowhere", "Field 'injection_location' must enable "
            + "'header', 'body' or both.", "injection_location", e,
            () -> updateOf(ev).injectionLocation(new InjectionLocation(false, false)).build()),
        update("display_name 256", "Field 'display_name' must be at most 255 characters.",
            "display_name", o, () -> updateOf(mo).displayName("d".repeat(256)).build()),
        update("display_name empty", "Field 'display_name' must not be empty.", "display_name",
            e, () -> updateOf(ev).displayName("").build()),
        update("display_name control", "Field 'display_name' must not contain control "
            + "characters.", "display_name", s, () -> updateOf(sb).displayName("a\u0000").build()),
        update("metadata key 65", "Field 'metadata' keys must be 1-64 characters.", "metadata",
            e, () -> updateOf(ev).putMetadata("k".repeat(65), "v").build()),
        update("metadata value 513", "Field 'metadata' values must be at most 512 characters.",
            "metadata", o, () -> updateOf(mo).putMetadata("k", "v".repeat(513)).build()),
        update("metadata to 17 keys", "Field 'metadata' must have at most 16 keys.", "metadata",
            s, () -> {
              UpdateCredentialRequest.Builder b = updateOf(sb);
              manyKeys(17).forEach(b::putMetadata);
              return b.build();
            }),
        update("refresh scope quote", "Field 'scope' must be space-separated scope tokens of "
            + "printable ASCII (RFC 6749 section 3.3).", "refresh.scope", o,
            () -> updateOf(mo).refresh(RefreshPatch.empty().withScope("a\"b")).build()),
        update("refresh resource not http", "Field 'resource' must be an absolute http or https "
            + "URL.", "refresh.resource", o,
            () -> updateOf(mo).refresh(RefreshPatch.empty().withResource("urn:x")).build()),
        update("refresh refresh_token 8193", "Field 'refresh_token' must be at most 8192 "
            + "characters.", "refresh.refresh_token", o, () -> updateOf(mo).refresh(
                RefreshPatch.empty().withRefreshToken(Secret.of("r".repeat(8193)))).build()),
        update("refresh refresh_token spaces", "Field 'refresh_token' must not be only spaces.",
            "refresh.refresh_token", o, () -> updateOf(mo).refresh(
                RefreshPatch.empty().withRefreshToken(Secret.of("  "))).build()),
        update("refresh refresh_token empty", "Field 'refresh_token' is required.",
            "refresh.refresh_token", o, () -> updateOf(mo).refresh(
                RefreshPatch.empty().withRefreshToken(Secret.of(""))).build()),
        update("refresh client_secret for none", "Field 'client_secret' must not be given when "
            + "'token_endpoint_auth.type' is none.", "refresh.token_endpoint_auth.client_secret",
            o, () -> updateOf(mo).refresh(RefreshPatch.empty().withTokenEndpointAuth(
                new TokenEndpointAuth(TokenEndpointAuthMethod.NONE, secret("cs_for_none"))))
                .build()),
        update("refresh token_endpoint_auth type null", "Field 'type' is required.",
            "refresh.token_endpoint_auth.type", o, () -> updateOf(mo).refresh(RefreshPatch
                .empty().withTokenEndpointAuth(new TokenEndpointAuth(null, null))).build()),
        update("refresh client_secret empty", "Field 'client_secret' is required.",
            "refresh.token_endpoint_auth.client_secret", o, () -> updateOf(mo).refresh(
                RefreshPatch.empty().withTokenEndpointAuth(TokenEndpointAuth.post(Secret.of(""))))
                .build()),
        update("public client to basic without a secret", "Field 'client_secret' is required for "
            + "client_secret_basic.", "refresh.token_endpoint_auth.client_secret", pub,
            () -> updateOf(mo).refresh(RefreshPatch.empty().withTokenEndpointAuth(
                TokenEndpointAuth.basic(null))).build()),
        update("refresh of a credential without a grant", "Field 'refresh' can only patch an "
            + "existing refresh grant; this credential has none (rotate it, or create a new "
            + "one).", "refresh", bare, () -> updateOf(mo).refresh(RefreshPatch.empty()
                .withRefreshToken(secret("rt_for_a_bare_credential"))).build()),
        update("bad credential id", "Field 'credential_id' must be 'vcred_' followed by 32 "
            + "lowercase hex digits.", "credential_id", KindIds::vaultId,
            () -> updateOf(mo).displayName("x").build()),
        new KindCase("update bad vault id", ErrorType.INVALID_REQUEST, "Field 'vault_id' must be "
            + "'vault_' followed by 32 lowercase hex digits.", "vault_id",
            i -> i.service().updateCredential(i.oauthId(), i.oauthId(),
                updateOf(mo).displayName("x").build())),
        new KindCase("update an archived credential", ErrorType.CONFLICT, null, null,
            i -> i.service().updateCredential(i.vaultId(), i.archivedId(),
                updateOf(ev).secretValue(secret("sv_for_an_archived_one")).build())),
        new KindCase("update a missing credential", ErrorType.NOT_FOUND,
            "Credential '" + MISSING_CREDENTIAL + "' was not found.", null,
            i -> i.service().updateCredential(i.vaultId(), MISSING_CREDENTIAL,
                updateOf(mo).displayName("x").build())),
        new KindCase("update in a missing vault", ErrorType.NOT_FOUND,
            "Vault '" + MISSING_VAULT + "' was not found.", null,
            i -> i.service().updateCredential(MISSING_VAULT, i.oauthId(),
                updateOf(mo).displayName("x").build())),
        new KindCase("update through another account", ErrorType.NOT_FOUND, null, null,
            i -> i.service().updateCredential(i.vaultId(), i.oauthId(),
                updateOf(mo).displayName("x").build())),
        new KindCase("rotate env secret value with a line break", ErrorType.INVALID_REQUEST,
            "Field 'secret_value' must not contain control characters other than tab.",
            "secret_value", i -> i.service().rotateCredential(i.vaultId(), i.envId(),
                Secret.of("a\nb"))),
        new KindCase("rotate mcp_oauth access token with a space", ErrorType.INVALID_REQUEST,
            "Field 'access_token' must contain only printable ASCII characters without spaces.",
            "access_token", i -> i.service().rotateCredential(i.vaultId(), i.oauthId(),
                Secret.of("a b"))),
        new KindCase("rotate an archived env", ErrorType.CONFLICT, null, null,
            i -> i.service().rotateCredential(i.vaultId(), i.archivedId(),
                secret("sv_rotate_archived")))));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> everyFieldRuleOfEveryKindGivesTheDocumentedErrorAndChangesNothing() {
    return kindCases().stream().map(c -> DynamicTest.dynamicTest(c.name, () -> {
      KindIds ids = kindFixture();
      if (c.name.equals("update through another account")) {
        ids = new KindIds(otherAccount, ids.vaultId(), ids.staticId(), ids.oauthId(),
            ids.bareOauthId(), ids.publicOauthId(), ids.envId(), ids.archivedId());
      }
      KindIds i = ids;
      List<Object> before = snapshot();
      long writes = store.writes();
      String message = c.message;
      if (c.type == ErrorType.CONFLICT && message == null) {
        message = "Credential '" + ids.archivedId() + "' is archived.";
      }
      if (c.type == ErrorType.NOT_FOUND && message == null) {
        message = "Vault '" + ids.vaultId() + "' was not found.";
      }
      assertError(c.type, message, c.param, () -> c.call.accept(i));
      // A duplicate of a stored credential is refused by the store's atomic insert (that is the
      // one-active-credential rule under concurrent writers), so that call is made; every other
      // rule is checked before any write.
      boolean storeDecides = c.type == ErrorType.CONFLICT && c.name.startsWith("create ")
          && !c.name.startsWith("create vault ");
      if (!storeDecides) {
        assertEquals(writes, store.writes(), "a rejected request reached the store's write path");
      }
      assertEquals(before, snapshot(), "a rejected request changed the state");
      vaults.deleteVault(ids.vaultId());
    }));
  }

  @TestFactory
  Stream<DynamicTest> accountIdsAreValidated() {
    return Stream.of(
        new Case("null", ErrorType.INVALID_REQUEST, "Field 'account_id' is required.",
            "account_id", i -> engine.forAccount(null)),
        new Case("empty", ErrorType.INVALID_REQUEST, "Field 'account_id' must not be empty.",
            "account_id", i -> engine.forAccount("")),
        new Case("spaces", ErrorType.INVALID_REQUEST, "Field 'account_id' must not be empty.",
            "account_id", i -> engine.forAccount("   ")),
        new Case("actor spaces", ErrorType.INVALID_REQUEST, "Field 'actor' must not be empty.",
            "actor", i -> engine.forAccount("acct", " ")),
        new Case("control", ErrorType.INVALID_REQUEST,
            "Field 'account_id' must not contain control characters.", "account_id",
            i -> engine.forAccount("a\tb")),
        new Case("long", ErrorType.INVALID_REQUEST,
            "Field 'account_id' must be at most 255 characters.", "account_id",
            i -> engine.forAccount("a".repeat(256))))
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
          assertNotNull(vaults);
          assertError(c.type(), c.message(), c.param(), () -> c.call().accept(null));
        }));
  }
}
