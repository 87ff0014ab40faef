package dev.vaultengine.testkit;

import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.CredentialType;
import dev.vaultengine.ErrorType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.McpServerUrl;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Protocol;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The plain reference model of the model-based run: every vault and credential as the engine must
 * show it, secrets included, kept in ordinary objects with none of the engine's code. The
 * operations ({@link ModelOperation}) predict each result from it and update it; the run
 * ({@link ModelRun}) compares it with the engine after every step.
 *
 * <p>It also holds the vocabulary the operations draw from (URLs with normalization variants,
 * names with LIKE and quote characters, secret names, hosts, networking and injection settings),
 * so that the generator's small integers and the model agree on what they mean.
 */
final class ReferenceModel {

  /** MCP server URLs; several normalize to the same key, so identity rules are exercised. */
  static final List<String> URLS = List.of("https://a.example/mcp",
      "https://A.EXAMPLE:443/mcp", "https://a.example/mcp/", "http://a.example/mcp",
      "https://b.example/sse", "https://b.example:8443/sse", "https://c.example/x?q=1",
      "https://c.example/x?q=2");
  /** Vault and credential names, with the characters a name filter must take literally. */
  static final List<String> NAMES = List.of("prod", "Prod_50%", "dev", "team\\a",
      "\uD83D\uDD11 keys", "o'brien");
  /** Secret names of {@code environment_variable} credentials; names are case-sensitive. */
  static final List<String> SECRET_NAMES = List.of("API_KEY", "api_key", "TOKEN_2", "_X");
  /** Hosts a substitution is sent to, inside and outside the networking rules below. */
  static final List<String> HOSTS = List.of("api.example.com", "x.api.example.com",
      "example.com", "10.0.0.1", "evil.example.net", "api.example.com.evil.net");
  /** Networking settings of {@code environment_variable} credentials. */
  static final List<Networking> NETWORKINGS = List.of(Networking.unrestricted(),
      Networking.limited(List.of("api.example.com")),
      Networking.limited(List.of("*.example.com")),
      Networking.limited(List.of("10.0.0.1", "EVIL.example.net")));
  /** Injection locations of {@code environment_variable} credentials. */
  static final List<InjectionLocation> INJECTIONS = List.of(
      new InjectionLocation(true, true), new InjectionLocation(true, false),
      new InjectionLocation(false, true));
  /** The token endpoint of every refresh grant. */
  static final String TOKEN_ENDPOINT = "https://auth.example/oauth/token";
  /** The client id of every refresh grant. */
  static final String CLIENT_ID = "model-client";
  /** The header a substitution puts its placeholder in. */
  static final String HEADER = "X-Api-Key";

  /**
   * The credentials a step can create: a {@code static_bearer} per URL, an {@code mcp_oauth} per
   * URL, an {@code environment_variable} per secret name; the step's variant chooses the rest.
   */
  static final int SPECS = 2 * URLS.size() + SECRET_NAMES.size();
  /** The specs of the two MCP kinds, which share the one-active-credential-per-URL rule. */
  static final int MCP_SPECS = 2 * URLS.size();

  /** Kinds of update; see {@link ModelOperation.UpdateCredential}. */
  static final List<String> UPDATE_NAMES = List.of("primary secret", "refresh_token",
      "client_secret", "metadata", "display_name", "expires_at", "networking",
      "injection_location", "locked field", "another type", "method none", "refresh null",
      "protocol");
  /** How many kinds of update there are. */
  static final int UPDATE_KINDS = UPDATE_NAMES.size();

  /** The vaults created so far, in creation order; deleted ones stay, marked. */
  final List<ModelVault> vaults = new ArrayList<>();
  /** The credentials created so far, in creation order; deleted ones stay, marked. */
  final List<ModelCredential> creds = new ArrayList<>();
  /** The credentials by their real id. */
  final Map<String, ModelCredential> byId = new HashMap<>();

  /** A vault as the model knows it. */
  static final class ModelVault {
    final int index;
    String realId;
    String name;
    Map<String, String> metadata = new HashMap<>();
    boolean archived;
    boolean deleted;

