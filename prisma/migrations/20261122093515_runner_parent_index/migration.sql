-- CreateIndex
CREATE INDEX "runner_run_parent_run_id_idx" ON "runner_run"("parent_run_id");
