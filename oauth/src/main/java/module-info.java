/**
 * vault-engine OAuth: {@code dev.vaultengine.oauth.NimbusTokenRefresher}, the core
 * {@code TokenRefresher} SPI spoken as RFC 6749 section 6 refresh-token requests with the Nimbus
 * OAuth SDK. Its transport lives in {@code dev.vaultengine.oauth.internal}, which no other module
 * can reach.
 */
module dev.vaultengine.oauth {
  requires transitive dev.vaultengine.core;
  requires java.net.http;
  // Nimbus ships no module descriptor or Automatic-Module-Name: its name comes from the jar name
  // (oauth2-oidc-sdk-VERSION.jar), and reading it also reads json-smart, another automatic module.
  requires oauth2.oidc.sdk;

  exports dev.vaultengine.oauth;
}
