package dev.vaultengine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.ListRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.UpdateVaultRequest;
import dev.vaultengine.VaultService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input of every field: each case must give the documented error type, message and param, make
 * no write call on the store, and leave every record as it was.
 */
public abstract class BadInputContract extends LifecycleContract {
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

  @TestFactory
  Stream<DynamicTest> accountIdsAreValidated() {
    return Stream.of(
        new Case("null", ErrorType.INVALID_REQUEST, "Field 'account_id' is required.",
            "account_id", i -> engine.forAccount(null)),
        new Case("empty", ErrorType.INVALID_REQUEST, "Field 'account_id' must not be empty.",
            "account_id", i -> engine.forAccount("")),
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
