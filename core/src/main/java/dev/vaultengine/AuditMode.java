package dev.vaultengine;

/** How the engine keeps its audit trail; see {@link VaultEngine.Builder#auditMode}. */
public enum AuditMode {
  /** No audit trail is written. */
  OFF,
  /**
   * Every operation is recorded in the same transaction as its change; when its entry cannot be
   * written the change still commits without it, the engine logs a warning and counts it
   * ({@link AuditTrail#failures()}). The default.
   */
  BEST_EFFORT,
  /**
   * An operation whose audit entry cannot be written fails with an {@code api_error} and changes
   * nothing; a resolve whose first disclosure cannot be recorded returns no secret.
   */
  FAIL_CLOSED
}
