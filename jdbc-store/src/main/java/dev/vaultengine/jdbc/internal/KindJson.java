package dev.vaultengine.jdbc.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vaultengine.CredentialKind;
import dev.vaultengine.InjectionLocation;
import dev.vaultengine.Networking;
import dev.vaultengine.OAuthRefresh;
import dev.vaultengine.TokenEndpointAuthMethod;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code details} column of a credential: the non-secret fields of its kind that have no
 * column of their own, as one JSON object in the shape of the REST body, secrets left out
 * (migration V2 documents the layout). Written and read with Jackson's streams.
 *
 * <ul>
 *   <li>{@code static_bearer}: NULL.
 *   <li>{@code mcp_oauth}: NULL without a refresh grant; else {@code {"token_endpoint": ..,
 *       "client_id": .., "scope": .., "resource": .., "token_endpoint_auth": {"type": ..}}},
 *       {@code scope} and {@code resource} only when set.
 *   <li>{@code environment_variable}: {@code {"secret_name": .., "networking": {"type":
 *       "unrestricted"}} or {"type": "limited", "allowed_hosts": [..]}, "injection_location":
 *       {"header": .., "body": ..}}}.
 * </ul>
 *
 * <p>A reader skips members it does not know, so a later version may add some.
 */
public final class KindJson {
  private static final JsonFactory JSON = new JsonFactory();

  private KindJson() {}

  /** The {@code details} text of {@code kind}, or null when it has none. */
  public static String write(CredentialKind kind) {
    if (kind instanceof CredentialKind.McpOAuth o) {
      return o.refresh().map(KindJson::writeRefresh).orElse(null);
    }
    if (kind instanceof CredentialKind.EnvironmentVariable e) {
      return writeEnvironment(e);
    }
    return null;
  }

  private static String writeRefresh(OAuthRefresh r) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("token_endpoint", r.tokenEndpoint());
      g.writeStringField("client_id", r.clientId());
      if (r.scope().isPresent()) {
        g.writeStringField("scope", r.scope().get());
      }
      if (r.resource().isPresent()) {
        g.writeStringField("resource", r.resource().get());
      }
      g.writeObjectFieldStart("token_endpoint_auth");
      g.writeStringField("type", r.tokenEndpointAuth().wireName());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String writeEnvironment(CredentialKind.EnvironmentVariable e) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("secret_name", e.secretName());
      g.writeObjectFieldStart("networking");
      g.writeStringField("type", e.networking().type());
      if (e.networking() instanceof Networking.Limited l) {
        g.writeArrayFieldStart("allowed_hosts");
        for (String host : l.allowedHosts()) {
          g.writeString(host);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeObjectFieldStart("injection_location");
      g.writeBooleanField("header", e.injectionLocation().header());
      g.writeBooleanField("body", e.injectionLocation().body());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toString();
  }

  /** The refresh grant in a {@code mcp_oauth} row's {@code details}, empty for NULL. */
  public static Optional<OAuthRefresh> readRefresh(String details) {
    if (details == null) {
      return Optional.empty();
    }
    String endpoint = null;
    String clientId = null;
    String scope = null;
    String resource = null;
    String auth = null;
    try (JsonParser p = start(details)) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "token_endpoint" -> endpoint = p.getText();
          case "client_id" -> clientId = p.getText();
          case "scope" -> scope = value == JsonToken.VALUE_NULL ? null : p.getText();
          case "resource" -> resource = value == JsonToken.VALUE_NULL ? null : p.getText();
          case "token_endpoint_auth" -> {
            expect(value, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              if (field.equals("type")) {
                auth = p.getText();
              } else {
                p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (endpoint == null || clientId == null || auth == null) {
      throw new IllegalStateException("details column of an mcp_oauth credential is incomplete");
    }
    return Optional.of(new OAuthRefresh(endpoint, clientId, Optional.ofNullable(scope),
        Optional.ofNullable(resource), TokenEndpointAuthMethod.fromWire(auth, "details")));
  }

  /** The kind in an {@code environment_variable} row's {@code details}. */
  public static CredentialKind.EnvironmentVariable readEnvironment(String details) {
    if (details == null) {
      throw new IllegalStateException("environment_variable credential without details column");
    }
    String secretName = null;
    Networking networking = null;
    Boolean header = null;
    Boolean body = null;
    try (JsonParser p = start(details)) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "secret_name" -> secretName = p.getText();
          case "networking" -> {
            expect(value, JsonToken.START_OBJECT);
            String type = null;
            List<String> hosts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              JsonToken v = p.nextToken();
              if (field.equals("type")) {
                type = p.getText();
              } else if (field.equals("allowed_hosts")) {
                expect(v, JsonToken.START_ARRAY);
                hosts = new ArrayList<>();
                while (p.nextToken() == JsonToken.VALUE_STRING) {
                  hosts.add(p.getText());
                }
              } else {
                p.skipChildren();
              }
            }
            if ("unrestricted".equals(type)) {
              networking = Networking.unrestricted();
            } else if ("limited".equals(type) && hosts != null) {
              networking = Networking.limited(hosts);
            } else {
              throw new IllegalStateException("details column: unknown networking");
            }
          }
          case "injection_location" -> {
            expect(value, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              if (field.equals("header")) {
                header = p.getBooleanValue();
              } else if (field.equals("body")) {
                body = p.getBooleanValue();
              } else {
                p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (secretName == null || networking == null || header == null || body == null) {
      throw new IllegalStateException(
          "details column of an environment_variable credential is incomplete");
    }
    return new CredentialKind.EnvironmentVariable(secretName, networking,
        new InjectionLocation(header, body));
  }

  private static JsonParser start(String json) throws IOException {
    JsonParser p = JSON.createParser(json);
    expect(p.nextToken(), JsonToken.START_OBJECT);
    return p;
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new IllegalStateException("details column is not in the expected JSON layout");
    }
  }
}
