package dev.vaultengine.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import dev.vaultengine.TokenEndpointAuthMethod;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * A token endpoint on an embedded Tomcat on 127.0.0.1 that checks every refresh request exactly
 * against what the test expects (the raw form and headers by hand, and the whole request through
 * Nimbus's server-side {@code TokenRequest.parse}), counts requests, and answers as the test says.
 * A request that does not match is answered 400 {@code test_mismatch} and its violations are kept.
 */
final class TokenEndpointServer implements AutoCloseable {

  /** What the next requests must carry. */
  record Expected(String clientId, TokenEndpointAuthMethod authMethod, String clientSecret,
      String refreshToken, Optional<String> scope, Optional<String> resource) {}

  /** How to answer a request that matched. */
  @FunctionalInterface
  interface Answer {
    void write(HttpServletResponse response) throws IOException, InterruptedException;
  }

  private final Tomcat tomcat = new Tomcat();
  private final Path baseDir;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger redirected = new AtomicInteger();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile Expected expected;
  private volatile Answer answer;
  private final int port;

  TokenEndpointServer() throws Exception {
    baseDir = Files.createTempDirectory("token-endpoint");
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    // Leak detection for redeployed web apps needs --add-opens and means nothing here.
    ((StandardContext) context).setClearReferencesThreadLocals(false);
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    Tomcat.addServlet(context, "token", new TokenServlet()).addMapping("/token");
    Tomcat.addServlet(context, "elsewhere", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) {
        redirected.incrementAndGet();
        response.setStatus(500);
      }
    }).addMapping("/elsewhere");
    tomcat.start();
    port = connector.getLocalPort();
  }

  URI tokenUri() {
    return URI.create("http://127.0.0.1:" + port + "/token");
  }

  URI elsewhereUri() {
    return URI.create("http://127.0.0.1:" + port + "/elsewhere");
  }

  /** Sets what the next requests must carry and how to answer them; resets the counters. */
  void expect(Expected expected, Answer answer) {
    this.expected = expected;
    this.answer = answer;
    requests.set(0);
    redirected.set(0);
    violations.clear();
  }

  int requests() {
    return requests.get();
  }

  int redirectedRequests() {
    return redirected.get();
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }

  private final class TokenServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      requests.incrementAndGet();
      List<String> found = check(request, expected);
      if (!found.isEmpty()) {
        violations.addAll(found);
        response.setStatus(400);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"test_mismatch\"}");
        return;
      }
      try {
        answer.write(response);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Every way the request differs from {@code want}. */
  private static List<String> check(HttpServletRequest request, Expected want)
      throws IOException {
    List<String> problems = new ArrayList<>();
    byte[] raw = request.getInputStream().readAllBytes();
    String body = new String(raw, StandardCharsets.US_ASCII);
    if (!request.getMethod().equals("POST")) {
      problems.add("method " + request.getMethod());
    }
    String contentType = request.getContentType();
    if (contentType == null
        || !contentType.split(";")[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
      problems.add("content type " + contentType);
    }
    if (request.getQueryString() != null) {
      problems.add("a query string");
    }
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] < 0x21 || raw[i] > 0x7e) {
        problems.add("an unencoded byte in the form body");
        break;
      }
    }

    // The form by hand: each parameter exactly once, exactly the expected set.
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        problems.add("a form field without '='");
        continue;
      }
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (form.put(name, value) != null) {
        problems.add("form field " + name + " twice");
      }
    }
    Set<String> names = new TreeSet<>(List.of("grant_type", "refresh_token"));
    want.scope().ifPresent(s -> names.add("scope"));
    want.resource().ifPresent(r -> names.add("resource"));
    if (want.authMethod() == TokenEndpointAuthMethod.NONE
        || want.authMethod() == TokenEndpointAuthMethod.CLIENT_SECRET_POST) {
      names.add("client_id");
    }
    if (want.authMethod() == TokenEndpointAuthMethod.CLIENT_SECRET_POST) {
      names.add("client_secret");
    }
    if (!form.keySet().equals(names)) {
      problems.add("form fields " + new TreeSet<>(form.keySet()) + ", expected " + names);
    }
    expectEqual(problems, "grant_type", "refresh_token", form.get("grant_type"));
    expectEqual(problems, "refresh_token", want.refreshToken(), form.get("refresh_token"));
    want.scope().ifPresent(s -> expectEqual(problems, "scope", s, form.get("scope")));
    want.resource().ifPresent(r -> expectEqual(problems, "resource", r, form.get("resource")));

    String authorization = request.getHeader("Authorization");
    List<String> authorizations = Collections.list(request.getHeaders("Authorization"));
    switch (want.authMethod()) {
      case NONE:
      case CLIENT_SECRET_POST:
        if (authorization != null) {
          problems.add("an Authorization header");
        }
        expectEqual(problems, "client_id", want.clientId(), form.get("client_id"));
        if (want.authMethod() == TokenEndpointAuthMethod.CLIENT_SECRET_POST) {
          expectEqual(problems, "client_secret", want.clientSecret(), form.get("client_secret"));
        }
        break;
      case CLIENT_SECRET_BASIC:
        // RFC 6749 2.3.1: id and secret form-urlencoded, then joined by ':' and Base64-encoded.
        String expectedHeader = "Basic " + Base64.getEncoder().encodeToString(
            (URLEncoder.encode(want.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(want.clientSecret(), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        if (authorizations.size() != 1 || !expectedHeader.equals(authorization)) {
          problems.add("Authorization is not Basic with the form-urlencoded id and secret");
        }
        break;
      default:
        problems.add("unknown method");
    }

    // The same request through Nimbus's server side.
    try {
      HTTPRequest nimbus = new HTTPRequest(HTTPRequest.Method.POST,
          URI.create(request.getRequestURL().toString()));
      nimbus.setContentType(contentType);
      if (authorization != null) {
        nimbus.setAuthorization(authorization);
      }
      nimbus.setBody(body);
      TokenRequest parsed = TokenRequest.parse(nimbus);
      AuthorizationGrant grant = parsed.getAuthorizationGrant();
      if (!(grant instanceof RefreshTokenGrant) || !((RefreshTokenGrant) grant).getRefreshToken()
          .getValue().equals(want.refreshToken())) {
        problems.add("Nimbus: not the refresh-token grant expected");
      }
      ClientAuthentication auth = parsed.getClientAuthentication();
      switch (want.authMethod()) {
        case NONE:
          if (auth != null || parsed.getClientID() == null
              || !parsed.getClientID().getValue().equals(want.clientId())) {
            problems.add("Nimbus: not a public client with the expected client_id");
          }
          break;
        case CLIENT_SECRET_BASIC:
          if (!(auth instanceof ClientSecretBasic) || !auth.getClientID().getValue()
              .equals(want.clientId()) || !((ClientSecretBasic) auth).getClientSecret().getValue()
              .equals(want.clientSecret())) {
            problems.add("Nimbus: not client_secret_basic with the expected id and secret");
          }
          break;
        default:
          if (!(auth instanceof ClientSecretPost) || !auth.getClientID().getValue()
              .equals(want.clientId()) || !((ClientSecretPost) auth).getClientSecret().getValue()
              .equals(want.clientSecret())) {
            problems.add("Nimbus: not client_secret_post with the expected id and secret");
          }
      }
      Scope scope = parsed.getScope();
      if (!want.scope().map(Scope::parse).equals(Optional.ofNullable(scope))) {
        problems.add("Nimbus: scope " + scope);
      }
      List<URI> resources = parsed.getResources();
      if (!want.resource().map(r -> List.of(URI.create(r))).equals(Optional.ofNullable(resources))) {
        problems.add("Nimbus: resources " + resources);
      }
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      problems.add("Nimbus cannot parse it as a token request");
    }
    return problems;
  }

  private static void expectEqual(List<String> problems, String name, String want, String got) {
    if (!want.equals(got)) {
      problems.add(name + " differs");
    }
  }
}
