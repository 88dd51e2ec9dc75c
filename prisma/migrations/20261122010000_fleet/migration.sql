-- CreateEnum
CREATE TYPE "NodeMode" AS ENUM ('compute', 'gateway');

-- CreateTable
CREATE TABLE "join_tokens" (
    "id" UUID NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "description" TEXT NOT NULL,
    "mode" "NodeMode" NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "max_uses" INTEGER NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,

    CONSTRAINT "join_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "nodes" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "mode" "NodeMode" NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "public_key" JSONB NOT NULL,
    "key_thumbprint" TEXT NOT NULL,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "facts" JSONB NOT NULL,
    "join_token_id" UUID,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "desired_generation" BIGINT NOT NULL DEFAULT 1,
    "desired_config" TEXT,
    "desired_tasks" JSONB NOT NULL DEFAULT '[]',
    "observed_generation" BIGINT NOT NULL DEFAULT 0,
    "agent_version" TEXT,
    "health" TEXT,
    "conditions" JSONB NOT NULL DEFAULT '[]',
    "capacity" JSONB,
    "cluster_role" TEXT,
    "connected_at" TIMESTAMPTZ(3),
    "disconnected_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),
    "hub_instance" TEXT,
    "last_rejection" TEXT,

    CONSTRAINT "nodes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node_events" (
    "id" BIGSERIAL NOT NULL,
    "node_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "node_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "join_tokens_token_hash_key" ON "join_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "join_tokens_created_at_idx" ON "join_tokens"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "nodes_name_key" ON "nodes"("name");

-- CreateIndex
CREATE UNIQUE INDEX "nodes_key_thumbprint_key" ON "nodes"("key_thumbprint");

-- CreateIndex
CREATE INDEX "nodes_mode_idx" ON "nodes"("mode");

-- CreateIndex
CREATE INDEX "nodes_last_seen_at_idx" ON "nodes"("last_seen_at");

-- CreateIndex
CREATE INDEX "nodes_enrolled_at_idx" ON "nodes"("enrolled_at");

-- CreateIndex
CREATE INDEX "node_events_node_id_at_idx" ON "node_events"("node_id", "at");

-- CreateIndex
CREATE INDEX "node_events_at_idx" ON "node_events"("at");

-- AddForeignKey
ALTER TABLE "nodes" ADD CONSTRAINT "nodes_join_token_id_fkey" FOREIGN KEY ("join_token_id") REFERENCES "join_tokens"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_events" ADD CONSTRAINT "node_events_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "nodes"("id") ON DELETE CASCADE ON UPDATE CASCADE;
