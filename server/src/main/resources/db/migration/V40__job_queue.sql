-- The job queue: background work (renders, exports, AI transformations) as rows in PostgreSQL, so any number of
-- server and worker processes can share one database with no broker.
--
-- A worker claims the oldest runnable job with UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) and holds a
-- lease (locked_by, locked_until) that it renews while working. Completing, failing and renewing are fenced by
-- locked_by, so a worker that lost its lease cannot overwrite the outcome. A job whose lease ran out (its worker
-- died) is handed back to the queue; failures retry with exponential backoff up to max_attempts. Inserting a job
-- notifies channel 'studio_jobs' in the same transaction, so idle workers wake at once; polling is the fallback.

CREATE TABLE public.jobs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  kind TEXT NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  user_id UUID REFERENCES auth.users ON DELETE CASCADE,
  project_id UUID REFERENCES public.projects ON DELETE CASCADE,
  payload JSONB NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  message TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 20),
  run_after TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  locked_by TEXT,
  locked_until TIMESTAMP WITH TIME ZONE,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
  result JSONB,
  error_code TEXT,
  error_message TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  started_at TIMESTAMP WITH TIME ZONE,
  finished_at TIMESTAMP WITH TIME ZONE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
COMMENT ON TABLE public.jobs IS 'Background work; claimed FOR UPDATE SKIP LOCKED under a lease (see V40)';

CREATE INDEX idx_jobs_runnable ON public.jobs (run_after, created_at) WHERE status = 'queued';
CREATE INDEX idx_jobs_leases ON public.jobs (locked_until) WHERE status = 'running';
CREATE INDEX idx_jobs_user ON public.jobs (user_id, created_at DESC);
CREATE INDEX idx_jobs_project ON public.jobs (project_id, created_at DESC);

CREATE TRIGGER update_jobs_updated_at BEFORE UPDATE ON public.jobs
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

CREATE FUNCTION public.notify_job_queued() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  PERFORM pg_notify('studio_jobs', NEW.kind);
  RETURN NEW;
END;
$$;
CREATE TRIGGER notify_job_queued AFTER INSERT OR UPDATE OF status ON public.jobs
  FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION public.notify_job_queued();

ALTER TABLE public.jobs ENABLE ROW LEVEL SECURITY;

-- A user sees their own jobs, and the jobs of projects they work on (a collaborator watches a render finish).
CREATE POLICY "Users see own jobs" ON public.jobs
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Project members see project jobs" ON public.jobs
  FOR SELECT TO authenticated
  USING (project_id IS NOT NULL AND public.project_access(project_id) IS NOT NULL);
-- Users queue renders and exports of projects they may edit; what a worker does with the payload is its own
-- validation (the payload is the user's input). Transformations are queued by the system (they consume a limit).
CREATE POLICY "Editors queue renders and exports" ON public.jobs
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND kind IN ('render', 'export')
              AND public.project_access(project_id) IN ('owner', 'admin', 'editor'));
CREATE POLICY "Admins see all jobs" ON public.jobs
  FOR SELECT TO authenticated USING ((SELECT public.is_admin()));

GRANT SELECT (id, kind, user_id, project_id, payload, status, progress, message, attempts, max_attempts, run_after,
              cancel_requested, result, error_code, error_message, created_at, started_at, finished_at, updated_at)
  ON public.jobs TO authenticated;
GRANT INSERT (kind, user_id, project_id, payload) ON public.jobs TO authenticated;
GRANT ALL ON public.jobs TO service_role;

-- Cancelling: a queued job is cancelled at once; a running one is asked to stop (its worker sees the request at its
-- next heartbeat and ends it as cancelled). Answers the job's status afterwards, or NULL when the caller may not
-- cancel it (not theirs, or not visible).
CREATE FUNCTION public.cancel_job(p_job_id uuid) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_job public.jobs;
BEGIN
  SELECT * INTO v_job FROM public.jobs j WHERE j.id = p_job_id FOR UPDATE;
  IF v_job.id IS NULL OR NOT (v_job.user_id = auth.uid() OR public.is_admin() OR public.is_system()
       OR (v_job.project_id IS NOT NULL AND public.project_access(v_job.project_id) IN ('owner', 'admin'))) THEN
    RETURN NULL;
  END IF;
  IF v_job.status = 'queued' THEN
    UPDATE public.jobs SET status = 'cancelled', cancel_requested = true, finished_at = now(),
                           message = 'cancelled before it started'
    WHERE id = p_job_id;
    RETURN 'cancelled';
  ELSIF v_job.status = 'running' THEN
    UPDATE public.jobs SET cancel_requested = true WHERE id = p_job_id;
    RETURN 'running';
  END IF;
  RETURN v_job.status;
END;
$$;
GRANT EXECUTE ON FUNCTION public.cancel_job(uuid) TO authenticated, service_role;
