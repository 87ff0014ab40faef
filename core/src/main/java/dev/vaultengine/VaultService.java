package dev.vaultengine;

import java.util.List;

/**
 * The Vaults API for one account, one method per documented REST operation. Every method validates
 * its input first: bad input throws {@link VaultException.InvalidRequest} and changes nothing. A
 * vault or credential of another account is {@link VaultException.NotFound}, exactly like a missing
 * one. No method returns an access token; only {@link VaultSession#resolve} hands one out.
 *
 * <p>Instances are thread-safe and cheap; get one from {@link VaultEngine#forAccount(String)}.
 */
public interface VaultService {

  /** The account every call is scoped to. */
  String accountId();

  /** {@code POST /v1/vaults}: creates a vault and its initial credentials atomically. */
  CreatedVault createVault(CreateVaultRequest request);

  /** {@code GET /v1/vaults/{vault_id}}: an active or archived vault. */
  Vault getVault(String vaultId);

  /** {@code GET /v1/vaults}: one page, newest first. */
  Page<Vault> listVaults(ListRequest request);

  /**
   * {@code POST /v1/vaults/{vault_id}}: changes the display name and patches the metadata (a key
   * mapped to null is removed). An archived vault cannot be changed ({@code conflict_error}).
   */
  Vault updateVault(String vaultId, UpdateVaultRequest request);

  /**
   * {@code POST /v1/vaults/{vault_id}/archive}: archives the vault and its active credentials,
   * purging their secrets. One-way: archiving again is a {@code conflict_error}.
   */
  Vault archiveVault(String vaultId);

  /** {@code DELETE /v1/vaults/{vault_id}}: deletes the vault and all its credentials. */
  void deleteVault(String vaultId);

  /** {@code POST /v1/vaults/{vault_id}/credentials}: adds a credential to an active vault. */
  Credential createCredential(String vaultId, CreateCredentialRequest request);

  /** {@code GET /v1/vaults/{vault_id}/credentials/{credential_id}}. */
  Credential getCredential(String vaultId, String credentialId);

  /** {@code GET /v1/vaults/{vault_id}/credentials}: one page, newest first. */
  Page<Credential> listCredentials(String vaultId, ListRequest request);

  /**
   * {@code POST /v1/vaults/{vault_id}/credentials/{credential_id}}: a merge patch of an active
   * credential, keeping its id. {@code type} must be the credential's; secrets given replace the
   * stored ones and secrets omitted are kept; the identity ({@code mcp_server_url},
   * {@code secret_name}) and the refresh grant's {@code token_endpoint} and {@code client_id} are
   * refused ({@code invalid_request_error} naming the field). An archived credential is a
   * {@code conflict_error}. A session sees the change at its next resolve.
   */
  Credential updateCredential(String vaultId, String credentialId, UpdateCredentialRequest request);

  /**
   * The hosted APIs' {@code mcp_oauth_validate}: refreshes an active {@code mcp_oauth} credential
   * now (whatever its expiry and any backoff; still one request across threads and hosts) and says
   * whether it can produce a working token. Returns no token.
   *
   * @throws VaultException.InvalidRequest for a credential of another type
   * @throws VaultException.Conflict for an archived credential
   */
  CredentialValidation validateCredential(String vaultId, String credentialId);

  /**
   * {@code POST /v1/vaults/{vault_id}/credentials/{credential_id}/archive}: archives the credential
   * and purges its secret; its URL is free again.
   */
  Credential archiveCredential(String vaultId, String credentialId);

  /** {@code DELETE /v1/vaults/{vault_id}/credentials/{credential_id}}. */
  void deleteCredential(String vaultId, String credentialId);

  /**
   * The documented rotation ("delete the old credential and create a new one") as one atomic step:
   * archives the credential and creates its replacement with a new id, the same fields, and
   * {@code newAccessToken} as its primary secret ({@code access_token}, or {@code secret_value} of
   * an {@code environment_variable}; other secrets are carried over). A session never sees the URL
   * or secret name without a credential.
   *
   * @return the new credential
   */
  Credential rotateCredential(String vaultId, String credentialId, Secret newAccessToken);

  /**
   * Opens a session over vaults, in priority order. Keeps no state in the store: any process can
   * open the same session again.
   *
   * @throws VaultException.InvalidRequest for an empty list or a duplicate id
   * @throws VaultException.NotFound for an unknown vault
   * @throws VaultException.Conflict for an archived vault
   */
  VaultSession openSession(List<String> vaultIds);
}
