package dev.vaultengine.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * A token endpoint that behaves like a rotating OAuth server: it holds one current refresh token,
 * accepts a refresh only with exactly that token and the client's secret (checked through Nimbus's
 * server-side {@code TokenRequest.parse}), answers with a new access token and a new refresh token,
 * and answers {@code invalid_grant} to a refresh token it already rotated away: a reused refresh
 * token shows up as a failure. It counts every request, and can be told to fail or to hang.
 */
final class RotatingTokenEndpoint implements AutoCloseable {
  static final String CLIENT_ID = "vault-engine-client";
  static final String CLIENT_SECRET = "cs-rotating-endpoint-secret-5b1e";

  /** How the endpoint answers a request that matched. */
  enum Mode { ROTATE, SERVER_ERROR, RATE_LIMITED, INVALID_GRANT, HANG, MALFORMED, NO_ACCESS_TOKEN }

  private final Tomcat tomcat = new Tomcat();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicReference<String> currentRefreshToken = new AtomicReference<>();
  private final List<String> reused = new CopyOnWriteArrayList<>();
  private final List<String> issuedAccessTokens = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.ROTATE;
  private volatile long delayMillis;
  private volatile long expiresIn = 3600;
  private final int port;

  RotatingTokenEndpoint(String initialRefreshToken) throws Exception {
    currentRefreshToken.set(initialRefreshToken);
    Path base = Files.createTempDirectory("rotating-endpoint");
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    ((StandardContext) context).setClearReferencesThreadLocals(false);
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    Tomcat.addServlet(context, "token", new Servlet()).addMapping("/token");
    tomcat.start();
    port = connector.getLocalPort();
  }

  String tokenEndpoint() {
    return "http://127.0.0.1:" + port + "/token";
  }

  void mode(Mode m) {
    mode = m;
  }

  void delayMillis(long millis) {
    delayMillis = millis;
  }

  void expiresIn(long seconds) {
    expiresIn = seconds;
  }

  int requests() {
    return requests.get();
  }

  /** Refresh tokens presented after they had been rotated away (should stay empty). */
  List<String> reusedRefreshTokens() {
    return List.copyOf(reused);
  }

  /** Every access token issued, in order. */
  List<String> issuedAccessTokens() {
    return List.copyOf(issuedAccessTokens);
  }

  String currentRefreshToken() {
    return currentRefreshToken.get();
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }

  private final class Servlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      requests.incrementAndGet();
      String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String presented;
      try {
        HTTPRequest nimbus = new HTTPRequest(HTTPRequest.Method.POST,
            URI.create(request.getRequestURL().toString()));
        nimbus.setContentType(request.getContentType());
        if (request.getHeader("Authorization") != null) {
          nimbus.setAuthorization(request.getHeader("Authorization"));
        }
        nimbus.setBody(body);
        TokenRequest parsed = TokenRequest.parse(nimbus);
        AuthorizationGrant grant = parsed.getAuthorizationGrant();
        if (!(parsed.getClientAuthentication() instanceof ClientSecretBasic basic)
            || !basic.getClientID().getValue().equals(CLIENT_ID)
            || !basic.getClientSecret().getValue().equals(CLIENT_SECRET)) {
          json(response, 401, "{\"error\":\"invalid_client\"}");
          return;
        }
        if (!(grant instanceof RefreshTokenGrant refresh)) {
          json(response, 400, "{\"error\":\"unsupported_grant_type\"}");
          return;
        }
        presented = refresh.getRefreshToken().getValue();
      } catch (com.nimbusds.oauth2.sdk.ParseException e) {
        json(response, 400, "{\"error\":\"invalid_request\"}");
        return;
      }
      try {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        switch (mode) {
          case SERVER_ERROR -> json(response, 500, "{\"error\":\"server_error\"}");
          case RATE_LIMITED -> {
            response.setHeader("Retry-After", "120");
            json(response, 429, "{\"error\":\"slow_down\"}");
          }
          case INVALID_GRANT -> json(response, 400,
              "{\"error\":\"invalid_grant\",\"error_description\":\"revoked " + presented + "\"}");
          case HANG -> Thread.sleep(60_000);
          case MALFORMED -> json(response, 200, "{\"access_token\": ");
          case NO_ACCESS_TOKEN -> json(response, 200, "{\"token_type\":\"Bearer\"}");
          default -> rotate(response, presented);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void rotate(HttpServletResponse response, String presented) throws IOException {
      synchronized (currentRefreshToken) {
        if (!presented.equals(currentRefreshToken.get())) {
          reused.add(presented);
          json(response, 400, "{\"error\":\"invalid_grant\"}");
          return;
        }
        int n = issued.incrementAndGet();
        String access = "at-rotating-" + n + "-7f3a";
        String next = "rt-rotating-" + n + "-9c2d";
        currentRefreshToken.set(next);
        issuedAccessTokens.add(access);
        json(response, 200, "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\","
            + "\"expires_in\":" + expiresIn + ",\"refresh_token\":\"" + next + "\"}");
      }
    }

    private void json(HttpServletResponse response, int status, String body) throws IOException {
      response.setStatus(status);
      response.setContentType("application/json");
      response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
  }
}
