-- PostgreSQL tables (prefix v1dump_) written by the release before credential kinds (commit 5a9e1b2)
-- through MakeV1Fixtures.java, dumped with: pg_dump -t 'v1dump_*' --no-owner --no-privileges --inserts
-- (pg_dump 15.20, server 15.20). psql meta-commands, session SETs and pg_dump's comments removed.
-- Statements end with ';' at the end of a line. UpgradeTest loads it under a fresh prefix.
CREATE TABLE public.v1dump_credentials (
    id character(38) NOT NULL,
    account_id character varying(255) NOT NULL,
    vault_id character(38) NOT NULL,
    mcp_server_url character varying(2048) NOT NULL,
    url_key character varying(2049) NOT NULL,
    url_folded character varying(6144) NOT NULL,
    active_url_hash character(64),
    protocol character varying(32) NOT NULL,
    type character varying(32) NOT NULL,
    status character varying(16) NOT NULL,
    archived_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    token_key_id integer,
    token bytea
);

CREATE TABLE public.v1dump_keyset (
    id integer NOT NULL,
    wrapped bytea NOT NULL,
    digest character(64) NOT NULL
);

CREATE TABLE public.v1dump_schema_history (
    version integer NOT NULL,
    description character varying(200) NOT NULL,
    checksum character(64) NOT NULL,
    applied_at bigint NOT NULL
);

CREATE TABLE public.v1dump_vaults (
    id character(38) NOT NULL,
    account_id character varying(255) NOT NULL,
    display_name character varying(1024) NOT NULL,
    name_folded character varying(3072) NOT NULL,
    metadata text NOT NULL,
    status character varying(16) NOT NULL,
    archived_at bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);

INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f6027a178b610b8177f487ce', 'acct_upgrade', 'vault_019de368f601740891bea307036af2b1', 'https://mcp.example.com/sse', 'https://mcp.example.com/sse', 'https://mcp.example.com/sse', '3c1289eebca06b4b66157e051580d09db2b93f5268ed8873397fd63cb087b55b', 'sse', 'static_bearer', 'active', NULL, 1777636800000000, 1777636800000000, -1868865486, '\x01909b6032750ec24631eb23e89041d96b90fb16bd08e60a0f47cdbc86128c0019444204e741b90ef7b8e82f81a49d435cfe9366c4d14d38e8731a5fbb50c3e9f47fab1bacf850b735ca5f61');
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f60373e09a974a5e4cbd7aab', 'acct_upgrade', 'vault_019de368f601740891bea307036af2b1', 'https://tools.example.org/mcp', 'https://tools.example.org/mcp', 'https://tools.example.org/mcp', NULL, 'streamable_http', 'static_bearer', 'archived', 1777636800004000, 1777636800000000, 1777636800004000, NULL, NULL);
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f605725c8889cdbf04c8c59a', 'acct_upgrade', 'vault_019de368f601740891bea307036af2b1', 'https://rotate.example.net/mcp', 'https://rotate.example.net/mcp', 'https://rotate.example.net/mcp', NULL, 'streamable_http', 'static_bearer', 'archived', 1777636800007000, 1777636800006000, 1777636800007000, NULL, NULL);
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f6087946912530699d01cf75', 'acct_upgrade', 'vault_019de368f601740891bea307036af2b1', 'https://rotate.example.net/mcp', 'https://rotate.example.net/mcp', 'https://rotate.example.net/mcp', 'cfcb4251bca81307fee0c04dc047d82fd9ba72690966b9413bf0c7d4c7b33fd2', 'streamable_http', 'static_bearer', 'active', NULL, 1777636800007000, 1777636800007000, -1868865486, '\x01909b6032432dd4239cf2c9e38844958cb8ccd53e5e1703d1db74d9fd969345138c228faccb442f63ea76655f09f80514a115512e59f21ec2393c7e87454dd107b771f681009dd6f982a00e2f1a00e9da');
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f609705396afd103aa40ea19', 'acct_upgrade', 'vault_019de368f601740891bea307036af2b1', 'HTTPS://Upper.Example.COM:443/Path/', 'https://upper.example.com/Path/', 'https://upper.example.com:443/path/', 'c2d511099c5ca642c9ed4f9a317bf4a789c3ca170cd74bd80c7445549452459f', 'sse', 'static_bearer', 'active', NULL, 1777636800010000, 1777636800010000, -1868865486, '\x01909b6032731d88ee40c8616396b39d1f9a7cc7327acd09b201fd2cc856d78547208a9c13d50066f9a01cb25a0bcb4f1f3049ead622a6e24d447d6e2a7351a93d502beb90c49be5b143d0');
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f60d77be931452f708cf66b0', 'acct_upgrade', 'vault_019de368f60c78ab890ceb9ba4b56722', 'https://mcp.example.com/sse', 'https://mcp.example.com/sse', 'https://mcp.example.com/sse', '3c1289eebca06b4b66157e051580d09db2b93f5268ed8873397fd63cb087b55b', 'sse', 'static_bearer', 'active', NULL, 1777636800011000, 1777636800011000, -1868865486, '\x01909b60329cf7ebccb0da7bcfb09475b0678a9273dc1de15329c6e757a020b1fa5fb12df38c988e488fc66412ffc8b812c9704e37d3e7853273e9d2ee11ee32aacbf97a4fe8141500560f13');
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f61071ca904188d2f26f6da7', 'acct_upgrade', 'vault_019de368f60f76208233422566a51688', 'https://archived-vault.example.com/mcp', 'https://archived-vault.example.com/mcp', 'https://archived-vault.example.com/mcp', NULL, 'streamable_http', 'static_bearer', 'archived', 1777636800017000, 1777636800014000, 1777636800017000, NULL, NULL);
INSERT INTO public.v1dump_credentials VALUES ('vcred_019de368f614791294e31cd30ad06ab4', 'acct_other', 'vault_019de368f6137df2956a7195daea004b', 'https://mcp.example.com/sse', 'https://mcp.example.com/sse', 'https://mcp.example.com/sse', '3c1289eebca06b4b66157e051580d09db2b93f5268ed8873397fd63cb087b55b', 'sse', 'static_bearer', 'active', NULL, 1777636800018000, 1777636800018000, -1868865486, '\x01909b60329855c9e70a45445b8a94c6b5fade387253e07703097fa6afd33ed832607132624694d1fb37241cce1b10db225e9174154b7e310dc3406f49b2bad501c9c652aa8062dea809649ba314a201e22364');

