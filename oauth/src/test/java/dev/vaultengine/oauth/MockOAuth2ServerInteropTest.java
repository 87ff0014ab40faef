package dev.vaultengine.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.vaultengine.Secret;
import dev.vaultengine.TokenEndpointAuthMethod;
import dev.vaultengine.oauth.LeakGuard.Watched;
import dev.vaultengine.spi.RefreshGrant;
import dev.vaultengine.spi.RefreshOutcome;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interop with a real OAuth server library, navikt's mock-oauth2-server, on loopback: a refresh
 * token obtained through its authorization-code flow (it issues codes without a login page), then
 * refreshed by NimbusTokenRefresher with each client authentication method. The server rotates
 * refresh tokens, signs access tokens with its own key and answers introspection.
 */
class MockOAuth2ServerInteropTest {

  private static final String ISSUER = "vault-issuer";
  private static final String CLIENT_ID = "vault-client";
  private static final String CLIENT_SECRET = "cs-LEAKCANARY-interop";
  private static final URI REDIRECT = URI.create("http://127.0.0.1/callback");

  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private MockOAuth2Server server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    // interactiveLogin off (codes are issued at once), rotateRefreshToken on.
    server = new MockOAuth2Server(new OAuth2Config(false, null, null, true));
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    base = "http://127.0.0.1:" + server.baseUrl().port() + "/" + ISSUER;
  }

  @AfterEach
  void stop() {
    server.shutdown();
  }

  @Test
  void refreshesAGrantTheServerIssuedWithEachClientAuthentication() throws Exception {
    Tokens first = authorizationCodeFlow();
    String refreshToken = first.getRefreshToken().getValue();
    String firstAccess = first.getAccessToken().getValue();
    List<String> secrets = new ArrayList<>(List.of("LEAKCANARY", refreshToken, firstAccess,
        Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
            .getBytes(StandardCharsets.UTF_8))));

    NimbusTokenRefresher refresher = NimbusTokenRefresher.builder().build();
    String current = refreshToken;
    String previousAccess = firstAccess;
    for (TokenEndpointAuthMethod method : List.of(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC,
        TokenEndpointAuthMethod.CLIENT_SECRET_POST, TokenEndpointAuthMethod.NONE)) {
      RefreshOutcome.Refreshed refreshed = refreshed(refresher, method, current, secrets);

      String access = refreshed.accessToken().reveal();
      assertNotEquals(previousAccess, access, method.wireName());
      assertSignedByTheServer(access);
      assertTrue(introspectionSaysActive(access), method.wireName());
      assertTrue(refreshed.expiresIn().orElseThrow().getSeconds() > 0);
      // The server rotates: a new refresh token, and the one just used is gone.
      String rotated = refreshed.refreshToken().orElseThrow().reveal();
      assertNotEquals(current, rotated);
      RefreshOutcome reused = refresh(refresher, method, current, secrets);
      assertEquals(new RefreshOutcome.Rejected(400, "invalid_grant"), reused, method.wireName());

      secrets.add(access);
      secrets.add(rotated);
      previousAccess = access;
      current = rotated;
    }
  }

  /** The authorization-code flow against the server: a code from /authorize, tokens for it. */
  private Tokens authorizationCodeFlow() throws Exception {
    String query = "client_id=" + CLIENT_ID + "&response_type=code&redirect_uri="
        + URLEncoder.encode(REDIRECT.toString(), StandardCharsets.UTF_8)
        + "&scope=openid%20offline_access&state=interop-state";
    HttpResponse<String> authorize = http.send(
        HttpRequest.newBuilder(URI.create(base + "/authorize?" + query)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(302, authorize.statusCode());
    URI location = URI.create(authorize.headers().firstValue("Location").orElseThrow());
    assertEquals(REDIRECT.getPath(), location.getPath());
    Map<String, List<String>> params = URLUtils.parseParameters(location.getRawQuery());
    assertEquals(List.of("interop-state"), params.get("state"));
    String code = params.get("code").get(0);

    TokenRequest exchange = new TokenRequest(URI.create(base + "/token"),
        new ClientSecretPost(new ClientID(CLIENT_ID),
            new com.nimbusds.oauth2.sdk.auth.Secret(CLIENT_SECRET)),
        new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT));
    TokenResponse response = TokenResponse.parse(exchange.toHTTPRequest().send());
    assertTrue(response.indicatesSuccess(), "the code was not exchanged");
    Tokens tokens = response.toSuccessResponse().getTokens();
    assertNotNull(tokens.getRefreshToken(), "no refresh token from the code exchange");
    return tokens;
  }

  private RefreshOutcome.Refreshed refreshed(NimbusTokenRefresher refresher,
      TokenEndpointAuthMethod method, String refreshToken, List<String> secrets) throws Exception {
    return assertInstanceOf(RefreshOutcome.Refreshed.class,
        refresh(refresher, method, refreshToken, secrets), method.wireName());
  }

  private RefreshOutcome refresh(NimbusTokenRefresher refresher, TokenEndpointAuthMethod method,
      String refreshToken, List<String> secrets) throws Exception {
    RefreshGrant grant = new RefreshGrant(URI.create(base + "/token"), CLIENT_ID, method,
        method.needsSecret() ? Secret.of(CLIENT_SECRET) : null, Secret.of(refreshToken),
        Optional.of("openid offline_access"), Optional.empty());
    Watched<RefreshOutcome> watched = LeakGuard.watch(() -> refresher.refresh(grant));
    LeakGuard.assertNoLeak(watched, secrets);
    return watched.result();
  }

  /** The access token is a JWT signed by a key in the server's JWKS, issued by this issuer. */
  private void assertSignedByTheServer(String accessToken) throws Exception {
    SignedJWT jwt = SignedJWT.parse(accessToken);
    String jwks = http.send(HttpRequest.newBuilder(URI.create(base + "/jwks")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
    RSAKey key = (RSAKey) JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
    assertNotNull(key, "the signing key is not in the server's JWKS");
    assertTrue(jwt.verify(new RSASSAVerifier(key)), "the signature does not verify");
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertEquals(base, claims.getIssuer());
    assertTrue(claims.getExpirationTime().after(new Date()));
  }

  private boolean introspectionSaysActive(String accessToken) throws Exception {
    String basic = Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
        .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(base + "/introspect"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(
                "token=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return com.nimbusds.oauth2.sdk.util.JSONObjectUtils.parse(response.body())
        .get("active").equals(Boolean.TRUE);
  }
}
