package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CreateVaultRequest;
import dev.vaultengine.Credential;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.UpdateVaultRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Seeded generators of valid and invalid requests, tied to no testing framework: a
 * property-testing library can wrap each method as a generator, and a plain loop can call them.
 * The same seed gives the same sequence. Every credential kind is covered ({@link #credential()}
 * is a {@code static_bearer}, {@link #oauthCredential()} an {@code mcp_oauth},
 * {@link #environmentCredential()} an {@code environment_variable}, {@link #anyCredential()} any
 * of them), and so are updates ({@link #update(Credential)}, {@link #invalidUpdate(Credential)}).
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

  /** What a value substituted into a header may hold: printable ASCII, space and tab. */
  private static final String VALUE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -._~+/=!$%&*\t";
  /** A value substituted into bodies only may also hold any other text. */
  private static final String BODY_VALUE_CHARS = VALUE_CHARS + "\u00fc\u00df\u00e9\u4e2d";
  private static final List<String> ALLOWED_HOSTS = List.of("api.example.com", "*.example.com",
      "10.1.2.3", "localhost", "mcp.example.org", "*.svc.example.net");
  /** The first expiry {@link #oauthCredential()} may set: far enough ahead of any test clock. */
  private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

  /** A valid secret name ({@code [A-Za-z_][A-Za-z0-9_]*}), unique within this generator. */
  public String secretName() {
    return switch (random.nextInt(3)) {
      case 0 -> "API_KEY_" + (counter++);
      case 1 -> "_token" + (counter++);
      default -> "Svc" + (counter++) + "_SECRET";
    };
  }

  /**
   * A valid secret value for any injection location (a header carries it too): 8-64 characters
   * of letters, digits, punctuation, spaces and tabs.
   */
  public String secretValue() {
    return value(VALUE_CHARS);
  }

  /**
   * A valid secret value for a credential that substitutes into bodies only: as
   * {@link #secretValue()}, with a few non-ASCII letters too.
   */
  public String bodySecretValue() {
    return value(BODY_VALUE_CHARS);
  }

  private String value(String chars) {
    StringBuilder b = new StringBuilder("sv_");
    int n = 5 + random.nextInt(57);
    for (int i = 0; i < n; i++) {
      b.append(chars.charAt(random.nextInt(chars.length())));
    }
    return b.toString();
  }

  /** A valid refresh token or client secret: printable ASCII, spaces allowed. */
  private String vschar(String prefix) {
    return prefix + token().substring(4) + (random.nextInt(4) == 0 ? " x" : "");
  }

  /** A valid networking policy: unrestricted, or 1-4 allowed hosts. */
  public Networking networking() {
    if (random.nextInt(3) == 0) {
      return Networking.unrestricted();
    }
    List<String> hosts = new ArrayList<>();
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      String h = ALLOWED_HOSTS.get(random.nextInt(ALLOWED_HOSTS.size()));
      if (!hosts.contains(h)) {
        hosts.add(h);
      }
    }
    return Networking.limited(hosts);
  }

  /** Valid injection locations: header, body, or both. */
  public InjectionLocation injectionLocation() {
    int k = random.nextInt(3);
    return new InjectionLocation(k != 2, k != 1);
  }

  /**
   * A valid {@code mcp_oauth} request: a unique URL, an access token, sometimes an expiry (after
   * 2100-01-01, so that any test clock is before it), and sometimes a refresh grant with any
   * client authentication.
   */
  public CreateCredentialRequest oauthCredential() {
    CreateCredentialRequest.Builder b = CreateCredentialRequest.builder()
        .type(CredentialType.MCP_OAUTH).mcpServerUrl(url())
        .protocol(random.nextBoolean() ? Protocol.SSE : Protocol.STREAMABLE_HTTP)
        .accessToken(token());
    if (random.nextBoolean()) {
      b.expiresAt(FAR_FUTURE.plus(Duration.ofMinutes(random.nextInt(1_000_000))));
    }
    if (random.nextInt(4) != 0) {
      TokenEndpointAuth auth = switch (random.nextInt(3)) {
        case 0 -> TokenEndpointAuth.none();
        case 1 -> TokenEndpointAuth.basic(Secret.of(vschar("cs_")));
        default -> TokenEndpointAuth.post(Secret.of(vschar("cs_")));
      };
      b.refresh(new OAuthRefreshRequest(random.nextBoolean() ? "https://auth.example.com/token"
          : "http://127.0.0.1:" + (1024 + random.nextInt(60000)) + "/token",
          "client-" + random.nextInt(1000), random.nextBoolean() ? "read write" : null,
          random.nextBoolean() ? "https://mcp.example.com/" : null,
          Secret.of(vschar("rt_")), auth));
    }
    return decorate(b).build();
  }

  /** A valid {@code environment_variable} request with a unique secret name. */
  public CreateCredentialRequest environmentCredential() {
    InjectionLocation location = injectionLocation();
    String value = location.header() ? secretValue() : bodySecretValue();
    return decorate(CreateCredentialRequest.builder().type(CredentialType.ENVIRONMENT_VARIABLE)
        .secretName(secretName()).secretValue(Secret.of(value))
        .networking(networking()).injectionLocation(location)).build();
  }

  /** Sometimes a display name, sometimes metadata. */
  private CreateCredentialRequest.Builder decorate(CreateCredentialRequest.Builder b) {
    if (random.nextBoolean()) {
      b.displayName(displayName());
    }
    for (int n = random.nextInt(3); n > 0; n--) {
      b.putMetadata("k" + random.nextInt(5), "v" + random.nextInt(100));
    }
    return b;
  }

  /** A valid credential request of any kind, with a unique URL or secret name. */
  public CreateCredentialRequest anyCredential() {
    return switch (random.nextInt(3)) {
      case 0 -> credential();
      case 1 -> oauthCredential();
      default -> environmentCredential();
    };
  }

  /** A valid vault request with 1-3 credentials of any kind and 0-3 metadata pairs. */
  public CreateVaultRequest mixedVault() {
    CreateVaultRequest.Builder b = CreateVaultRequest.builder().displayName(displayName());
    for (int i = random.nextInt(4); i > 0; i--) {
      b.putMetadata("k" + i, "v" + random.nextInt(100));
    }
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      b.addCredential(anyCredential());
    }
    return b.build();
  }

  /**
   * A valid update of {@code c}: one to three of the fields its kind has (a secret, display name,
   * metadata, protocol, expiry, the refresh grant's scope or secrets, networking, injection
   * locations). A refresh patch is made only for a credential that has a grant.
   */
  public UpdateCredentialRequest update(Credential c) {
    UpdateCredentialRequest.Builder b = UpdateCredentialRequest.builder(c.type());
    List<Runnable> fields = new ArrayList<>();
    fields.add(() -> b.displayName(random.nextInt(4) == 0 ? null : displayName()));
    fields.add(() -> {
      String key = "k" + random.nextInt(5);
      if (random.nextBoolean()) {
        b.removeMetadata(key);
      } else {
        b.putMetadata(key, "v" + random.nextInt(100));
      }
    });
    if (c.kind() instanceof CredentialKind.EnvironmentVariable) {
      fields.add(() -> b.secretValue(Secret.of(secretValue())));
      fields.add(() -> b.networking(networking()));
      fields.add(() -> {
        InjectionLocation location = injectionLocation();
        b.injectionLocation(location);
        if (location.header()) {
          // The stored value may be body-only text: a header needs a value it can carry.
          b.secretValue(Secret.of(secretValue()));
        }
      });
    } else {
      fields.add(() -> b.accessToken(token()));
      fields.add(() -> b.protocol(random.nextBoolean() ? Protocol.SSE : Protocol.STREAMABLE_HTTP));
    }
    if (c.kind() instanceof CredentialKind.McpOAuth o) {
      fields.add(() -> b.expiresAt(random.nextBoolean() ? null
          : FAR_FUTURE.plus(Duration.ofMinutes(random.nextInt(1_000_000)))));
      if (o.refresh().isPresent()) {
        fields.add(() -> {
          RefreshPatch p = RefreshPatch.empty();
          switch (random.nextInt(4)) {
            case 0 -> p = p.withRefreshToken(Secret.of(vschar("rt_")));
            case 1 -> p = p.withScope(random.nextBoolean() ? null : "read");
            case 2 -> p = p.withTokenEndpointAuth(random.nextBoolean()
                ? TokenEndpointAuth.basic(Secret.of(vschar("cs_")))
                : TokenEndpointAuth.post(Secret.of(vschar("cs_"))));
            default -> p = p.withTokenEndpointAuth(TokenEndpointAuth.none());
          }
          b.refresh(p);
        });
      }
    }
    java.util.Collections.shuffle(fields, random);
    int n = 1 + random.nextInt(Math.min(3, fields.size()));
    for (int i = 0; i < n; i++) {
      fields.get(i).run();
    }
    return b.build();
  }

  /**
   * An update of {@code c} that must be refused with {@code invalid_request_error} before anything
   * is written: a locked field, a field of another kind, a required field cleared, or a bad
   * value.
   */
  public Invalid<UpdateCredentialRequest> invalidUpdate(Credential c) {
    CredentialType t = c.type();
    boolean env = t == CredentialType.ENVIRONMENT_VARIABLE;
    List<Supplier<Invalid<UpdateCredentialRequest>>> bad = new ArrayList<>();
    bad.add(() -> invalidUpdate(env
        ? UpdateCredentialRequest.builder(t).secretName(secretName()).build()
        : UpdateCredentialRequest.builder(t).mcpServerUrl(url()).build(),
        env ? "secret_name" : "mcp_server_url", "a locked field"));
    bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t).displayName("").build(),
        "display_name", "an empty display name"));
    bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t).build(), null,
        "nothing to change"));
    bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
        .putMetadata("k".repeat(65), "v").build(), "metadata", "a metadata key of 65"));
    if (env) {
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t).accessToken(token())
          .build(), "access_token", "a field of another kind"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t).secretValue(null).build(),
          "secret_value", "the value cleared"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .secretValue(Secret.of("line\nbreak")).build(), "secret_value", "a line break"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .networking(Networking.limited(List.of("https://api.example.com"))).build(),
          "networking.allowed_hosts[0]", "a URL as an allowed host"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .injectionLocation(new InjectionLocation(false, false)).build(),
          "injection_location", "no injection location"));
    } else {
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .secretValue(Secret.of(secretValue())).build(), "secret_value",
          "a field of another kind"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t).accessToken((Secret) null)
          .build(), "access_token", "the access token cleared"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .accessToken(Secret.of("a b")).build(), "access_token", "a space in the token"));
    }
    if (t == CredentialType.MCP_OAUTH) {
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .expiresAt(Instant.parse("2000-01-01T00:00:00Z")).build(), "expires_at",
          "an expiry in the past"));
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t).refresh(RefreshPatch.empty()
          .withClientId("other")).build(), "refresh.client_id", "a locked refresh field"));
    } else {
      bad.add(() -> invalidUpdate(UpdateCredentialRequest.builder(t)
          .expiresAt(FAR_FUTURE).build(), "expires_at", "a field of another kind"));
    }
    return bad.get(random.nextInt(bad.size())).get();
  }

  private static Invalid<UpdateCredentialRequest> invalidUpdate(UpdateCredentialRequest r,
      String param, String what) {
    return new Invalid<>(r, ErrorType.INVALID_REQUEST, param, what);
  }

  /**
   * An {@code mcp_oauth} or {@code environment_variable} request with one bad field, and the
   * error it must give.
   */
  public Invalid<CreateCredentialRequest> invalidKindCredential() {
    List<Supplier<Invalid<CreateCredentialRequest>>> bad = List.of(
        () -> kind(oauthWith(b -> b.expiresAt(Instant.parse("2000-01-01T00:00:00Z"))),
            "expires_at", "an expiry in the past"),
        () -> kind(oauthWith(b -> b.refresh(new OAuthRefreshRequest(
            "http://auth.example.com/token", "c", null, null, Secret.of(vschar("rt_")),
            null))), "refresh.token_endpoint", "an http token endpoint on another host"),
        () -> kind(oauthWith(b -> b.refresh(new OAuthRefreshRequest(
            "https://auth.example.com/token", "c".repeat(1025), null, null,
            Secret.of(vschar("rt_")), null))), "refresh.client_id", "a client id of 1025"),
        () -> kind(oauthWith(b -> b.refresh(new OAuthRefreshRequest(
            "https://auth.example.com/token", "c", null, null, Secret.of(vschar("rt_")),
            TokenEndpointAuth.basic(null)))), "refresh.token_endpoint_auth.client_secret",
            "client_secret_basic without a secret"),
        () -> kind(oauthWith(b -> b.refresh(new OAuthRefreshRequest(
            "https://auth.example.com/token", "c", null, null, Secret.of(vschar("rt_")),
            new TokenEndpointAuth(dev.vaultengine.TokenEndpointAuthMethod.NONE,
                Secret.of(vschar("cs_")))))), "refresh.token_endpoint_auth.client_secret",
            "a client secret for none"),
        () -> kind(oauthWith(b -> b.refresh(new OAuthRefreshRequest(
            "https://auth.example.com/token", "c", null, null,
            Secret.of("r".repeat(8193)), null))), "refresh.refresh_token",
            "a refresh token of 8193"),
        () -> kind(oauthWith(b -> b.secretName(secretName())), "secret_name",
            "a field of another kind"),
        () -> kind(envWith(b -> b.secretName("1" + secretName())), "secret_name",
            "a secret name starting with a digit"),
        () -> kind(envWith(b -> b.secretValue(Secret.of("v".repeat(8193)))), "secret_value",
            "a secret value of 8193"),
        () -> kind(envWith(b -> b.networking(Networking.limited(List.of(
            "api.example.com:443")))), "networking.allowed_hosts[0]", "a port"),
        () -> kind(envWith(b -> b.networking(Networking.limited(List.of("*.")))),
            "networking.allowed_hosts[0]", "a wildcard alone"),
        () -> kind(envWith(b -> b.networking(Networking.limited(List.of("::1")))),
            "networking.allowed_hosts[0]", "IPv6"),
        () -> kind(envWith(b -> {
          List<String> hosts = new ArrayList<>();
          for (int i = 0; i < 17; i++) {
            hosts.add("h" + i + ".example.com");
          }
          b.networking(Networking.limited(hosts));
        }), "networking.allowed_hosts", "17 allowed hosts"),
        () -> kind(envWith(b -> b.injectionLocation(new InjectionLocation(false, false))),
            "injection_location", "no injection location"),
        () -> kind(envWith(b -> b.accessToken(token())), "access_token",
            "a field of another kind"),
        () -> kind(envWith(b -> b.displayName("d".repeat(256))), "display_name",
            "a display name of 256"));
    return bad.get(random.nextInt(bad.size())).get();
  }

  private CreateCredentialRequest oauthWith(
      java.util.function.Consumer<CreateCredentialRequest.Builder> change) {
    CreateCredentialRequest.Builder b = CreateCredentialRequest.builder()
        .type(CredentialType.MCP_OAUTH).mcpServerUrl(url()).protocol(Protocol.SSE)
        .accessToken(token());
    change.accept(b);
    return b.build();
  }

  private CreateCredentialRequest envWith(
      java.util.function.Consumer<CreateCredentialRequest.Builder> change) {
    CreateCredentialRequest.Builder b = CreateCredentialRequest.builder()
        .type(CredentialType.ENVIRONMENT_VARIABLE).secretName(secretName())
        .secretValue(Secret.of(secretValue())).networking(networking())
        .injectionLocation(injectionLocation());
    change.accept(b);
    return b.build();
  }

  private static Invalid<CreateCredentialRequest> kind(CreateCredentialRequest r, String param,
      String what) {
    return new Invalid<>(r, ErrorType.INVALID_REQUEST, param, what);
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
