-- AI transformations as jobs of the generic queue (V40).
--
-- An ai_transformations row is the domain record of one job of kind 'transformation'. The job's worker never
-- writes the transformation itself: a trigger on public.jobs copies every change of the job's status, attempts,
-- result and error into its transformation in the same transaction, so the two can never disagree (claims,
-- heartbeats-with-cancel, fenced completion, retries, the lease reaper and cancel_job all go through it).
-- Status map: queued -> pending, running -> processing, succeeded -> completed, failed -> failed,
-- cancelled -> cancelled. A cancelled transformation stays cancelled whatever its job does afterwards.

ALTER TABLE public.ai_transformations
  ADD COLUMN job_id UUID UNIQUE REFERENCES public.jobs ON DELETE SET NULL,
  ADD COLUMN output_midi_path TEXT,
  ADD COLUMN preset_id UUID REFERENCES public.ai_model_presets ON DELETE SET NULL,
  ADD COLUMN provider TEXT,
  -- what the external provider last said (a Replicate prediction's status), and our copy of its output
  ADD COLUMN provider_status TEXT,
  ADD COLUMN provider_output_path TEXT,
  -- when the sweeper deleted the output files (the row stays: history, rating, usage)
  ADD COLUMN expired_at TIMESTAMP WITH TIME ZONE;
-- Seed: expires_at defaulted to creation + 7 days, so a job queued for long had less time to be heard. It is now
-- set when the transformation completes (completed_at + 7 days) and NULL before.
ALTER TABLE public.ai_transformations ALTER COLUMN expires_at DROP DEFAULT;
ALTER TABLE public.ai_transformations ADD CONSTRAINT ai_transformations_feedback_length
  CHECK (user_feedback IS NULL OR length(user_feedback) <= 2000);
ALTER TABLE public.ai_transformations ADD CONSTRAINT ai_transformations_quality_range
  CHECK (quality_score IS NULL OR (quality_score >= 0 AND quality_score <= 1));

CREATE INDEX idx_ai_transformations_user_keyset ON public.ai_transformations (user_id, created_at DESC, id DESC);
CREATE INDEX idx_ai_transformations_project_keyset
  ON public.ai_transformations (project_id, created_at DESC, id DESC);
CREATE INDEX idx_ai_transformations_expiring ON public.ai_transformations (expires_at)
  WHERE output_audio_path IS NOT NULL AND expired_at IS NULL;

-- The job -> transformation mirror. SECURITY DEFINER: it runs for whoever changed the job (a worker as the system,
-- a user through cancel_job) and writes result columns users may not write themselves.
CREATE FUNCTION public.sync_transformation_from_job() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  UPDATE public.ai_transformations t SET
    status = CASE NEW.status WHEN 'queued' THEN 'pending' WHEN 'running' THEN 'processing'
                             WHEN 'succeeded' THEN 'completed' ELSE NEW.status END,
    retry_count = greatest(NEW.attempts - 1, 0),
    started_at = coalesce(t.started_at, NEW.started_at),
    completed_at = CASE WHEN NEW.status IN ('succeeded', 'failed', 'cancelled') THEN coalesce(NEW.finished_at, now()) END,
    processing_time_seconds = CASE WHEN NEW.status = 'succeeded'
      THEN greatest(0, ceil(extract(epoch FROM coalesce(NEW.finished_at, now()) - NEW.started_at)))::integer
      ELSE t.processing_time_seconds END,
    error_code = CASE WHEN NEW.status = 'succeeded' THEN NULL ELSE NEW.error_code END,
    error_message = CASE WHEN NEW.status = 'succeeded' THEN NULL ELSE NEW.error_message END,
    output_audio_path = CASE WHEN NEW.status = 'succeeded' THEN NEW.result->>'output_audio_path' ELSE t.output_audio_path END,
    output_midi_path = CASE WHEN NEW.status = 'succeeded' THEN NEW.result->>'output_midi_path' ELSE t.output_midi_path END,
    model_version = coalesce(NEW.result->>'model_version', t.model_version),
    quality_score = CASE WHEN NEW.status = 'succeeded' AND NEW.result ? 'quality_score'
      THEN round((NEW.result->>'quality_score')::numeric, 2) ELSE t.quality_score END,
    expires_at = CASE WHEN NEW.status = 'succeeded' THEN coalesce(NEW.finished_at, now()) + interval '7 days'
                      ELSE t.expires_at END
  WHERE t.job_id = NEW.id AND t.status <> 'cancelled';
  RETURN NEW;
END;
$$;
CREATE TRIGGER sync_transformation_from_job
  AFTER UPDATE OF status, attempts, result, error_code, error_message ON public.jobs
  FOR EACH ROW WHEN (NEW.kind = 'transformation') EXECUTE FUNCTION public.sync_transformation_from_job();

-- The other direction: V3 lets a user move their transformation to 'cancelled' with a plain UPDATE. Its job must
-- stop too: a queued job is cancelled at once, a running one is asked to stop (the worker cancels the provider's
-- prediction). SECURITY DEFINER because users cannot write public.jobs; it only ever cancels the row's own job.
CREATE FUNCTION public.cancel_transformation_job() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  UPDATE public.jobs SET
    status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
    finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
    cancel_requested = true,
    message = 'cancelled by its user'
  WHERE id = NEW.job_id AND status IN ('queued', 'running');
  UPDATE public.ai_transformations SET completed_at = now() WHERE id = NEW.id AND completed_at IS NULL;
  RETURN NEW;
END;
$$;
CREATE TRIGGER cancel_transformation_job
  AFTER UPDATE OF status ON public.ai_transformations
  FOR EACH ROW WHEN (NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled')
  EXECUTE FUNCTION public.cancel_transformation_job();

-- Creating a transformation. Seed: users inserted rows themselves (V3 took that away: the system creates them).
-- This SECURITY DEFINER function is that system path for a user's request, and it checks the caller itself:
-- signed in, owner / admin / editor of the project (project_access), the project has audio, the preset is active
-- and, when premium, the caller's effective tier is pro or enterprise. It queues the job (max_attempts given),
-- records the transformation and bumps the system counters (the preset's usage_count, the profile's
-- total_transformations). The caller consumes the 'ai_transformations' limit in the same transaction (Usage), so a
-- refusal rolls all of this back. Errors: P0002 not found (hint project|preset), 42501 (hint premium_preset or
-- none), 55000 hint no_audio.
CREATE FUNCTION public.request_transformation(
  p_project_id uuid,
  p_preset_id uuid,
  p_transformation_type text,
  p_parameters jsonb,
  p_provider text,
  p_max_attempts integer
) RETURNS TABLE (transformation_id uuid, job_id uuid)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_user uuid := auth.uid();
  v_access text;
  v_audio text;
  v_bpm integer;
  v_preset public.ai_model_presets;
  v_type text := p_transformation_type;
  v_parameters jsonb := coalesce(p_parameters, '{}'::jsonb);
  v_provider text := p_provider;
  v_tier text;
  v_transformation uuid := gen_random_uuid();
  v_job uuid;
BEGIN
  IF v_user IS NULL THEN
    RAISE EXCEPTION 'sign in to request a transformation' USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_access := public.project_access(p_project_id);
  IF v_access IS NULL THEN
    IF public.can_view_project(p_project_id) THEN
      RAISE EXCEPTION 'only the owner and editors transform a project' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION 'no such project' USING ERRCODE = 'no_data_found', HINT = 'project';
  END IF;
  IF v_access NOT IN ('owner', 'admin', 'editor') THEN
    RAISE EXCEPTION 'only the owner and editors transform a project' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT p.original_audio_path, p.metronome_bpm INTO v_audio, v_bpm FROM public.projects p WHERE p.id = p_project_id;
  IF v_audio IS NULL THEN
    RAISE EXCEPTION 'the project has no audio to transform' USING ERRCODE = 'object_not_in_prerequisite_state',
      HINT = 'no_audio';
  END IF;
  IF p_preset_id IS NOT NULL THEN
    SELECT * INTO v_preset FROM public.ai_model_presets ap WHERE ap.id = p_preset_id AND ap.is_active FOR UPDATE;
    IF v_preset.id IS NULL THEN
      RAISE EXCEPTION 'no such preset' USING ERRCODE = 'no_data_found', HINT = 'preset';
    END IF;
    v_tier := coalesce(public.effective_tier(v_user), 'free');
    IF v_preset.is_premium AND v_tier NOT IN ('pro', 'enterprise') THEN
      RAISE EXCEPTION 'this preset needs a pro or enterprise plan' USING ERRCODE = 'insufficient_privilege',
        HINT = 'premium_preset';
    END IF;
    v_type := v_preset.transformation_type;
    v_parameters := v_preset.parameters || v_parameters;
    v_provider := coalesce(v_preset.parameters->>'provider', v_provider);
    UPDATE public.ai_model_presets SET usage_count = usage_count + 1 WHERE id = v_preset.id;
  END IF;
  IF v_type IS NULL OR v_type !~ '^[a-z][a-z_]{0,39}$' THEN
    RAISE EXCEPTION 'transformation_type must be a lowercase word' USING ERRCODE = 'check_violation';
  END IF;
  v_parameters := jsonb_build_object('project_bpm', v_bpm) || v_parameters;
  INSERT INTO public.jobs (kind, user_id, project_id, payload, max_attempts)
  VALUES ('transformation', v_user, p_project_id, jsonb_build_object('transformation_id', v_transformation),
          greatest(1, least(coalesce(p_max_attempts, 3), 20)))
  RETURNING id INTO v_job;
  INSERT INTO public.ai_transformations (id, project_id, user_id, status, transformation_type, input_audio_path,
                                         parameters, job_id, preset_id, provider)
  VALUES (v_transformation, p_project_id, v_user, 'pending', v_type, v_audio, v_parameters, v_job, p_preset_id,
          coalesce(v_provider, 'local'));
  UPDATE public.profiles SET total_transformations = coalesce(total_transformations, 0) + 1 WHERE id = v_user;
  RETURN QUERY SELECT v_transformation, v_job;
END;
$$;
-- Users call it for themselves (it checks access itself); the system may too (tests, tools).
GRANT EXECUTE ON FUNCTION public.request_transformation(uuid, uuid, text, jsonb, text, integer)
  TO authenticated, service_role;

-- The new columns are results written by the system; users keep only what V3 granted (status to cancel, rating).
-- Column grants for SELECT in V3 were table-wide, so the new columns are readable by their owner already.

-- Webhook deliveries already processed (Standard Webhooks 'webhook-id'), so a replayed delivery is refused.
-- System only: no grants to API roles, RLS on with no policies. Pruned after a day by the sweeper (signatures
-- older than 5 minutes are refused anyway, so an id cannot come back after that).
CREATE TABLE public.webhook_deliveries (
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
  provider TEXT NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
ALTER TABLE public.webhook_deliveries ENABLE ROW LEVEL SECURITY;
GRANT ALL ON public.webhook_deliveries TO service_role;
CREATE INDEX idx_webhook_deliveries_received ON public.webhook_deliveries (received_at);

-- Presets. The seed's three (V2) keep their parameters (style words such as "classical", tempo words such as
-- "moderate", instrument names, which the local arranger maps to its styles and tempi) and are marked as played
-- by the local provider; two premium presets are added. Parameters: style, instruments (role -> GM program, or
-- names), tempo (bpm or slow/moderate/fast; else the project's metronome), mix_original (0–1), provider
-- (local | replicate), prompt and duration (MusicGen on Replicate).
UPDATE public.ai_model_presets SET parameters = parameters || '{"provider": "local", "mix_original": 0.0}'
 WHERE name IN ('Classical Orchestra', 'Electronic Dance', 'Jazz Ensemble');
INSERT INTO public.ai_model_presets (name, description, transformation_type, parameters, is_premium) VALUES
  ('Jazz with your voice', 'The jazz combo behind your own voice.', 'jazz',
   '{"provider": "local", "style": "jazz", "mix_original": 0.8}', true),
  ('Cinematic orchestra (MusicGen)', 'A full orchestral rendition generated by MusicGen from your melody.',
   'orchestral', '{"provider": "replicate", "prompt": "cinematic orchestral arrangement, strings, brass, woodwinds, epic", "duration": 30}', true);
