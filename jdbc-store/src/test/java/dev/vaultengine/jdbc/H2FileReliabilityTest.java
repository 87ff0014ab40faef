package dev.vaultengine.jdbc;

/** Reliability on an H2 file, reopened for real. */
class H2FileReliabilityTest extends JdbcReliabilityTests.H2File {}
