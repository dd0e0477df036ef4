-- CreateTable
CREATE TABLE "runner_app" (
    "url" TEXT NOT NULL,
    "app_name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_app_pkey" PRIMARY KEY ("url")
);

-- CreateTable
CREATE TABLE "runner_function" (
    "id" TEXT NOT NULL,
    "app_url" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_function_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runner_event" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "ts" BIGINT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runner_run" (
    "id" TEXT NOT NULL,
    "function_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "trigger_kind" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "singleton_key" TEXT,
    "concurrency" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT -1,
    "disable_immediate" BOOLEAN NOT NULL DEFAULT false,
    "step_count" INTEGER NOT NULL DEFAULT 0,
    "state_bytes" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "output" JSONB,
    "error" JSONB,
    "parent_run_id" TEXT,
    "parent_step_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "runner_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runner_step" (
    "run_id" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "seq" INTEGER,
    "data" JSONB,
    "error" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "output_bytes" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "runner_step_pkey" PRIMARY KEY ("run_id","id")
);

-- CreateTable
CREATE TABLE "runner_attempt" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "error" JSONB,
    "duration_ms" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runner_job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "run_id" TEXT,
    "target" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runner_waiter" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "step_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "expression" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_waiter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runner_cron" (
    "function_id" TEXT NOT NULL,
    "expression" TEXT NOT NULL,
    "next_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "runner_cron_pkey" PRIMARY KEY ("function_id","expression")
);

-- CreateTable
CREATE TABLE "runner_lease" (
    "id" INTEGER NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "runner_lease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "runner_function_app_url_idx" ON "runner_function"("app_url");

-- CreateIndex
CREATE INDEX "runner_event_name_received_at_idx" ON "runner_event"("name", "received_at");

-- CreateIndex
CREATE INDEX "runner_run_status_function_id_idx" ON "runner_run"("status", "function_id");

-- CreateIndex
CREATE INDEX "runner_run_function_id_singleton_key_idx" ON "runner_run"("function_id", "singleton_key");

-- CreateIndex
CREATE INDEX "runner_run_created_at_idx" ON "runner_run"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "runner_run_function_id_dedupe_key_key" ON "runner_run"("function_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "runner_attempt_run_id_at_idx" ON "runner_attempt"("run_id", "at");

-- CreateIndex
CREATE INDEX "runner_job_due_at_idx" ON "runner_job"("due_at");

-- CreateIndex
CREATE UNIQUE INDEX "runner_job_run_id_kind_target_key" ON "runner_job"("run_id", "kind", "target");

-- CreateIndex
CREATE INDEX "runner_waiter_event_name_idx" ON "runner_waiter"("event_name");

-- CreateIndex
CREATE UNIQUE INDEX "runner_waiter_run_id_step_id_key" ON "runner_waiter"("run_id", "step_id");

-- CreateIndex
CREATE INDEX "runner_cron_next_at_idx" ON "runner_cron"("next_at");

-- AddForeignKey
ALTER TABLE "runner_step" ADD CONSTRAINT "runner_step_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runner_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runner_attempt" ADD CONSTRAINT "runner_attempt_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runner_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