    ModelVault(int index) {
      this.index = index;
    }
  }

  /** A credential as the model knows it: every field, secrets included. */
  static final class ModelCredential {
    ModelVault vault;
    String realId;
    CredentialType type;
    /** The identity key: the normalized URL, or {@code env:} and the secret name. */
    String key;
    String url;
    Protocol protocol;
    Instant expiresAt;
    /** The refresh grant's method, or null when there is no grant. */
    TokenEndpointAuthMethod method;
    String scope;
    String name;
    Networking networking;
    InjectionLocation injection;
    String displayName;
    Map<String, String> metadata = new HashMap<>();
    /** The primary secret: the access token, or the secret value. */
    String token;
    String refreshToken;
    String clientSecret;
    boolean archived;
    boolean deleted;

    /** A copy with a new id and primary secret, as rotation makes it. */
    ModelCredential rotated(String id, String newToken) {
      ModelCredential m = new ModelCredential();
      m.vault = vault;
      m.realId = id;
      m.type = type;
      m.key = key;
      m.url = url;
      m.protocol = protocol;
      m.expiresAt = null; // the old token's expiry is not the new token's
      m.method = method;
      m.scope = scope;
      m.name = name;
      m.networking = networking;
      m.injection = injection;
      m.displayName = displayName;
      m.metadata = new HashMap<>(metadata);
      m.token = newToken;
      m.refreshToken = refreshToken;
      m.clientSecret = clientSecret;
      return m;
    }

    /** The kind the API must show. */
    CredentialKind kind() {
      if (type == CredentialType.STATIC_BEARER) {
        return new CredentialKind.StaticBearer(url, protocol);
      }
      if (type == CredentialType.MCP_OAUTH) {
        return new CredentialKind.McpOAuth(url, protocol, Optional.ofNullable(expiresAt),
            method == null ? Optional.empty() : Optional.of(new OAuthRefresh(TOKEN_ENDPOINT,
                CLIENT_ID, Optional.ofNullable(scope), Optional.empty(), method)));
      }
      return new CredentialKind.EnvironmentVariable(name, networking, injection);
    }

    /** The request that creates this credential. */
    CreateCredentialRequest request() {
      CreateCredentialRequest.Builder b = CreateCredentialRequest.builder().type(type)
          .displayName(displayName).metadata(metadata.isEmpty() ? null : metadata);
      if (type == CredentialType.ENVIRONMENT_VARIABLE) {
        return b.secretName(name).secretValue(Secret.of(token)).networking(networking)
            .injectionLocation(injection).build();
      }
      b.mcpServerUrl(url).protocol(protocol).accessToken(token);
      if (type == CredentialType.MCP_OAUTH) {
        b.expiresAt(expiresAt);
        if (method != null) {
          b.refresh(new OAuthRefreshRequest(TOKEN_ENDPOINT, CLIENT_ID, scope, null,
              Secret.of(refreshToken), new TokenEndpointAuth(method,
                  clientSecret == null ? null : Secret.of(clientSecret))));
        }
      }
      return b.build();
    }
  }

