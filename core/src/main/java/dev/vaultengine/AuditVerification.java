package dev.vaultengine;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of checking the audit chain.
 *
 * @param intact true when every entry is in place and unaltered and the stored head matches the
 *     last entry
 * @param entries how many entries were read
 * @param firstBroken the sequence of the first entry found missing, altered, inserted or out of
 *     place (for a cut-off tail: the first entry the head says should exist)
 * @param problem what was found there, in words
 * @param headSequence the chain head's sequence as stored: record it (with {@code headMac})
 *     outside the database to detect a later rollback of the whole trail
 * @param headMac the chain head's MAC, lowercase hex
 */
public record AuditVerification(boolean intact, long entries, OptionalLong firstBroken,
    Optional<String> problem, long headSequence, String headMac) {}
