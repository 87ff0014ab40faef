package dev.vaultengine.testkit;

import dev.vaultengine.ResolvedCredential;
import dev.vaultengine.Secret;
import dev.vaultengine.VaultSession;
import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * Assertions for hosts that test credential injection. Failure messages describe what differed
 * (which credential, which lengths) and never print a token.
 */
public final class VaultAssertions {
  private VaultAssertions() {}

  /** Asserts that {@code session} injects {@code expectedToken} when connecting to {@code url}. */
  public static ResolvedCredential assertInjects(VaultSession session, String url,
      String expectedToken) {
    Optional<ResolvedCredential> r = session.resolve(url);
    if (r.isEmpty()) {
      throw new AssertionError("expected a credential for " + url + " but the session injects "
          + "nothing; " + session.explain(url).describe());
    }
    if (!r.get().accessToken().sameAs(Secret.of(expectedToken))) {
      throw new AssertionError("the session injects credential " + r.get().credentialId()
          + " of vault " + r.get().vaultId() + " for " + url + ", whose token differs from the "
          + "expected one (lengths " + r.get().accessToken().length() + " and "
          + expectedToken.length() + ")");
    }
    return r.get();
  }

  /** Asserts that {@code session} injects nothing for {@code url} (unauthenticated). */
  public static void assertInjectsNothing(VaultSession session, String url) {
    Optional<ResolvedCredential> r = session.resolve(url);
    if (r.isPresent()) {
      throw new AssertionError("expected no credential for " + url + " but the session injects "
          + "credential " + r.get().credentialId() + " of vault " + r.get().vaultId());
    }
  }

  /** Asserts that {@code request} carries {@code Authorization: Bearer <expectedToken>}. */
  public static void assertBearer(HttpRequest request, String expectedToken) {
    Optional<String> header = request.headers().firstValue("Authorization");
    if (header.isEmpty()) {
      throw new AssertionError("the request to " + request.uri() + " has no Authorization header");
    }
    if (!Secret.of(header.get()).sameAs(Secret.of("Bearer " + expectedToken))) {
      throw new AssertionError("the request to " + request.uri() + " carries another "
          + "Authorization value (lengths " + header.get().length() + " and "
          + ("Bearer " + expectedToken).length() + ")");
    }
  }
}
