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
 * @param feedStaleness when not null, sessions on a store that cannot count its changes answer
 *     repeated resolves from memory while the event feed, looked at less than this long ago,
 *     shows no change
 */
public record LogSettings(boolean events, AuditMode auditMode, Duration pollInterval,
    Duration retention, Duration feedStaleness) {}
