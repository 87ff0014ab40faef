-- vault-engine schema, version 3: the refresh lease of an mcp_oauth credential (OAuth refresh).
-- The host that refreshes a credential's token holds the lease until refresh_lease_until
-- (microseconds, like every time); a host that died mid-refresh blocks the others no longer than
-- that. After a failed refresh the holder keeps it until its backoff ends, so no host asks the
-- token endpoint sooner. Taking it is one conditional UPDATE, decided by the database. Nullable
-- columns only, one per statement, as in version 2; a copy (vault copy) does not carry leases.
ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}refresh_lease_owner VARCHAR(64);

ALTER TABLE ${prefix}credentials ADD COLUMN ${add_if_missing}refresh_lease_until BIGINT;