  /**
   * A credential of {@code spec} for vault {@code v} (null when no model keeps it, as in the
   * stress run), its other fields from {@code variant}; secrets come from {@code nextSecret},
   * which is given the secret's prefix ({@code tok}, {@code at}, {@code rt}, {@code cs},
   * {@code sv}), and expiries are counted from {@code now}.
   */
  static ModelCredential newCredential(ModelVault v, int spec, int variant,
      UnaryOperator<String> nextSecret, Instant now) {
    ModelCredential m = new ModelCredential();
    m.vault = v;
    if (spec < MCP_SPECS) {
      m.type = spec < URLS.size() ? CredentialType.STATIC_BEARER : CredentialType.MCP_OAUTH;
      m.url = URLS.get(spec % URLS.size());
      m.key = McpServerUrl.parse(m.url).normalized();
      m.protocol = variant % 2 == 0 ? Protocol.SSE : Protocol.STREAMABLE_HTTP;
      if (m.type == CredentialType.STATIC_BEARER) {
        m.token = nextSecret.apply("tok");
      } else {
        m.token = nextSecret.apply("at");
        m.expiresAt = variant % 3 == 0 ? null : now.plus(Duration.ofDays(1 + variant % 5));
        int grant = variant % 4;
        if (grant > 0) {
          m.method = TokenEndpointAuthMethod.values()[grant - 1];
          m.scope = variant % 8 < 4 ? "read write" : null;
          m.refreshToken = nextSecret.apply("rt");
          m.clientSecret = m.method.needsSecret() ? nextSecret.apply("cs") : null;
        }
      }
    } else {
      m.type = CredentialType.ENVIRONMENT_VARIABLE;
      m.name = SECRET_NAMES.get(spec - MCP_SPECS);
      m.key = "env:" + m.name;
      m.token = nextSecret.apply("sv");
      m.networking = NETWORKINGS.get(variant % NETWORKINGS.size());
      m.injection = INJECTIONS.get(variant % INJECTIONS.size());
    }
    m.displayName = variant % 5 == 0 ? "cred " + variant : null;
    if (variant % 7 == 0) {
      m.metadata.put("m", "v" + variant);
    }
    return m;
  }

  /** The prefix of a new primary secret of {@code type} ({@code sv}, {@code at} or {@code tok}). */
  static String primaryPrefix(CredentialType type) {
    return type == CredentialType.ENVIRONMENT_VARIABLE ? "sv"
        : type == CredentialType.MCP_OAUTH ? "at" : "tok";
  }

  /** Records a credential the engine created. */
  void add(ModelCredential m) {
    creds.add(m);
    byId.put(m.realId, m);
  }

  /** The vault {@code ref} points at (modulo the number created), or null before any. */
  ModelVault vault(int ref) {
    return vaults.isEmpty() ? null : vaults.get(ref % vaults.size());
  }

  /** The credential {@code ref} points at (modulo the number created), or null before any. */
  ModelCredential cred(int ref) {
    return creds.isEmpty() ? null : creds.get(ref % creds.size());
  }

  /** The active credential of {@code v} with identity {@code key}, or null. */
  ModelCredential activeIn(ModelVault v, String key) {
    for (ModelCredential c : creds) {
      if (c.vault == v && !c.archived && !c.deleted && c.key.equals(key)) {
        return c;
      }
    }
    return null;
  }

  /** The distinct vaults {@code refs} point at, in order: a session's vaults. */
  List<ModelVault> sessionOf(List<Integer> refs) {
    List<ModelVault> session = new ArrayList<>();
    for (int ref : refs) {
      ModelVault v = vault(ref);
      if (v != null && !session.contains(v)) {
        session.add(v);
      }
    }
    return session;
  }

  /** Expected failure of a call on vault {@code v}, or null for success. */
  static ErrorType expectVault(ModelVault v, boolean mustBeActive) {
    if (v.deleted) {
      return ErrorType.NOT_FOUND;
    }
    return mustBeActive && v.archived ? ErrorType.CONFLICT : null;
  }

  /** Expected failure of a call on credential {@code c}, or null for success. */
  static ErrorType expectCredential(ModelCredential c, boolean mustBeActive) {
    if (c.deleted || c.vault.deleted) {
      return ErrorType.NOT_FOUND;
    }
    return mustBeActive && c.archived ? ErrorType.CONFLICT : null;
  }

  /** The first vault with a problem, in session order, decides the error. */
  static ErrorType sessionError(List<ModelVault> session) {
    for (ModelVault v : session) {
      ErrorType e = expectVault(v, true);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /** Whether the model's {@code networking} lets a value go to {@code host}. */
  static boolean allows(Networking networking, String host) {
    if (networking instanceof Networking.Unrestricted) {
      return true;
    }
    for (String entry : ((Networking.Limited) networking).allowedHosts()) {
      String e = entry.toLowerCase(Locale.ROOT);
      if (e.startsWith("*.") ? host.endsWith(e.substring(1)) && host.length() > e.length() - 1
          : host.equals(e)) {
        return true;
      }
    }
    return false;
  }
}
