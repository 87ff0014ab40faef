package dev.vaultengine;

import java.util.List;

/**
 * The result of creating a vault: the vault and the credentials created with it, in request order
 * (the REST response's {@code credentials} array).
 *
 * @param vault the new vault
 * @param credentials the credentials created in the same atomic step, unmodifiable
 */
public record CreatedVault(Vault vault, List<Credential> credentials) {}
