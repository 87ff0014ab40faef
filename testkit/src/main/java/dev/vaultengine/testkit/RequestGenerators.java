package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.UpdateVaultRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded generators of valid and invalid requests, tied to no testing framework: a
 * property-testing library can wrap each method as a generator, and a plain loop can call them.
 * The same seed gives the same sequence.
 */
public final class RequestGenerators {
  private static final String TOKEN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=";
  private static final List<String> NAME_PARTS = List.of("github", "jira", "prod", "dev",
      "team_1", "50%", "ünïcødé", "\uD83D\uDD11", "a\\b", "o'brien");

  private final Random random;
  private int counter;

  /** Generators drawing from {@code seed}. */
  public RequestGenerators(long seed) {
    this.random = new Random(seed);
  }

  /**
   * An invalid request, with the error it must give.
   *
   * @param request the request
   * @param type the error type it must give
   * @param param the parameter the error must name
   * @param what a description of what is wrong, for failure messages
   * @param <T> request type
   */
  public record Invalid<T>(T request, ErrorType type, String param, String what) {}

  /** A valid MCP server URL, unique within this generator. */
  public String url() {
    String scheme = random.nextBoolean() ? "https" : "http";
    String port = random.nextInt(4) == 0 ? ":" + (1024 + random.nextInt(60000)) : "";
    return scheme + "://h" + random.nextInt(50) + ".example.com" + port + "/mcp/" + (counter++)
        + (random.nextInt(5) == 0 ? "?v=" + random.nextInt(3) : "");
  }

  /** A valid token: 8-64 printable ASCII characters without spaces. */
  public String token() {
    StringBuilder b = new StringBuilder("tok_");
    int n = 4 + random.nextInt(60);
    for (int i = 0; i < n; i++) {
      b.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
    }
    return b.toString();
  }

  /** A valid display name of 1-255 characters, sometimes with LIKE and quote characters. */
  public String displayName() {
    StringBuilder b = new StringBuilder();
    int parts = 1 + random.nextInt(3);
    for (int i = 0; i < parts; i++) {
      b.append(i == 0 ? "" : " ").append(NAME_PARTS.get(random.nextInt(NAME_PARTS.size())));
    }
    return b.toString();
  }

  /** A valid credential request. */
  public CreateCredentialRequest credential() {
    return credential(url(), token());
  }

  /** A valid credential request for {@code url} with {@code token}. */
  public CreateCredentialRequest credential(String url, String token) {
    return new CreateCredentialRequest(url, random.nextBoolean() ? Protocol.SSE
        : Protocol.STREAMABLE_HTTP, CredentialType.STATIC_BEARER, Secret.of(token));
  }

  /** A valid vault request with 1-3 credentials of distinct URLs and 0-3 metadata pairs. */
  public CreateVaultRequest vault() {
    CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName(displayName());
    int pairs = random.nextInt(4);
    for (int i = 0; i < pairs; i++) {
      b.putMetadata("k" + i, "v" + random.nextInt(100));
    }
    int credentials = 1 + random.nextInt(3);
    for (int i = 0; i < credentials; i++) {
      b.addCredential(credential());
    }
    return b.build();
  }

  /** A valid update: a new name, a metadata patch, or both. */
  public UpdateVaultRequest update() {
    UpdateVaultRequest.Builder b = UpdateVaultRequest.builder();
    int kind = random.nextInt(3);
    if (kind != 1) {
      b.displayName(displayName());
    }
    if (kind != 0) {
      b.putMetadata("k" + random.nextInt(4), "v" + random.nextInt(100));
      if (random.nextBoolean()) {
        b.removeMetadata("k" + random.nextInt(4));
      }
    }
    return b.build();
  }

  /** One bad credential field and the error it must give. */
  private record BadField(String param, Function<CreateCredentialRequest, CreateCredentialRequest>
      apply, String what) {}

  private static final List<BadField> BAD_CREDENTIALS = List.of(
      new BadField("mcp_server_url", c -> with(c, null, c.accessToken()), "missing URL"),
      new BadField("mcp_server_url", c -> with(c, "ftp://x.example/", c.accessToken()),
          "not http"),
      new BadField("mcp_server_url", c -> with(c, "https://x.example/#f", c.accessToken()),
          "fragment"),
      new BadField("mcp_server_url", c -> with(c, "https://x.example/" + "p".repeat(2048),
          c.accessToken()), "URL too long"),
      new BadField("mcp_server_url", c -> with(c, "https://x.example/\u0000", c.accessToken()),
          "control character in URL"),
      new BadField("access_token", c -> with(c, c.mcpServerUrl(), null), "missing token"),
      new BadField("access_token", c -> with(c, c.mcpServerUrl(), Secret.of("")), "empty token"),
      new BadField("access_token", c -> with(c, c.mcpServerUrl(), Secret.of("a b")),
          "space in token"),
      new BadField("access_token", c -> with(c, c.mcpServerUrl(), Secret.of("x".repeat(8193))),
          "token too long"),
      new BadField("protocol", c -> new CreateCredentialRequest(c.mcpServerUrl(), null, c.type(),
          c.accessToken()), "missing protocol"),
      new BadField("type", c -> new CreateCredentialRequest(c.mcpServerUrl(), c.protocol(), null,
          c.accessToken()), "missing type"));

  private static CreateCredentialRequest with(CreateCredentialRequest c, String url, Secret t) {
    return new CreateCredentialRequest(url, c.protocol(), c.type(), t);
  }

  /** A credential request with one bad field, and the error it must give. */
  public Invalid<CreateCredentialRequest> invalidCredential() {
    BadField bad = BAD_CREDENTIALS.get(random.nextInt(BAD_CREDENTIALS.size()));
    return new Invalid<>(bad.apply().apply(credential()), ErrorType.INVALID_REQUEST, bad.param(),
        bad.what());
  }

  /** A vault request with one bad field (its own or a credential's), and the error it must give. */
  public Invalid<CreateVaultRequest> invalidVault() {
    CreateVaultRequest valid = vault();
    switch (random.nextInt(5)) {
      case 0 -> {
        return new Invalid<>(new CreateVaultRequest(random.nextBoolean() ? null : "",
            valid.metadata(), valid.credentials()), ErrorType.INVALID_REQUEST, "display_name",
            "missing display name");
      }
      case 1 -> {
        return new Invalid<>(new CreateVaultRequest("n".repeat(256), valid.metadata(),
            valid.credentials()), ErrorType.INVALID_REQUEST, "display_name", "name too long");
      }
      case 2 -> {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) {
          many.put("k" + i, "v");
        }
        return new Invalid<>(new CreateVaultRequest(valid.displayName(), many,
            valid.credentials()), ErrorType.INVALID_REQUEST, "metadata", "17 metadata keys");
      }
      case 3 -> {
        return new Invalid<>(new CreateVaultRequest(valid.displayName(), valid.metadata(),
            List.of()), ErrorType.INVALID_REQUEST, "credentials", "no credential");
      }
      default -> {
        Invalid<CreateCredentialRequest> c = invalidCredential();
        return new Invalid<>(new CreateVaultRequest(valid.displayName(), valid.metadata(),
            List.of(c.request())), c.type(), "credentials[0]." + c.param(), c.what());
      }
    }
  }
}
