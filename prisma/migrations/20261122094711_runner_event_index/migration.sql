-- CreateIndex
CREATE INDEX "runner_run_event_id_idx" ON "runner_run"("event_id");
