-- MariaDB tables (prefix v1dump_) written by the release before credential kinds (commit 5a9e1b2)
-- through MakeV1Fixtures.java, dumped with: mariadb-dump --compact --hex-blob
-- --skip-extended-insert --skip-add-locks --skip-disable-keys --skip-set-charset --no-tablespaces
-- (MariaDB 10.11.19). Its /*! ... */ session-setting lines removed.
-- Statements end with ';' at the end of a line. UpgradeTest loads it under a fresh prefix.
CREATE TABLE `v1dump_vaults` (
  `id` char(38) NOT NULL,
  `account_id` varchar(255) NOT NULL,
  `display_name` varchar(1024) NOT NULL,
  `name_folded` varchar(3072) NOT NULL,
  `metadata` mediumtext NOT NULL,
  `status` varchar(16) NOT NULL,
  `archived_at` bigint(20) DEFAULT NULL,
  `created_at` bigint(20) NOT NULL,
  `updated_at` bigint(20) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `v1dump_vaults_account` (`account_id`,`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO `v1dump_vaults` VALUES ('vault_019de368f601740891bea307036af2b1','acct_upgrade','Upgrade vault A','upgrade vault a','{\"team\":\"platform\"}','active',NULL,1777636800000000,1777636800000000);
INSERT INTO `v1dump_vaults` VALUES ('vault_019de368f60c78ab890ceb9ba4b56722','acct_upgrade','Upgrade vault B','upgrade vault b','{}','active',NULL,1777636800011000,1777636800011000);
INSERT INTO `v1dump_vaults` VALUES ('vault_019de368f60f76208233422566a51688','acct_upgrade','Upgrade vault C (archived)','upgrade vault c (archived)','{}','archived',1777636800017000,1777636800014000,1777636800017000);
INSERT INTO `v1dump_vaults` VALUES ('vault_019de368f6137df2956a7195daea004b','acct_other','Other account\'s vault','other account\'s vault','{}','active',NULL,1777636800018000,1777636800018000);
CREATE TABLE `v1dump_credentials` (
  `id` char(38) NOT NULL,
  `account_id` varchar(255) NOT NULL,
  `vault_id` char(38) NOT NULL,
  `mcp_server_url` varchar(2048) NOT NULL,
  `url_key` varchar(2049) NOT NULL,
  `url_folded` varchar(6144) NOT NULL,
  `active_url_hash` char(64) DEFAULT NULL,
  `protocol` varchar(32) NOT NULL,
  `type` varchar(32) NOT NULL,
  `status` varchar(16) NOT NULL,
  `archived_at` bigint(20) DEFAULT NULL,
  `created_at` bigint(20) NOT NULL,
  `updated_at` bigint(20) NOT NULL,
  `token_key_id` int(11) DEFAULT NULL,
  `token` blob DEFAULT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `v1dump_credentials_active_url` (`vault_id`,`active_url_hash`),
  KEY `v1dump_credentials_vault` (`vault_id`,`id`),
  KEY `v1dump_credentials_token_key` (`token_key_id`,`id`),
  CONSTRAINT `v1dump_credentials_vault` FOREIGN KEY (`vault_id`) REFERENCES `v1dump_vaults` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f6027a178b610b8177f487ce','acct_upgrade','vault_019de368f601740891bea307036af2b1','https://mcp.example.com/sse','https://mcp.example.com/sse','https://mcp.example.com/sse','3c1289eebca06b4b66157e051580d09db2b93f5268ed8873397fd63cb087b55b','sse','static_bearer','active',NULL,1777636800000000,1777636800000000,-493706305,0x01E292A3BFD427BE0F2B164AA89475DA2C1971D5407A83DCFB2205F238DC091CA4F8C5EB09C92344C9BB6A39FBF7A5F9EB53859318D87785B6C6F2FFD9853729D2CCB73E559E3D5112079D27);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f60373e09a974a5e4cbd7aab','acct_upgrade','vault_019de368f601740891bea307036af2b1','https://tools.example.org/mcp','https://tools.example.org/mcp','https://tools.example.org/mcp',NULL,'streamable_http','static_bearer','archived',1777636800004000,1777636800000000,1777636800004000,NULL,NULL);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f605725c8889cdbf04c8c59a','acct_upgrade','vault_019de368f601740891bea307036af2b1','https://rotate.example.net/mcp','https://rotate.example.net/mcp','https://rotate.example.net/mcp',NULL,'streamable_http','static_bearer','archived',1777636800007000,1777636800006000,1777636800007000,NULL,NULL);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f6087946912530699d01cf75','acct_upgrade','vault_019de368f601740891bea307036af2b1','https://rotate.example.net/mcp','https://rotate.example.net/mcp','https://rotate.example.net/mcp','cfcb4251bca81307fee0c04dc047d82fd9ba72690966b9413bf0c7d4c7b33fd2','streamable_http','static_bearer','active',NULL,1777636800007000,1777636800007000,-493706305,0x01E292A3BFB847AAB0639E07066D3550F860B480B4762B28A6B4A2090873FE599F97CB9A4F43DFF51DEE3C7F5CEC78DDB54256C9539E031F5DCE15C496F99BA065FB21B9CFD9D6600AF3F0159D4C35047E);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f609705396afd103aa40ea19','acct_upgrade','vault_019de368f601740891bea307036af2b1','HTTPS://Upper.Example.COM:443/Path/','https://upper.example.com/Path/','https://upper.example.com:443/path/','c2d511099c5ca642c9ed4f9a317bf4a789c3ca170cd74bd80c7445549452459f','sse','static_bearer','active',NULL,1777636800010000,1777636800010000,-493706305,0x01E292A3BF1F079B99E51A7251C2C6B99005B27D288E9EE91655CEC58B7AEF7D00BAF72D75FAF79309BD4215CF6439E902594C1C2015B6FC2C71DE47018C9F69B68DFAACB5D715B624E007);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f60d77be931452f708cf66b0','acct_upgrade','vault_019de368f60c78ab890ceb9ba4b56722','https://mcp.example.com/sse','https://mcp.example.com/sse','https://mcp.example.com/sse','3c1289eebca06b4b66157e051580d09db2b93f5268ed8873397fd63cb087b55b','sse','static_bearer','active',NULL,1777636800011000,1777636800011000,-493706305,0x01E292A3BFC0F29FDABDF2B2060104DAF1EBCAB1368C6031A7BB6E1CE0A675D5CFECC126FBE6F9287968483A41D684E65EB8FF1756D452646E30B9DC8A50FADEDACD7B862F7413BC4D4DA398);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f61071ca904188d2f26f6da7','acct_upgrade','vault_019de368f60f76208233422566a51688','https://archived-vault.example.com/mcp','https://archived-vault.example.com/mcp','https://archived-vault.example.com/mcp',NULL,'streamable_http','static_bearer','archived',1777636800017000,1777636800014000,1777636800017000,NULL,NULL);
INSERT INTO `v1dump_credentials` VALUES ('vcred_019de368f614791294e31cd30ad06ab4','acct_other','vault_019de368f6137df2956a7195daea004b','https://mcp.example.com/sse','https://mcp.example.com/sse','https://mcp.example.com/sse','3c1289eebca06b4b66157e051580d09db2b93f5268ed8873397fd63cb087b55b','sse','static_bearer','active',NULL,1777636800018000,1777636800018000,-493706305,0x01E292A3BFCFA602C27F4F736B2F149720DC9F650CD5D791A52F7D0F9AD5952DF44DD9E36449F6AECB0FC9D7CBB9F20DF601E87B9B61F3AB0174CC56A34409D7BFDF8CE51AB5203C243A0374EFA9131CFEC7CB);
CREATE TABLE `v1dump_keyset` (
  `id` int(11) NOT NULL,
  `wrapped` blob NOT NULL,
  `digest` char(64) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO `v1dump_keyset` VALUES (1,0x128D0101D78C9948E4AA65C90601762982BE0B57D3DA7B6F4DF74CBB18C83B1DAC03704D534EDD6C6E7C436DD91D9550B2002014881B35292EEEDEDC48FA628CDB09161D0AA8EC2C1C0B64587EB0A2487F703DDDCB9B0B56BA6E3CCC77708EC96D8BDB57F073EF1757FAF3E01E259A210DF89AFB02128AE514095E1321C3AF100A6E16492301CDD212B1CC0F198B0B30,'c795c643e3329d87c0158ea10e789f7391a80e848cd8b82c36cc28f6b9199916');
CREATE TABLE `v1dump_schema_history` (
  `version` int(11) NOT NULL,
  `description` varchar(200) NOT NULL,
  `checksum` char(64) NOT NULL,
  `applied_at` bigint(20) NOT NULL,
  PRIMARY KEY (`version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO `v1dump_schema_history` VALUES (1,'create tables','680a4f282f757b1fc00a14644b3d51515a0c5248cff9114ab4e2c126141a6183',1795399672892000);