INSERT INTO public.v1dump_keyset VALUES (1, '\x128d0101d78c9948e2a7829ec75308e8c7fa3eee71600742a2a5da6b1a0074e7dcfb361678f775571d153bc246119a23590d396af74da705abdac63ee4b1bb84d5b1068914f97fdcd447b0b53f5991d14d4d0db78e973eb148925bd713b6adf148da71ecef41dd88bb4bb945e55e5f1fabc64914528865fa3ecbe463422e8617ff590d18fd871124bcadfdfc5cf61562', 'b844876e2fedafb31beeb4e2c68d4339847d3e6faaa61ba14d38472ef97d8c3e');

INSERT INTO public.v1dump_schema_history VALUES (1, 'create tables', '680a4f282f757b1fc00a14644b3d51515a0c5248cff9114ab4e2c126141a6183', 1795399667752000);

INSERT INTO public.v1dump_vaults VALUES ('vault_019de368f601740891bea307036af2b1', 'acct_upgrade', 'Upgrade vault A', 'upgrade vault a', '{"team":"platform"}', 'active', NULL, 1777636800000000, 1777636800000000);
INSERT INTO public.v1dump_vaults VALUES ('vault_019de368f60c78ab890ceb9ba4b56722', 'acct_upgrade', 'Upgrade vault B', 'upgrade vault b', '{}', 'active', NULL, 1777636800011000, 1777636800011000);
INSERT INTO public.v1dump_vaults VALUES ('vault_019de368f60f76208233422566a51688', 'acct_upgrade', 'Upgrade vault C (archived)', 'upgrade vault c (archived)', '{}', 'archived', 1777636800017000, 1777636800014000, 1777636800017000);
INSERT INTO public.v1dump_vaults VALUES ('vault_019de368f6137df2956a7195daea004b', 'acct_other', 'Other account''s vault', 'other account''s vault', '{}', 'active', NULL, 1777636800018000, 1777636800018000);

ALTER TABLE ONLY public.v1dump_credentials
    ADD CONSTRAINT v1dump_credentials_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.v1dump_keyset
    ADD CONSTRAINT v1dump_keyset_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.v1dump_schema_history
    ADD CONSTRAINT v1dump_schema_history_pkey PRIMARY KEY (version);

ALTER TABLE ONLY public.v1dump_vaults
    ADD CONSTRAINT v1dump_vaults_pkey PRIMARY KEY (id);

CREATE UNIQUE INDEX v1dump_credentials_active_url ON public.v1dump_credentials USING btree (vault_id, active_url_hash);

CREATE INDEX v1dump_credentials_token_key ON public.v1dump_credentials USING btree (token_key_id, id);

CREATE INDEX v1dump_credentials_vault ON public.v1dump_credentials USING btree (vault_id, id);

CREATE INDEX v1dump_vaults_account ON public.v1dump_vaults USING btree (account_id, id);

ALTER TABLE ONLY public.v1dump_credentials
    ADD CONSTRAINT v1dump_credentials_vault FOREIGN KEY (vault_id) REFERENCES public.v1dump_vaults(id) ON DELETE CASCADE;

