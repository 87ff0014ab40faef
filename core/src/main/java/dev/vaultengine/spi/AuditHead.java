package dev.vaultengine.spi;

/**
 * The head of the audit chain as the store keeps it apart from the entries: the last entry's
 * sequence and MAC. Verification compares it with the last entry, so a trail whose tail was cut
 * off is found unless the head was rolled back with it.
 *
 * @param sequence the last entry's sequence (0 for an empty trail)
 * @param mac the last entry's MAC (empty for an empty trail)
 */
public record AuditHead(long sequence, byte[] mac) {}
