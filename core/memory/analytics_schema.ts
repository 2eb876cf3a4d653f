/**
 * The platform's analytics tables (`setup_analytics_tables.sql`, run by its `db_init` service):
 * `tool_usage`, `decision_patterns`, `context_archive`, `memory_lifecycle` and the
 * `tool_effectiveness` / `agent_performance` views, in the shape they have after the script's
 * second run (when `agents` exists it adds foreign keys from each `agent_id` to `agents`).
 * Idempotent: tables and foreign keys are only added where missing.
 */

/** The analytics tables and their indexes (IF NOT EXISTS, as the script creates them). */
export const ANALYTICS_TABLES = `
CREATE TABLE IF NOT EXISTS tool_usage (
  id SERIAL PRIMARY KEY, timestamp TIMESTAMP WITH TIME ZONE DEFAULT NOW(), agent_id UUID NOT NULL,
  tool_name VARCHAR(100) NOT NULL, input_context JSONB NOT NULL DEFAULT '{}',
  output_result JSONB NOT NULL DEFAULT '{}', execution_time_ms INTEGER,
  success BOOLEAN NOT NULL DEFAULT true, impact_score FLOAT DEFAULT 0.5, embedding VECTOR(1536),
  metadata JSONB DEFAULT '{}');
CREATE TABLE IF NOT EXISTS decision_patterns (
  id SERIAL PRIMARY KEY, timestamp TIMESTAMP WITH TIME ZONE DEFAULT NOW(), agent_id UUID NOT NULL,
  context_pattern JSONB NOT NULL, tools_selected TEXT[] NOT NULL DEFAULT '{}',
  outcome_metrics JSONB DEFAULT '{}', pattern_effectiveness FLOAT DEFAULT 0.5,
  usage_frequency INTEGER DEFAULT 1, embedding VECTOR(1536), metadata JSONB DEFAULT '{}');
CREATE TABLE IF NOT EXISTS context_archive (
  id SERIAL PRIMARY KEY, timestamp TIMESTAMP WITH TIME ZONE DEFAULT NOW(), agent_id UUID NOT NULL,
  archived_content JSONB NOT NULL, compression_ratio FLOAT DEFAULT 1.0,
  importance_score FLOAT DEFAULT 0.5, retrieval_count INTEGER DEFAULT 0,
  last_accessed TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  archive_reason VARCHAR(100) DEFAULT 'automatic', metadata JSONB DEFAULT '{}');
CREATE TABLE IF NOT EXISTS memory_lifecycle (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(), agent_id UUID NOT NULL, memory_id UUID NOT NULL,
  lifecycle_stage VARCHAR(50) NOT NULL, importance_score DECIMAL(3,2) DEFAULT 0.5,
  access_count INTEGER DEFAULT 0, last_accessed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  archived_at TIMESTAMP NULL, archive_reason VARCHAR(100) NULL, metadata JSONB DEFAULT '{}',
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX IF NOT EXISTS idx_memory_lifecycle_agent_id ON memory_lifecycle(agent_id);
CREATE INDEX IF NOT EXISTS idx_memory_lifecycle_memory_id ON memory_lifecycle(memory_id);
CREATE INDEX IF NOT EXISTS idx_memory_lifecycle_stage ON memory_lifecycle(lifecycle_stage);
CREATE INDEX IF NOT EXISTS idx_memory_lifecycle_importance ON memory_lifecycle(importance_score);
CREATE INDEX IF NOT EXISTS idx_memory_lifecycle_last_accessed ON memory_lifecycle(last_accessed_at);
CREATE INDEX IF NOT EXISTS idx_memory_lifecycle_archived_at ON memory_lifecycle(archived_at);
CREATE INDEX IF NOT EXISTS idx_tool_usage_agent_time ON tool_usage(agent_id, timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_tool_usage_tool_name ON tool_usage(tool_name);
CREATE INDEX IF NOT EXISTS idx_tool_usage_success ON tool_usage(success, timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_tool_usage_impact ON tool_usage(impact_score DESC);
CREATE INDEX IF NOT EXISTS idx_decision_patterns_agent_time
  ON decision_patterns(agent_id, timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_decision_patterns_effectiveness
  ON decision_patterns(pattern_effectiveness DESC);
CREATE INDEX IF NOT EXISTS idx_decision_patterns_frequency ON decision_patterns(usage_frequency DESC);
CREATE INDEX IF NOT EXISTS idx_context_archive_agent_time ON context_archive(agent_id, timestamp DESC);
CREATE INDEX IF NOT EXISTS idx_context_archive_importance ON context_archive(importance_score DESC);
CREATE INDEX IF NOT EXISTS idx_context_archive_accessed ON context_archive(last_accessed DESC);
CREATE INDEX IF NOT EXISTS idx_tool_usage_embedding ON tool_usage
  USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
CREATE INDEX IF NOT EXISTS idx_decision_patterns_embedding ON decision_patterns
  USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100);
`;

/** `[table, constraint]`: the foreign keys to `agents(id)` the script adds when `agents` exists. */
export const ANALYTICS_FOREIGN_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["tool_usage", "fk_tool_usage_agent"],
  ["decision_patterns", "fk_decision_patterns_agent"],
  ["context_archive", "fk_context_archive_agent"],
];

/** The script's views (the old agent's dashboards read them). */
export const ANALYTICS_VIEWS = `
CREATE OR REPLACE VIEW tool_effectiveness AS
  SELECT tool_name, COUNT(*) AS total_uses, AVG(execution_time_ms) AS avg_execution_time,
    AVG(impact_score) AS avg_impact_score,
    (COUNT(*) FILTER (WHERE success = true))::float / COUNT(*) AS success_rate,
    MAX(timestamp) AS last_used
  FROM tool_usage GROUP BY tool_name ORDER BY avg_impact_score DESC;
CREATE OR REPLACE VIEW agent_performance AS
  SELECT a.id AS agent_id, COUNT(tu.id) AS total_tool_uses,
    COUNT(DISTINCT tu.tool_name) AS unique_tools_used, AVG(tu.impact_score) AS avg_impact_score,
    AVG(dp.pattern_effectiveness) AS avg_pattern_effectiveness, COUNT(m.id) AS total_memories,
    MAX(tu.timestamp) AS last_activity
  FROM agents a
  LEFT JOIN tool_usage tu ON a.id = tu.agent_id
  LEFT JOIN decision_patterns dp ON a.id = dp.agent_id
  LEFT JOIN memories m ON a.id = m."agentId"
  GROUP BY a.id;
`;

/** {@link ANALYTICS_TABLES} and {@link ANALYTICS_VIEWS} one statement each (for a transaction). */
export function statements(script: string): string[] {
  return script.split(/;\s*\n/).map((s) => s.trim().replace(/;$/, "")).filter(Boolean);
}

/** Adds each missing analytics foreign key (the script's second run); `agents` must exist. */
export function analyticsForeignKeys(): string[] {
  return ANALYTICS_FOREIGN_KEYS.map(([table, name]) => `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '${name}'
                 AND conrelid = to_regclass('${table}')) THEN
    ALTER TABLE ${table} ADD CONSTRAINT ${name} FOREIGN KEY (agent_id) REFERENCES agents(id)
      ON DELETE CASCADE;
  END IF;
END $$`);
}
