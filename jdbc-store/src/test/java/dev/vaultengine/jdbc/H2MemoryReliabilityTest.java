package dev.vaultengine.jdbc;

/** Reliability on H2 in memory. */
class H2MemoryReliabilityTest extends JdbcReliabilityTests.H2Memory {}
