package dev.vaultengine;

/**
 * Where in an outgoing request an {@code environment_variable} placeholder is replaced by its
 * value. At least one must be true.
 *
 * @param header in header values
 * @param body in the request body
 */
public record InjectionLocation(boolean header, boolean body) {}
