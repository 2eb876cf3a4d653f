/**
 * The ElizaOS plugin-sql schema (1.0.0-beta.41, migration `0000_low_anita_blake`), written here
 * so a database this agent creates is the one the old agent's migration would have created:
 * same tables, columns, defaults, CHECKs, foreign keys (names included) and indexes, with the
 * migration recorded in `__drizzle_migrations` as drizzle does, so the old agent starts on it
 * (its migration is skipped rather than failing on "relation already exists").
 */

/** The migration ElizaOS records once it has run: drizzle's journal `when` and file hash. */
export const ELIZA_MIGRATION = {
  tag: "0000_low_anita_blake",
  createdAt: 1745909982134,
  hash: "8e8e317a19f5543a59dea0a8be7742e0718498b32d49c5eb6266b8e0a9e8f478",
} as const;

const uuidPk = `"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL`;
const created = `"createdAt" timestamptz DEFAULT now() NOT NULL`;
const dims = [384, 512, 768, 1024, 1536, 3072].map((d) => `"dim_${d}" vector(${d})`).join(", ");

/** The tables, in the migration's order, without their foreign keys. */
export const ELIZA_TABLES: ReadonlyArray<readonly [string, string]> = [
  [
    "agents",
    `${uuidPk}, "enabled" boolean DEFAULT true NOT NULL, ${created},
     "updatedAt" timestamptz DEFAULT now() NOT NULL, "name" text, "username" text, "system" text,
     "bio" jsonb NOT NULL, "message_examples" jsonb DEFAULT '[]'::jsonb,
     "post_examples" jsonb DEFAULT '[]'::jsonb, "topics" jsonb DEFAULT '[]'::jsonb,
     "adjectives" jsonb DEFAULT '[]'::jsonb, "knowledge" jsonb DEFAULT '[]'::jsonb,
     "plugins" jsonb DEFAULT '[]'::jsonb, "settings" jsonb DEFAULT '{}'::jsonb,
     "style" jsonb DEFAULT '{}'::jsonb, CONSTRAINT "name_unique" UNIQUE("name")`,
  ],
  [
    "cache",
    `${uuidPk}, "key" text NOT NULL, "agentId" uuid NOT NULL, "value" jsonb NOT NULL, ${created},
     "expiresAt" timestamptz, CONSTRAINT "cache_key_agent_unique" UNIQUE("key","agentId")`,
  ],
  [
    "components",
    `${uuidPk}, "entityId" uuid NOT NULL, "agentId" uuid NOT NULL, "roomId" uuid NOT NULL,
     "worldId" uuid, "sourceEntityId" uuid, "type" text NOT NULL,
     "data" jsonb DEFAULT '{}'::jsonb, ${created}`,
  ],
  [
    "embeddings",
    `${uuidPk}, "memory_id" uuid, "created_at" timestamptz DEFAULT now() NOT NULL, ${dims},
     CONSTRAINT "embedding_source_check" CHECK ("memory_id" IS NOT NULL)`,
  ],
  [
    "entities",
    `"id" uuid PRIMARY KEY NOT NULL, "agentId" uuid NOT NULL, ${created},
     "names" text[] DEFAULT '{}'::text[], "metadata" jsonb DEFAULT '{}'::jsonb,
     CONSTRAINT "id_agent_id_unique" UNIQUE("id","agentId")`,
  ],
  [
    "logs",
    `"id" uuid DEFAULT gen_random_uuid() NOT NULL, ${created}, "entityId" uuid NOT NULL,
     "body" jsonb NOT NULL, "type" text NOT NULL, "roomId" uuid NOT NULL`,
  ],
  [
    "memories",
    `"id" uuid PRIMARY KEY NOT NULL, "type" text NOT NULL, ${created}, "content" jsonb NOT NULL,
     "entityId" uuid, "agentId" uuid, "roomId" uuid, "worldId" uuid,
     "unique" boolean DEFAULT true NOT NULL, "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
     CONSTRAINT "fragment_metadata_check" CHECK (CASE WHEN metadata->>'type' = 'fragment'
       THEN metadata ? 'documentId' AND metadata ? 'position' ELSE true END),
     CONSTRAINT "document_metadata_check" CHECK (CASE WHEN metadata->>'type' = 'document'
       THEN metadata ? 'timestamp' ELSE true END)`,
  ],
  [
    "participants",
    `${uuidPk}, ${created}, "entityId" uuid, "roomId" uuid, "agentId" uuid, "roomState" text`,
  ],
  [
    "relationships",
    `${uuidPk}, ${created}, "sourceEntityId" uuid NOT NULL, "targetEntityId" uuid NOT NULL,
     "agentId" uuid NOT NULL, "tags" text[], "metadata" jsonb,
     CONSTRAINT "unique_relationship" UNIQUE("sourceEntityId","targetEntityId","agentId")`,
  ],
  [
    "rooms",
    `${uuidPk}, "agentId" uuid, "source" text NOT NULL, "type" text NOT NULL, "serverId" text,
     "worldId" uuid, "name" text, "metadata" jsonb, "channelId" text, ${created}`,
  ],
  [
    "tasks",
    `${uuidPk}, "name" text NOT NULL, "description" text NOT NULL, "room_id" uuid,
     "world_id" uuid, "agent_id" uuid NOT NULL, "tags" text[], "metadata" jsonb,
     "created_at" timestamp DEFAULT now(), "updated_at" timestamp DEFAULT now()`,
  ],
  [
    "worlds",
    `${uuidPk}, "agentId" uuid NOT NULL, "name" text NOT NULL, "metadata" jsonb,
     "serverId" text NOT NULL, ${created}`,
  ],
];

