package dev.vaultengine.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.vaultengine.CreateCredentialRequest;
import dev.vaultengine.CredentialType;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefreshRequest;
import dev.vaultengine.Patch;
import dev.vaultengine.Protocol;
import dev.vaultengine.RefreshPatch;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuth;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.UpdateCredentialRequest;
import dev.vaultengine.VaultException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST bodies of "create credential" and "update credential" as JSON, in the flat shape of the
 * API documents ({@code type} chooses the kind). Read with Jackson's streaming parser, so that a
 * secret ({@code access_token}, {@code refresh.refresh_token},
 * {@code refresh.token_endpoint_auth.client_secret}, {@code secret_value}) goes from the input's
 * characters straight into a {@link Secret}, never into a {@code String}.
 *
 * <p>Only the shape is checked here: bad JSON, a value of the wrong JSON type, an unknown or
 * repeated field, a malformed {@code expires_at}. Each is an {@code invalid_request_error} whose
 * {@code param} names the field and whose message never quotes the input (Jackson's own messages
 * may quote a token, which could be a secret written without quotes). The field rules are the
 * service's.
 *
 * <p>In an update, a field absent is {@link Patch#omitted()}, a field given as JSON null is
 * {@link Patch#cleared()} (the service refuses clearing what cannot be cleared), a metadata key
 * mapped to null is removed. {@code networking} and {@code injection_location} are replaced
 * whole: an {@code injection_location} flag left out is false.
 */
final class CredentialBody {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      // Error locations never carry the input.
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  /** JSON null, as read (distinct from a field not given). */
  private static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** What a field holds. */
  private enum Kind {
    STRING, SECRET, TIME, BOOLEAN, STRINGS, METADATA, REFRESH, AUTH, NETWORKING, INJECTION
  }

  private static final Map<String, Kind> TOP = fields(
      "type", Kind.STRING, "mcp_server_url", Kind.STRING, "protocol", Kind.STRING,
      "access_token", Kind.SECRET, "expires_at", Kind.TIME, "refresh", Kind.REFRESH,
      "secret_name", Kind.STRING, "secret_value", Kind.SECRET, "networking", Kind.NETWORKING,
      "injection_location", Kind.INJECTION, "display_name", Kind.STRING,
      "metadata", Kind.METADATA);
  private static final Map<String, Kind> REFRESH = fields(
      "token_endpoint", Kind.STRING, "client_id", Kind.STRING, "scope", Kind.STRING,
      "resource", Kind.STRING, "refresh_token", Kind.SECRET, "token_endpoint_auth", Kind.AUTH);
  private static final Map<String, Kind> AUTH = fields(
      "type", Kind.STRING, "client_secret", Kind.SECRET);
  private static final Map<String, Kind> NETWORKING = fields(
      "type", Kind.STRING, "allowed_hosts", Kind.STRINGS);
  private static final Map<String, Kind> INJECTION = fields(
      "header", Kind.BOOLEAN, "body", Kind.BOOLEAN);

  private static Map<String, Kind> fields(Object... pairs) {
    Map<String, Kind> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Kind) pairs[i + 1]);
    }
    return m;
  }

  private final JsonParser parser;

  private CredentialBody(JsonParser parser) {
    this.parser = parser;
  }

  /** A create request from {@code json}; the caller wipes {@code json} afterwards. */
  static CreateCredentialRequest create(char[] json) {
    Map<String, Object> body = read(json);
    try {
      CreateCredentialRequest.Builder b = CreateCredentialRequest.builder()
          .type(type(body))
          .mcpServerUrl(string(body, "mcp_server_url"))
          .protocol(protocol(body, "protocol"))
          .accessToken(secret(body, "access_token"))
          .expiresAt((Instant) value(body, "expires_at"))
          .secretName(string(body, "secret_name"))
          .secretValue(secret(body, "secret_value"))
          .displayName(string(body, "display_name"));
      if (value(body, "refresh") instanceof Map<?, ?> refresh) {
        Map<String, Object> r = cast(refresh);
        b.refresh(new OAuthRefreshRequest(string(r, "token_endpoint"), string(r, "client_id"),
            string(r, "scope"), string(r, "resource"), secret(r, "refresh_token"),
            value(r, "token_endpoint_auth") instanceof Map<?, ?> auth
                ? auth(cast(auth), "refresh.token_endpoint_auth") : null));
      }
      if (value(body, "networking") instanceof Map<?, ?> networking) {
        b.networking(networking(cast(networking)));
      }
      if (value(body, "injection_location") instanceof Map<?, ?> location) {
        b.injectionLocation(injection(cast(location)));
      }
      if (value(body, "metadata") instanceof Map<?, ?> metadata) {
        Map<String, String> m = new LinkedHashMap<>();
        cast(metadata).forEach((k, v) -> m.put(k, v == NULL ? null : (String) v));
        b.metadata(m);
      }
      return b.build();
    } catch (RuntimeException e) {
      destroySecrets(body);
      throw e;
    }
  }

  /** An update request (a merge patch) from {@code json}; the caller wipes {@code json}. */
  static UpdateCredentialRequest update(char[] json) {
    Map<String, Object> body = read(json);
    try {
      UpdateCredentialRequest.Builder b = UpdateCredentialRequest.builder(type(body));
      if (body.containsKey("display_name")) {
        b.displayName(string(body, "display_name"));
      }
      if (body.containsKey("mcp_server_url")) {
        b.mcpServerUrl(string(body, "mcp_server_url"));
      }
      if (body.containsKey("protocol")) {
        b.protocol(protocol(body, "protocol"));
      }
      if (body.containsKey("access_token")) {
        b.accessToken(secret(body, "access_token"));
      }
      if (body.containsKey("expires_at")) {
        b.expiresAt((Instant) value(body, "expires_at"));
      }
      if (body.containsKey("refresh")) {
        Object refresh = value(body, "refresh");
        b.refresh(refresh instanceof Map<?, ?> r ? refreshPatch(cast(r)) : null);
      }
      if (body.containsKey("secret_name")) {
        b.secretName(string(body, "secret_name"));
      }
      if (body.containsKey("secret_value")) {
        b.secretValue(secret(body, "secret_value"));
      }
      if (body.containsKey("networking")) {
        Object networking = value(body, "networking");
        b.networking(networking instanceof Map<?, ?> n ? networking(cast(n)) : null);
      }
      if (body.containsKey("injection_location")) {
        Object location = value(body, "injection_location");
        b.injectionLocation(location instanceof Map<?, ?> l ? injection(cast(l)) : null);
      }
      if (body.containsKey("metadata")) {
        if (!(value(body, "metadata") instanceof Map<?, ?> metadata)) {
          throw VaultException.invalidRequest("Field 'metadata' cannot be null in an update; "
              + "set a key to null to remove that key.", "metadata");
        }
        cast(metadata).forEach((k, v) -> {
          if (v == NULL) {
            b.removeMetadata(k);
          } else {
            b.putMetadata(k, (String) v);
          }
        });
      }
      return b.build();
    } catch (RuntimeException e) {
      destroySecrets(body);
      throw e;
    }
  }

  /** Wipes the secrets of a request once the service has taken it. */
  static void destroySecrets(CreateCredentialRequest r) {
    destroy(r.accessToken());
    destroy(r.secretValue());
    if (r.refresh() != null) {
      destroy(r.refresh().refreshToken());
      if (r.refresh().tokenEndpointAuth() != null) {
        destroy(r.refresh().tokenEndpointAuth().clientSecret());
      }
    }
  }

  /** Wipes the secrets of an update once the service has taken it. */
  static void destroySecrets(UpdateCredentialRequest r) {
    destroy(r.accessToken());
    destroy(r.secretValue());
    if (r.refresh() instanceof Patch.Value<RefreshPatch> v) {
      destroy(v.value().refreshToken());
      if (v.value().tokenEndpointAuth() instanceof Patch.Value<TokenEndpointAuth> a) {
        destroy(a.value().clientSecret());
      }
    }
  }

  private static void destroy(Patch<Secret> patch) {
    if (patch instanceof Patch.Value<Secret> v) {
      v.value().destroy();
    }
  }

  private static void destroy(Secret secret) {
    if (secret != null) {
      secret.destroy();
    }
  }

  /** Wipes every secret of a request that is not going to be sent. */
  private static void destroySecrets(Map<String, Object> fields) {
    for (Object v : fields.values()) {
      if (v instanceof Secret s) {
        s.destroy();
      } else if (v instanceof Map<?, ?> m) {
        destroySecrets(cast(m));
      }
    }
  }

  // ---------------------------------------------------------------- building

  private static CredentialType type(Map<String, Object> body) {
    String type = string(body, "type");
    return type == null ? null : CredentialType.fromWire(type);
  }

  private static Protocol protocol(Map<String, Object> body, String field) {
    String protocol = string(body, field);
    return protocol == null ? null : Protocol.fromWire(protocol);
  }

  private static RefreshPatch refreshPatch(Map<String, Object> r) {
    Patch<TokenEndpointAuth> auth = Patch.omitted();
    if (r.containsKey("token_endpoint_auth")) {
      Object a = value(r, "token_endpoint_auth");
      auth = Patch.of(a instanceof Map<?, ?> m ? auth(cast(m), "refresh.token_endpoint_auth")
          : null);
    }
    return new RefreshPatch(patch(r, "token_endpoint"), patch(r, "client_id"),
        patch(r, "scope"), patch(r, "resource"), patch(r, "refresh_token"), auth);
  }

  @SuppressWarnings("unchecked")
  private static <T> Patch<T> patch(Map<String, Object> fields, String name) {
    return fields.containsKey(name) ? Patch.of((T) value(fields, name)) : Patch.omitted();
  }

  private static TokenEndpointAuth auth(Map<String, Object> a, String param) {
    String type = string(a, "type");
    TokenEndpointAuthMethod method = type == null ? null
        : TokenEndpointAuthMethod.fromWire(type, param + ".type");
    return new TokenEndpointAuth(method, secret(a, "client_secret"));
  }

  private static Networking networking(Map<String, Object> n) {
    String type = string(n, "type");
    if (type == null) {
      throw VaultException.invalidRequest("Field 'type' is required.", "networking.type");
    }
    if (type.equals("unrestricted")) {
      if (n.containsKey("allowed_hosts")) {
        throw VaultException.invalidRequest("Field 'allowed_hosts' applies only to 'limited' "
            + "networking.", "networking.allowed_hosts");
      }
      return Networking.unrestricted();
    }
    if (type.equals("limited")) {
      @SuppressWarnings("unchecked")
      List<String> hosts = (List<String>) value(n, "allowed_hosts");
      return Networking.limited(hosts);
    }
    throw VaultException.invalidRequest("Field 'type' must be one of: unrestricted, limited.",
        "networking.type");
  }

  private static InjectionLocation injection(Map<String, Object> l) {
    return new InjectionLocation(Boolean.TRUE.equals(value(l, "header")),
        Boolean.TRUE.equals(value(l, "body")));
  }

  /** The field's value, null when absent or JSON null. */
  private static Object value(Map<String, Object> fields, String name) {
    Object v = fields.get(name);
    return v == NULL ? null : v;
  }

  private static String string(Map<String, Object> fields, String name) {
    return (String) value(fields, name);
  }

  private static Secret secret(Map<String, Object> fields, String name) {
    return (Secret) value(fields, name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  // ---------------------------------------------------------------- parsing

  /** The body's fields: every value checked for its JSON type, secrets as {@link Secret}. */
  private static Map<String, Object> read(char[] json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = next(p);
      if (first == null) {
        throw VaultException.invalidRequest("Request body is required.", null);
      }
      if (first != JsonToken.START_OBJECT) {
        throw VaultException.invalidRequest("The request body must be a JSON object.", null);
      }
      Map<String, Object> body = new CredentialBody(p).object(TOP, "");
      try {
        if (next(p) != null) {
          throw VaultException.invalidRequest(
              "The request body must be one JSON object with nothing after it.", null);
        }
      } catch (RuntimeException e) {
        destroySecrets(body);
        throw e;
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next token; a syntax error is reported as about the field being read. Jackson reads a
   * field's value with its name, so the field comes from the parser's context, not the caller.
   */
  private static JsonToken next(JsonParser p) throws IOException {
    try {
      return p.nextToken();
    } catch (JsonProcessingException e) {
      throw syntax(e, path(p.getParsingContext()));
    }
  }

  /** The field {@code context} is in, such as {@code refresh.client_id}; null at the top. */
  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        path.insert(0, c.getCurrentName()
            + (path.length() == 0 || path.charAt(0) == '[' ? "" : "."));
      }
    }
    return path.length() == 0 ? null : path.toString();
  }

  private static VaultException syntax(JsonProcessingException e, String param) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String what = e instanceof JsonEOFException ? "ends before its JSON is complete"
        : "is not valid JSON";
    return VaultException.invalidRequest("The request body " + what + where
        + (param == null ? "" : " (in field '" + param + "')") + ".", param);
  }

  /** Reads an object's fields after its START_OBJECT; any failure wipes the secrets read. */
  private Map<String, Object> object(Map<String, Kind> schema, String prefix) throws IOException {
    Map<String, Object> fields = new LinkedHashMap<>();
    try {
      while (next() != JsonToken.END_OBJECT) {
        String name = parser.currentName();
        String param = prefix + name;
        Kind kind = schema.get(name);
        if (kind == null) {
          throw VaultException.invalidRequest("Unknown field '" + param + "'.", param);
        }
        if (fields.containsKey(name)) {
          throw VaultException.invalidRequest(
              "Field '" + name + "' is given more than once.", param);
        }
        next();
        fields.put(name, value(kind, param));
      }
      return fields;
    } catch (RuntimeException | IOException e) {
      destroySecrets(fields);
      throw e;
    }
  }

  private JsonToken next() throws IOException {
    return next(parser);
  }

  /** The value at the current token, of {@code kind}, or {@link #NULL}. */
  private Object value(Kind kind, String param) throws IOException {
    JsonToken t = parser.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return NULL;
    }
    String field = param.substring(param.lastIndexOf('.') + 1);
    switch (kind) {
      case STRING:
        expect(t == JsonToken.VALUE_STRING, field, "a string", param);
        return parser.getText();
      case SECRET:
        expect(t == JsonToken.VALUE_STRING, field, "a string", param);
        char[] chars = Arrays.copyOfRange(parser.getTextCharacters(), parser.getTextOffset(),
            parser.getTextOffset() + parser.getTextLength());
        try {
          return Secret.of(chars);
        } finally {
          Arrays.fill(chars, '\0');
        }
      case TIME:
        expect(t == JsonToken.VALUE_STRING, field, "an RFC 3339 timestamp string", param);
        try {
          return OffsetDateTime.parse(parser.getText()).toInstant();
        } catch (DateTimeParseException e) {
          throw VaultException.invalidRequest(
              "Field '" + field + "' must be an RFC 3339 timestamp.", param);
        }
      case BOOLEAN:
        expect(t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE, field, "true or false",
            param);
        return t == JsonToken.VALUE_TRUE;
      case STRINGS:
        expect(t == JsonToken.START_ARRAY, field, "an array of strings", param);
        List<String> list = new ArrayList<>();
        while (next() != JsonToken.END_ARRAY) {
          String item = param + "[" + list.size() + "]";
          JsonToken it = parser.currentToken();
          if (it == JsonToken.VALUE_NULL) {
            list.add(null);
            continue;
          }
          if (it != JsonToken.VALUE_STRING) {
            throw VaultException.invalidRequest(
                "Field '" + field + "' must be an array of strings.", item);
          }
          list.add(parser.getText());
        }
        return list;
      case METADATA:
        expect(t == JsonToken.START_OBJECT, field, "an object of strings", param);
        Map<String, Object> metadata = new LinkedHashMap<>();
        while (next() != JsonToken.END_OBJECT) {
          String key = parser.currentName();
          String item = param + "." + key;
          if (metadata.containsKey(key)) {
            throw VaultException.invalidRequest(
                "Metadata key '" + key + "' is given more than once.", item);
          }
          JsonToken vt = next();
          if (vt != JsonToken.VALUE_STRING && vt != JsonToken.VALUE_NULL) {
            throw VaultException.invalidRequest(
                "Field 'metadata' values must be strings (or null to remove a key).", item);
          }
          metadata.put(key, vt == JsonToken.VALUE_NULL ? NULL : parser.getText());
        }
        return metadata;
      case REFRESH:
        expect(t == JsonToken.START_OBJECT, field, "an object", param);
        return object(REFRESH, param + ".");
      case AUTH:
        expect(t == JsonToken.START_OBJECT, field, "an object", param);
        return object(AUTH, param + ".");
      case NETWORKING:
        expect(t == JsonToken.START_OBJECT, field, "an object", param);
        return object(NETWORKING, param + ".");
      case INJECTION:
        expect(t == JsonToken.START_OBJECT, field, "an object", param);
        return object(INJECTION, param + ".");
      default:
        throw new AssertionError(kind);
    }
  }

  private static void expect(boolean ok, String field, String what, String param) {
    if (!ok) {
      throw VaultException.invalidRequest("Field '" + field + "' must be " + what + ".", param);
    }
  }
}
