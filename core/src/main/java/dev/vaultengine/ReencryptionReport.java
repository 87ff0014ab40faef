package dev.vaultengine;

import java.util.List;

/**
 * What one re-encryption run did.
 *
 * @param reencrypted tokens moved to the primary key
 * @param failedCredentialIds credentials whose token did not decrypt (left as they were)
 * @param remaining tokens still on older keys when the run ended
 */
public record ReencryptionReport(long reencrypted, List<String> failedCredentialIds, long remaining) {}
