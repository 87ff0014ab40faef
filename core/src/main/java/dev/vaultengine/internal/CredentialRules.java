package dev.vaultengine.internal;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Patch;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultException;
import dev.vaultengine.spi.CredentialRow;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The field rules of every credential kind, for create and for update. Each rule names the field
 * it refuses ({@code param}, with the request's prefix such as {@code credentials[0].}) and never
 * echoes a secret. Nothing here reads the store: the service calls these before any write.
 */
final class CredentialRules {
  static final int SECRET_MAX = 8192;
  static final int CLIENT_ID_MAX = 1024;
  static final int SCOPE_MAX = 1024;
  static final int SECRET_NAME_MAX = 255;
  static final int ALLOWED_HOSTS_MAX = 16;
  private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  private CredentialRules() {}

  /**
   * A create request that passed validation: what the row will hold, with its secrets still in
   * the clear (the service seals them with the credential's id).
   */
  record ValidCredential(String identityKey, CredentialKind kind, String displayName,
      Map<String, String> metadata, Secret token, Secret refreshToken, Secret clientSecret) {

    /** The conflict a duplicate identity key gets, naming the identity field. */
    VaultException duplicate(String prefix) {
      return CredentialRules.duplicate(kind.type(), prefix);
    }
  }

  static VaultException duplicate(CredentialType type, String prefix) {
    return type.isMcp()
        ? VaultException.conflict(AccountVaultService.DUPLICATE_URL, prefix + "mcp_server_url")
        : VaultException.conflict(AccountVaultService.DUPLICATE_SECRET_NAME, prefix + "secret_name");
  }

  // ---------------------------------------------------------------- create

  static ValidCredential create(CreateCredentialRequest r, String prefix, Instant now) {
    if (r == null) {
      if (prefix.isEmpty()) {
        throw Requests.bodyRequired();
      }
      String param = prefix.substring(0, prefix.length() - 1);
      throw VaultException.invalidRequest("Field '" + param + "' is required.", param);
    }
    if (r.type() == null) {
      throw VaultException.invalidRequest("Field 'type' is required.", prefix + "type");
    }
    CredentialType type = r.type();
    String displayName = r.displayName() == null
        ? null : Requests.displayName(r.displayName(), prefix + "display_name");
    Map<String, String> metadata = Requests.metadata(r.metadata(), prefix + "metadata");
    if (type == CredentialType.ENVIRONMENT_VARIABLE) {
      notFor(type, prefix, "mcp_server_url", r.mcpServerUrl() != null);
      notFor(type, prefix, "protocol", r.protocol() != null);
      notFor(type, prefix, "access_token", r.accessToken() != null);
      notFor(type, prefix, "expires_at", r.expiresAt() != null);
      notFor(type, prefix, "refresh", r.refresh() != null);
      String name = secretName(r.secretName(), prefix + "secret_name");
      Secret value = secretValue(r.secretValue(), prefix + "secret_value");
      Networking networking = networking(r.networking(), prefix + "networking");
      InjectionLocation location = injection(r.injectionLocation(), prefix + "injection_location");
      if (location.header()) {
        headerSafe(value, prefix + "secret_value");
      }
      return new ValidCredential(CredentialRow.environmentKey(name),
          new CredentialKind.EnvironmentVariable(name, networking, location), displayName,
          metadata, value, null, null);
    }
    notFor(type, prefix, "secret_name", r.secretName() != null);
    notFor(type, prefix, "secret_value", r.secretValue() != null);
    notFor(type, prefix, "networking", r.networking() != null);
    notFor(type, prefix, "injection_location", r.injectionLocation() != null);
    McpServerUrl url = McpServerUrl.parse(r.mcpServerUrl(), prefix + "mcp_server_url");
    if (r.protocol() == null) {
      throw VaultException.invalidRequest("Field 'protocol' is required.", prefix + "protocol");
    }
    Secret token = accessToken(r.accessToken(), prefix + "access_token", type);
    if (type == CredentialType.STATIC_BEARER) {
      notFor(type, prefix, "expires_at", r.expiresAt() != null);
      notFor(type, prefix, "refresh", r.refresh() != null);
      return new ValidCredential(url.normalized(),
          new CredentialKind.StaticBearer(url.original(), r.protocol()), displayName, metadata,
          token, null, null);
    }
    Instant expiresAt = r.expiresAt() == null
        ? null : expiresAt(r.expiresAt(), prefix + "expires_at", now);
    OAuthRefresh refresh = null;
    Secret refreshToken = null;
    Secret clientSecret = null;
    if (r.refresh() != null) {
      String p = prefix + "refresh.";
      OAuthRefreshRequest q = r.refresh();
      String endpoint = tokenEndpoint(q.tokenEndpoint(), p + "token_endpoint");
      String clientId = clientId(q.clientId(), p + "client_id");
      String scope = q.scope() == null ? null : scope(q.scope(), p + "scope");
      String resource = q.resource() == null ? null : resource(q.resource(), p + "resource");
      refreshToken = vschar(q.refreshToken(), p + "refresh_token");
      TokenEndpointAuth auth = q.tokenEndpointAuth() == null
          ? TokenEndpointAuth.none() : q.tokenEndpointAuth();
      TokenEndpointAuthMethod method = authMethod(auth, p + "token_endpoint_auth.type");
      clientSecret = clientSecret(method, auth.clientSecret(),
          p + "token_endpoint_auth.client_secret");
      refresh = new OAuthRefresh(endpoint, clientId, Optional.ofNullable(scope),
          Optional.ofNullable(resource), method);
    }
    return new ValidCredential(url.normalized(),
        new CredentialKind.McpOAuth(url.original(), r.protocol(), Optional.ofNullable(expiresAt),
            Optional.ofNullable(refresh)),
        displayName, metadata, token, refreshToken, clientSecret);
  }

  // ---------------------------------------------------------------- update

  /** Checks an update request's shape, before the credential is read. */
  static void checkUpdate(UpdateCredentialRequest r, Instant now) {
    if (r == null) {
      throw Requests.bodyRequired();
    }
    if (r.type() == null) {
      throw VaultException.invalidRequest("Field 'type' is required.", "type");
    }
    CredentialType type = r.type();
    locked("mcp_server_url", r.mcpServerUrl());
    locked("secret_name", r.secretName());
    if (r.refresh() instanceof Patch.Value<RefreshPatch> v) {
      locked("refresh.token_endpoint", v.value().tokenEndpoint());
      locked("refresh.client_id", v.value().clientId());
    }
    boolean env = type == CredentialType.ENVIRONMENT_VARIABLE;
    notFor(type, "", "protocol", env && r.protocol().given());
    notFor(type, "", "access_token", env && r.accessToken().given());
    notFor(type, "", "expires_at", type != CredentialType.MCP_OAUTH && r.expiresAt().given());
    notFor(type, "", "refresh", type != CredentialType.MCP_OAUTH && r.refresh().given());
    notFor(type, "", "secret_value", !env && r.secretValue().given());
    notFor(type, "", "networking", !env && r.networking().given());
    notFor(type, "", "injection_location", !env && r.injectionLocation().given());
    if (r.displayName() instanceof Patch.Value<String> v) {
      Requests.displayName(v.value(), "display_name");
    }
    if (r.metadataPatch() != null) {
      Requests.checkPatch(r.metadataPatch(), "metadata");
    }
    notClearable("protocol", r.protocol());
    notClearable("access_token", r.accessToken());
    if (r.accessToken() instanceof Patch.Value<Secret> v) {
      accessToken(v.value(), "access_token", type);
    }
    if (r.expiresAt() instanceof Patch.Value<Instant> v) {
      expiresAt(v.value(), "expires_at", now);
    }
    if (r.refresh() instanceof Patch.Value<RefreshPatch> v) {
      RefreshPatch p = v.value();
      if (p.scope() instanceof Patch.Value<String> s) {
        scope(s.value(), "refresh.scope");
      }
      if (p.resource() instanceof Patch.Value<String> s) {
        resource(s.value(), "refresh.resource");
      }
      notClearable("refresh.refresh_token", p.refreshToken());
      if (p.refreshToken() instanceof Patch.Value<Secret> s) {
        vschar(s.value(), "refresh.refresh_token");
      }
      notClearable("refresh.token_endpoint_auth", p.tokenEndpointAuth());
      if (p.tokenEndpointAuth() instanceof Patch.Value<TokenEndpointAuth> a) {
        TokenEndpointAuthMethod m = authMethod(a.value(), "refresh.token_endpoint_auth.type");
        if (a.value().clientSecret() != null) {
          clientSecret(m, a.value().clientSecret(),
              "refresh.token_endpoint_auth.client_secret");
        }
      }
    }
    notClearable("secret_value", r.secretValue());
    if (r.secretValue() instanceof Patch.Value<Secret> v) {
      secretValue(v.value(), "secret_value");
      if (r.injectionLocation() instanceof Patch.Value<InjectionLocation> l && l.value().header()) {
        headerSafe(v.value(), "secret_value");
      }
    }
    notClearable("networking", r.networking());
    if (r.networking() instanceof Patch.Value<Networking> v) {
      networking(v.value(), "networking");
    }
    notClearable("injection_location", r.injectionLocation());
    if (r.injectionLocation() instanceof Patch.Value<InjectionLocation> v) {
      injection(v.value(), "injection_location");
    }
    boolean any = r.displayName().given() || r.metadataPatch() != null && !r.metadataPatch().isEmpty()
        || r.protocol().given() || r.accessToken().given() || r.expiresAt().given()
        || r.refresh().given() || r.secretValue().given() || r.networking().given()
        || r.injectionLocation().given();
    if (!any) {
      throw VaultException.invalidRequest("At least one field to change must be given.", null);
    }
  }

  /** What an update writes: the new kind and which secrets it replaces or removes. */
  record Applied(CredentialKind kind, Secret token, Patch<Secret> refreshToken,
      Patch<Secret> clientSecret) {

    /** True when any secret changes (all are then sealed again, with one key). */
    boolean secretsChange() {
      return token != null || refreshToken.given() || clientSecret.given();
    }
  }

  /**
   * Applies a checked update to the current kind. {@code hasClientSecret} says whether the stored
   * credential holds one, for a method change that keeps it.
   */
  static Applied apply(UpdateCredentialRequest r, CredentialKind current, boolean hasClientSecret) {
    if (r.type() != current.type()) {
      throw VaultException.invalidRequest("Field 'type' must be '" + current.type().wireName()
          + "', the credential's type: a credential's type cannot change.", "type");
    }
    Secret token = null;
    Patch<Secret> refreshToken = Patch.omitted();
    Patch<Secret> clientSecret = Patch.omitted();
    CredentialKind kind;
    if (current instanceof CredentialKind.StaticBearer s) {
      kind = new CredentialKind.StaticBearer(s.mcpServerUrl(), value(r.protocol(), s.protocol()));
      token = value(r.accessToken(), null);
    } else if (current instanceof CredentialKind.McpOAuth o) {
      token = value(r.accessToken(), null);
      // Stored to the microsecond, as at create: every store keeps microseconds.
      Optional<Instant> expiresAt = r.expiresAt() instanceof Patch.Value<Instant> v
          ? Optional.of(v.value().truncatedTo(java.time.temporal.ChronoUnit.MICROS))
          : r.expiresAt().given() ? Optional.empty() : o.expiresAt();
      Optional<OAuthRefresh> refresh = o.refresh();
      if (r.refresh() instanceof Patch.Value<RefreshPatch> v) {
        if (o.refresh().isEmpty()) {
          throw VaultException.invalidRequest("Field 'refresh' can only patch an existing "
              + "refresh grant; this credential has none (rotate it, or create a new one).",
              "refresh");
        }
        OAuthRefresh was = o.refresh().get();
        RefreshPatch p = v.value();
        TokenEndpointAuthMethod method = was.tokenEndpointAuth();
        if (p.tokenEndpointAuth() instanceof Patch.Value<TokenEndpointAuth> a) {
          method = a.value().type();
          Secret given = a.value().clientSecret();
          if (!method.needsSecret()) {
            clientSecret = hasClientSecret ? Patch.cleared() : Patch.omitted();
          } else if (given != null) {
            clientSecret = Patch.of(given);
          } else if (!hasClientSecret) {
            throw VaultException.invalidRequest("Field 'client_secret' is required for "
                + method.wireName() + ".", "refresh.token_endpoint_auth.client_secret");
          }
        }
        refreshToken = p.refreshToken();
        refresh = Optional.of(new OAuthRefresh(was.tokenEndpoint(), was.clientId(),
            optional(p.scope(), was.scope()), optional(p.resource(), was.resource()), method));
      } else if (r.refresh().given()) { // cleared: the grant and its secrets go
        refresh = Optional.empty();
        refreshToken = Patch.cleared();
        clientSecret = Patch.cleared();
      }
      kind = new CredentialKind.McpOAuth(o.mcpServerUrl(), value(r.protocol(), o.protocol()),
          expiresAt, refresh);
    } else {
      CredentialKind.EnvironmentVariable e = (CredentialKind.EnvironmentVariable) current;
      token = value(r.secretValue(), null);
      kind = new CredentialKind.EnvironmentVariable(e.secretName(),
          value(r.networking(), e.networking()),
          value(r.injectionLocation(), e.injectionLocation()));
    }
    return new Applied(kind, token, refreshToken, clientSecret);
  }

  private static <T> T value(Patch<T> patch, T current) {
    return patch instanceof Patch.Value<T> v ? v.value() : current;
  }

  private static Optional<String> optional(Patch<String> patch, Optional<String> current) {
    if (patch instanceof Patch.Value<String> v) {
      return Optional.of(v.value());
    }
    return patch.given() ? Optional.empty() : current;
  }

  private static void locked(String param, Patch<?> patch) {
    if (patch.given()) {
      throw VaultException.invalidRequest("Field '" + param + "' cannot be changed after the "
          + "credential is created; omit it.", param);
    }
  }

  private static void notClearable(String param, Patch<?> patch) {
    if (patch instanceof Patch.Cleared<?>) {
      throw VaultException.invalidRequest("Field '" + TextRules.field(param)
          + "' cannot be cleared.", param);
    }
  }

  private static void notFor(CredentialType type, String prefix, String field, boolean given) {
    if (given) {
      throw VaultException.invalidRequest("Field '" + field + "' does not apply to "
          + type.wireName() + " credentials.", prefix + field);
    }
  }

  // ---------------------------------------------------------------- fields

  /**
   * An access token: it travels in an HTTP header, so only printable ASCII without spaces is
   * accepted (a CR or LF would allow header injection).
   */
  static Secret accessToken(Secret token, String param, CredentialType type) {
    String required = "Field 'access_token' is required for " + type.wireName() + " type.";
    return checkSecret(token, param, required, 0x21);
  }

  /** A refresh token or client secret: RFC 6749's VSCHAR (printable ASCII, space allowed). */
  private static Secret vschar(Secret secret, String param) {
    return checkSecret(secret, param, "Field '" + TextRules.field(param) + "' is required.", 0x20);
  }

  private static Secret checkSecret(Secret token, String param, String required, int lowest) {
    String field = TextRules.field(param);
    if (token == null || token.isNull() || !token.isDestroyed() && token.length() == 0) {
      throw VaultException.invalidRequest(required, param);
    }
    if (token.isDestroyed()) {
      throw VaultException.invalidRequest(
          "Field '" + field + "' was destroyed before it could be stored.", param);
    }
    if (token.length() > SECRET_MAX) {
      throw VaultException.invalidRequest(
          "Field '" + field + "' must be at most " + SECRET_MAX + " characters.", param);
    }
    byte[] bytes = SecretBytes.utf8(token);
    try {
      boolean onlySpaces = true;
      for (byte b : bytes) {
        if (b < lowest || b > 0x7E) {
          throw VaultException.invalidRequest("Field '" + field + "' must contain only printable "
              + "ASCII characters" + (lowest == 0x21 ? " without spaces." : "."), param);
        }
        onlySpaces &= b == ' ';
      }
      if (onlySpaces) {
        // VSCHAR allows a space, but a refresh token or client secret of spaces alone is an
        // unset value: the refresher's OAuth library refuses it, and every refresh would fail.
        throw VaultException.invalidRequest("Field '" + field + "' must not be only spaces.",
            param);
      }
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    return token;
  }

  /**
   * A secret value: any Unicode text but control characters (tab allowed), since it may be
   * substituted into a header, where a line break would split the request.
   */
  static Secret secretValue(Secret value, String param) {
    if (value == null || value.isNull() || !value.isDestroyed() && value.length() == 0) {
      throw VaultException.invalidRequest(
          "Field 'secret_value' is required for environment_variable type.", param);
    }
    if (value.isDestroyed()) {
      throw VaultException.invalidRequest(
          "Field 'secret_value' was destroyed before it could be stored.", param);
    }
    if (value.length() > SECRET_MAX) {
      throw VaultException.invalidRequest(
          "Field 'secret_value' must be at most " + SECRET_MAX + " characters.", param);
    }
    byte[] bytes = SecretBytes.utf8(value);
    try {
      for (byte b : bytes) {
        if (b >= 0 && b < 0x20 && b != '\t' || b == 0x7F) {
          throw VaultException.invalidRequest(
              "Field 'secret_value' must not contain control characters other than tab.", param);
        }
      }
      // C1 controls are U+0080-U+009F, encoded as C2 80 .. C2 9F.
      for (int i = 0; i + 1 < bytes.length; i++) {
        if (bytes[i] == (byte) 0xC2 && (bytes[i + 1] & 0xFF) >= 0x80 && (bytes[i + 1] & 0xFF) <= 0x9F) {
          throw VaultException.invalidRequest(
              "Field 'secret_value' must not contain control characters other than tab.", param);
        }
      }
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
    return value;
  }

  /**
   * A value that may be substituted into a header: printable ASCII, space and tab only. Anything
   * else is refused by the HTTP client, whose error would quote the value (a leak), or sent as
   * Latin-1 bytes that no server decodes as the UTF-8 the user wrote.
   */
  static void headerSafe(Secret value, String param) {
    if (!isHeaderSafe(value)) {
      throw VaultException.invalidRequest("Field 'secret_value' must contain only printable "
          + "ASCII characters, spaces and tabs when 'injection_location.header' is true: it is "
          + "sent in a header.", param);
    }
  }

  static boolean isHeaderSafe(Secret value) {
    byte[] bytes = SecretBytes.utf8(value);
    try {
      for (byte b : bytes) {
        if ((b < 0x20 || b > 0x7E) && b != '\t') {
          return false;
        }
      }
      return true;
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static Instant expiresAt(Instant value, String param, Instant now) {
    if (value.isAfter(Requests.LATEST)) {
      throw VaultException.invalidRequest(
          "Field 'expires_at' must be at most 9999-12-31T23:59:59.999999Z.", param);
    }
    if (!value.isAfter(now)) {
      throw VaultException.invalidRequest("Field 'expires_at' must be in the future.", param);
    }
    return value.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  private static String secretName(String name, String param) {
    TextRules.requireText(name, param, SECRET_NAME_MAX);
    if (!SECRET_NAME.matcher(name).matches()) {
      throw VaultException.invalidRequest("Field 'secret_name' must match [A-Za-z_][A-Za-z0-9_]* "
          + "(a letter or underscore, then letters, digits or underscores).", param);
    }
    return name;
  }

  private static String clientId(String value, String param) {
    TextRules.requireText(value, param, CLIENT_ID_MAX);
    TextRules.rejectControl(value, param);
    if (value.isBlank()) {
      // No token endpoint knows a client by spaces, and the refresher's OAuth library refuses
      // one: accepted, every refresh would fail as if the endpoint could not be reached.
      throw VaultException.invalidRequest("Field 'client_id' must not be empty.", param);
    }
    return value;
  }

  private static String scope(String value, String param) {
    TextRules.requireText(value, param, SCOPE_MAX);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        throw VaultException.invalidRequest("Field 'scope' must be space-separated scope tokens "
            + "of printable ASCII (RFC 6749 section 3.3).", param);
      }
    }
    return value;
  }

  private static TokenEndpointAuthMethod authMethod(TokenEndpointAuth auth, String param) {
    if (auth.type() == null) {
      throw VaultException.invalidRequest("Field 'type' is required.", param);
    }
    return auth.type();
  }

  private static Secret clientSecret(TokenEndpointAuthMethod method, Secret secret,
      String param) {
    if (!method.needsSecret()) {
      if (secret != null) {
        throw VaultException.invalidRequest("Field 'client_secret' must not be given when "
            + "'token_endpoint_auth.type' is none.", param);
      }
      return null;
    }
    if (secret == null || secret.isNull()) {
      throw VaultException.invalidRequest(
          "Field 'client_secret' is required for " + method.wireName() + ".", param);
    }
    return vschar(secret, param);
  }

  /** The token endpoint: https, or http only toward a loopback host. */
  private static String tokenEndpoint(String value, String param) {
    URI uri = absoluteUri(value, param, "token_endpoint");
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"https".equals(scheme) && !("http".equals(scheme) && isLoopback(uri.getHost()))) {
      throw VaultException.invalidRequest("Field 'token_endpoint' must be an https URL (http is "
          + "allowed only for a loopback host).", param);
    }
    if (uri.getRawQuery() != null) {
      throw VaultException.invalidRequest(
          "Field 'token_endpoint' must not contain a query.", param);
    }
    return value;
  }

  /** An RFC 8707 resource indicator: an absolute URI without a fragment. */
  private static String resource(String value, String param) {
    absoluteUri(value, param, "resource");
    return value;
  }

  private static URI absoluteUri(String value, String param, String field) {
    TextRules.requireText(value, param, McpServerUrl.MAX_LENGTH);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7F) {
        throw VaultException.invalidRequest("Field '" + field
            + "' must not contain spaces, control or non-ASCII characters.", param);
      }
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw absolute(field, param);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.isOpaque()
        || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw absolute(field, param);
    }
    if (uri.getRawUserInfo() != null) {
      throw VaultException.invalidRequest(
          "Field '" + field + "' must not contain user information.", param);
    }
    if (uri.getRawFragment() != null) {
      throw VaultException.invalidRequest(
          "Field '" + field + "' must not contain a fragment.", param);
    }
    return uri;
  }

  private static VaultException absolute(String field, String param) {
    return VaultException.invalidRequest(
        "Field '" + field + "' must be an absolute http or https URL.", param);
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.equals("::1")
        || IPV4.matcher(h).matches() && h.startsWith("127.");
  }

  private static Networking networking(Networking value, String param) {
    if (value == null) {
      throw VaultException.invalidRequest(
          "Field 'networking' is required for environment_variable type.", param);
    }
    if (value instanceof Networking.Limited limited) {
      List<String> hosts = limited.allowedHosts();
      String p = param + ".allowed_hosts";
      if (hosts == null || hosts.isEmpty() || hosts.size() > ALLOWED_HOSTS_MAX) {
        throw VaultException.invalidRequest("Field 'allowed_hosts' must list 1-"
            + ALLOWED_HOSTS_MAX + " hosts.", p);
      }
      List<String> out = new ArrayList<>(hosts.size());
      for (int i = 0; i < hosts.size(); i++) {
        out.add(allowedHost(hosts.get(i), p + "[" + i + "]"));
      }
      return Networking.limited(out);
    }
    return value;
  }

  /** A bare host name, an IPv4 address, or {@code *.} and a host name of two labels or more. */
  static String allowedHost(String entry, String param) {
    if (entry == null || entry.isEmpty() || entry.length() > 255) {
      throw badHost(param);
    }
    String host = entry.startsWith("*.") ? entry.substring(2) : entry;
    if (IPV4.matcher(host).matches()) {
      if (host != entry) {
        throw badHost(param); // *.10.0.0.1 names nothing
      }
      return entry;
    }
    String[] labels = host.split("\\.", -1);
    if (entry != host && labels.length < 2 || host.length() > 253) {
      throw badHost(param);
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        throw badHost(param);
      }
    }
    if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
      throw badHost(param); // 10.0.0 or 1.2.3.4.5: neither a name nor an IPv4 address
    }
    return entry;
  }

  private static VaultException badHost(String param) {
    return VaultException.invalidRequest("Field 'allowed_hosts' entries must each be a bare host "
        + "name, an IPv4 address or a '*.' wildcard such as *.example.com (no URL, port, path or "
        + "IPv6).", param);
  }

  private static InjectionLocation injection(InjectionLocation value, String param) {
    if (value == null) {
      throw VaultException.invalidRequest(
          "Field 'injection_location' is required for environment_variable type.", param);
    }
    if (!value.header() && !value.body()) {
      throw VaultException.invalidRequest(
          "Field 'injection_location' must enable 'header', 'body' or both.", param);
    }
    return value;
  }
}
