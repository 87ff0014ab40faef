package dev.vaultengine.internal;

import dev.vaultengine.AuditMode;
import java.time.Duration;

/**
 * The engine's event and audit options, as the builder checked them.
 *
 * @param events whether changes emit events
 * @param auditMode how the audit trail is kept
 * @param pollInterval how often delivery looks for other processes' events
 * @param retention how long acknowledged events are kept
 */
public record LogSettings(boolean events, AuditMode auditMode, Duration pollInterval,
    Duration retention) {}