/** `[table, constraint, column, referenced table, on delete]`, the migration's foreign keys. */
export const ELIZA_FOREIGN_KEYS: ReadonlyArray<readonly [string, string, string, string, string]> =
  [
    ["cache", "cache_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["components", "components_entityId_entities_id_fk", "entityId", "entities", "cascade"],
    ["components", "components_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["components", "components_roomId_rooms_id_fk", "roomId", "rooms", "cascade"],
    ["components", "components_worldId_worlds_id_fk", "worldId", "worlds", "cascade"],
    [
      "components",
      "components_sourceEntityId_entities_id_fk",
      "sourceEntityId",
      "entities",
      "cascade",
    ],
    ["embeddings", "embeddings_memory_id_memories_id_fk", "memory_id", "memories", "no action"],
    ["embeddings", "fk_embedding_memory", "memory_id", "memories", "cascade"],
    ["entities", "entities_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["logs", "logs_entityId_entities_id_fk", "entityId", "entities", "no action"],
    ["logs", "logs_roomId_rooms_id_fk", "roomId", "rooms", "no action"],
    ["logs", "fk_room", "roomId", "rooms", "cascade"],
    ["logs", "fk_user", "entityId", "entities", "cascade"],
    ["memories", "memories_entityId_entities_id_fk", "entityId", "entities", "cascade"],
    ["memories", "memories_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["memories", "memories_roomId_rooms_id_fk", "roomId", "rooms", "cascade"],
    ["memories", "memories_worldId_worlds_id_fk", "worldId", "worlds", "set null"],
    ["memories", "fk_room", "roomId", "rooms", "cascade"],
    ["memories", "fk_user", "entityId", "entities", "cascade"],
    ["memories", "fk_agent", "agentId", "agents", "cascade"],
    ["memories", "fk_world", "worldId", "worlds", "set null"],
    ["participants", "participants_entityId_entities_id_fk", "entityId", "entities", "cascade"],
    ["participants", "participants_roomId_rooms_id_fk", "roomId", "rooms", "cascade"],
    ["participants", "participants_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["participants", "fk_room", "roomId", "rooms", "cascade"],
    ["participants", "fk_user", "entityId", "entities", "cascade"],
    [
      "relationships",
      "relationships_sourceEntityId_entities_id_fk",
      "sourceEntityId",
      "entities",
      "cascade",
    ],
    [
      "relationships",
      "relationships_targetEntityId_entities_id_fk",
      "targetEntityId",
      "entities",
      "cascade",
    ],
    ["relationships", "relationships_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["relationships", "fk_user_a", "sourceEntityId", "entities", "cascade"],
    ["relationships", "fk_user_b", "targetEntityId", "entities", "cascade"],
    ["rooms", "rooms_agentId_agents_id_fk", "agentId", "agents", "cascade"],
    ["rooms", "rooms_worldId_worlds_id_fk", "worldId", "worlds", "cascade"],
    ["worlds", "worlds_agentId_agents_id_fk", "agentId", "agents", "cascade"],
  ];

/** The migration's indexes. */
export const ELIZA_INDEXES: ReadonlyArray<readonly [string, string, string]> = [
  ["idx_embedding_memory", "embeddings", `("memory_id")`],
  ["idx_memories_type_room", "memories", `("type","roomId")`],
  ["idx_memories_world_id", "memories", `("worldId")`],
  ["idx_memories_metadata_type", "memories", `((metadata->>'type'))`],
  ["idx_memories_document_id", "memories", `((metadata->>'documentId'))`],
  ["idx_fragments_order", "memories", `((metadata->>'documentId'),(metadata->>'position'))`],
  ["idx_participants_user", "participants", `("entityId")`],
  ["idx_participants_room", "participants", `("roomId")`],
  ["idx_relationships_users", "relationships", `("sourceEntityId","targetEntityId")`],
];

/**
 * The whole migration as statements, each run as drizzle runs them (plain CREATE, no IF NOT
 * EXISTS): it fails on a database where any of these tables exists, as the real one does.
 * Extensions are created separately ({@link ELIZA_EXTENSIONS}).
 */
export function elizaMigrationStatements(): string[] {
  return [
    ...ELIZA_TABLES.map(([name, body]) => `CREATE TABLE "${name}" (${body})`),
    ...ELIZA_FOREIGN_KEYS.map(([t, name, col, ref, onDelete]) =>
      `ALTER TABLE "${t}" ADD CONSTRAINT "${name}" FOREIGN KEY ("${col}") REFERENCES "${ref}"("id") ` +
      `ON DELETE ${onDelete} ON UPDATE no action`
    ),
    ...ELIZA_INDEXES.map(([name, t, cols]) =>
      `CREATE INDEX "${name}" ON "${t}" USING btree ${cols}`
    ),
  ];
}

/** The extensions the migration creates; `fuzzystrmatch` is absent from some engines (PGlite). */
export const ELIZA_EXTENSIONS = ["vector", "fuzzystrmatch"] as const;

/** The statements that record the migration as applied, as drizzle's migrator does. */
export function recordElizaMigration(): string[] {
  const { hash, createdAt } = ELIZA_MIGRATION;
  return [
    `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL,
       created_at bigint)`,
    `INSERT INTO "__drizzle_migrations" (hash, created_at) SELECT '${hash}', ${createdAt}
     WHERE NOT EXISTS (SELECT 1 FROM "__drizzle_migrations" WHERE created_at >= ${createdAt})`,
  ];
}
