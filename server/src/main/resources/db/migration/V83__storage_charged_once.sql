-- Storage charged once, whatever path the bytes took.
--
-- V50 charged an upload through the usage ledger and released it when the project's original changed. Every other
-- path escaped it: versions kept audio the ledger had already released (160 MB held on a 100 MB plan with 41 MB
-- charged), keeping an AI result released the old take while charging nothing for the new one, a restore pointed
-- the project at a released key (0 of 100 MB with 7 MB live), renders and exports were never charged.
--
-- Now every stored object is a row of public.stored_objects (key, size in bytes, who it is charged to, and the
-- facts of its audio). The row exists exactly while something references its key:
--   a project's original or processed audio, a version's original or processed audio, an export job's result,
--   a transformation's output audio or MIDI.
-- Whoever stores an object registers it (register_stored_object) in the same transaction that first references
-- it, and the plan's limit is checked there under the charged user's profile row lock, so concurrent uploads at
-- the limit never end above it. A trigger on every referencing table refuses a reference to an unregistered key
-- and deletes the row when the last reference goes. profiles.storage_used_mb is recomputed from the rows by a
-- trigger on stored_objects: ceil(sum of the user's size_bytes / 1 MiB), the whole total rounded up once.
-- The storage sweeper deletes files with no row (after a grace period) and rows that were registered but never
-- referenced (a job that stored its output and then lost its lease).

------------------------------------------------------------------------------------------------------------------
-- 1. The objects
------------------------------------------------------------------------------------------------------------------
CREATE TABLE public.stored_objects (
  key TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 300),
  size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
  -- NULL only while the deletion of the charged user's account is being processed (see recharge_orphaned_object)
  charged_to UUID REFERENCES auth.users ON DELETE SET NULL,
  project_id UUID,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  -- the audio's facts, copied to a project whenever the object becomes its original (restore, keep, upload)
  duration_seconds DECIMAL(10,3),
  sample_rate INTEGER,
  channels SMALLINT CHECK (channels BETWEEN 1 AND 8),
  waveform_data JSONB
);
CREATE INDEX idx_stored_objects_charged_to ON public.stored_objects (charged_to);
CREATE INDEX idx_stored_objects_created_at ON public.stored_objects (created_at);
CREATE INDEX idx_stored_objects_project ON public.stored_objects (project_id);
ALTER TABLE public.stored_objects ENABLE ROW LEVEL SECURITY;
-- Users see what they are charged for (GET /me/storage); every write goes through the definer functions below.
CREATE POLICY "Users see objects charged to them" ON public.stored_objects
  FOR SELECT TO authenticated USING (charged_to = (SELECT auth.uid()));
GRANT SELECT (key, size_bytes, charged_to, project_id, created_at) ON public.stored_objects TO authenticated;
GRANT ALL ON public.stored_objects TO service_role;

-- Reference lookups by key (the sweeper and the release trigger ask "is anything still using this key?").
CREATE INDEX idx_projects_original_audio_path ON public.projects (original_audio_path)
  WHERE original_audio_path IS NOT NULL;
CREATE INDEX idx_projects_processed_audio_path ON public.projects (processed_audio_path)
  WHERE processed_audio_path IS NOT NULL;
CREATE INDEX idx_project_versions_audio_file_path ON public.project_versions (audio_file_path)
  WHERE audio_file_path IS NOT NULL;
CREATE INDEX idx_jobs_result_key ON public.jobs ((result->>'key')) WHERE kind = 'export';
CREATE INDEX idx_ai_transformations_output_audio ON public.ai_transformations (output_audio_path)
  WHERE output_audio_path IS NOT NULL;
CREATE INDEX idx_ai_transformations_output_midi ON public.ai_transformations (output_midi_path)
  WHERE output_midi_path IS NOT NULL;

-- A version keeps the render of its take too, so a restore gives back exactly what was there.
ALTER TABLE public.project_versions ADD COLUMN processed_audio_path TEXT;
CREATE INDEX idx_project_versions_processed_audio_path ON public.project_versions (processed_audio_path)
  WHERE processed_audio_path IS NOT NULL;

------------------------------------------------------------------------------------------------------------------
-- 2. References
------------------------------------------------------------------------------------------------------------------
-- The storage keys a row of a referencing table holds. One place, so the triggers and the check agree.
CREATE FUNCTION public.storage_keys_of(p_table text, p_row jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT array_remove(CASE p_table
    WHEN 'projects' THEN ARRAY[p_row->>'original_audio_path', p_row->>'processed_audio_path']
    WHEN 'project_versions' THEN ARRAY[p_row->>'audio_file_path', p_row->>'processed_audio_path']
    WHEN 'jobs' THEN CASE WHEN p_row->>'kind' = 'export' THEN ARRAY[p_row->'result'->>'key'] END
    WHEN 'ai_transformations' THEN ARRAY[p_row->>'output_audio_path', p_row->>'output_midi_path']
  END, NULL)
$$;

CREATE FUNCTION public.stored_object_referenced(p_key text) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT EXISTS (SELECT 1 FROM public.projects WHERE original_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.projects WHERE processed_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.project_versions WHERE audio_file_path = p_key)
      OR EXISTS (SELECT 1 FROM public.project_versions WHERE processed_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.jobs WHERE kind = 'export' AND result->>'key' = p_key)
      OR EXISTS (SELECT 1 FROM public.ai_transformations WHERE output_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.ai_transformations WHERE output_midi_path = p_key)
$$;
REVOKE EXECUTE ON FUNCTION public.stored_object_referenced(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.stored_object_referenced(text) TO service_role;

-- Deletes the object's row when nothing references its key any more. Lock order, everywhere: the project row
-- (taken by the caller, track_storage_references), the charged user's profile row, then the object row. The reference check runs
-- after both locks, in a statement of its own, so it sees every transaction that removed or added a reference and
-- committed before: of two transactions dropping the last two references at once, the second one releases.
CREATE FUNCTION public.release_stored_object(p_key text) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_user uuid;
BEGIN
  SELECT o.charged_to INTO v_user FROM public.stored_objects o WHERE o.key = p_key;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF v_user IS NOT NULL THEN
    PERFORM 1 FROM public.profiles p WHERE p.id = v_user FOR NO KEY UPDATE;
  END IF;
  PERFORM 1 FROM public.stored_objects o WHERE o.key = p_key FOR UPDATE;
  IF NOT FOUND OR public.stored_object_referenced(p_key) THEN
    RETURN;
  END IF;
  DELETE FROM public.stored_objects o WHERE o.key = p_key;
END;
$$;
REVOKE EXECUTE ON FUNCTION public.release_stored_object(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.release_stored_object(text) TO service_role;

-- On every referencing table: a new reference must name a registered object (locked KEY SHARE until commit, so it
-- cannot be released under us); a dropped reference releases the object if it was the last one.
CREATE FUNCTION public.track_storage_references() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_old text[] := '{}';
  v_new text[] := '{}';
  v_row jsonb;
  v_key text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    v_row := to_jsonb(OLD);
    v_old := coalesce(public.storage_keys_of(TG_TABLE_NAME, v_row), '{}');
  END IF;
  IF TG_OP <> 'DELETE' THEN
    v_row := to_jsonb(NEW);
    v_new := coalesce(public.storage_keys_of(TG_TABLE_NAME, v_row), '{}');
  END IF;
  IF v_old = v_new THEN
    RETURN NULL;
  END IF;
  -- The project row first: changes to one project's references queue behind each other (an upload, a restore, a
  -- deleted version), so their object and profile locks cannot cross. See register_stored_object.
  PERFORM 1 FROM public.projects p
   WHERE p.id = (v_row->>CASE TG_TABLE_NAME WHEN 'projects' THEN 'id' ELSE 'project_id' END)::uuid
   FOR NO KEY UPDATE;
  FOREACH v_key IN ARRAY v_new LOOP
    CONTINUE WHEN v_key = ANY (v_old);
    PERFORM 1 FROM public.stored_objects o WHERE o.key = v_key FOR KEY SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'storage object % is not registered', v_key USING ERRCODE = 'foreign_key_violation',
        HINT = 'unregistered_object';
    END IF;
  END LOOP;
  FOREACH v_key IN ARRAY v_old LOOP
    CONTINUE WHEN v_key = ANY (v_new);
    PERFORM public.release_stored_object(v_key);
  END LOOP;
  RETURN NULL;
END;
$$;
CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE OR UPDATE OF original_audio_path, processed_audio_path ON public.projects
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();
CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE OR UPDATE OF audio_file_path, processed_audio_path ON public.project_versions
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();
-- Of jobs, only exports hold a key (storage_keys_of); a render's result names the project's processed audio, and a
-- transformation's output is referenced by its ai_transformations row once the job succeeds.
CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE OR UPDATE OF result ON public.jobs
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();
CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE OR UPDATE OF output_audio_path, output_midi_path ON public.ai_transformations
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();

------------------------------------------------------------------------------------------------------------------
-- 3. Charging
------------------------------------------------------------------------------------------------------------------
-- The user's storage_mb limit now (effective tier; NULL = unlimited).
CREATE FUNCTION public.storage_limit_mb(p_user_id uuid) RETURNS numeric
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT CASE WHEN sl.limit_value IS NULL OR sl.limit_value < 0 THEN NULL ELSE sl.limit_value END
  FROM public.subscription_limits sl
  WHERE sl.subscription_tier = coalesce(public.effective_tier(p_user_id), 'free')
    AND sl.resource_type = 'storage_mb' AND sl.is_active
$$;
REVOKE EXECUTE ON FUNCTION public.storage_limit_mb(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.storage_limit_mb(uuid) TO service_role;

-- Registers a stored object charged to p_charged_to, or refuses it when p_enforce_limit and the user's total
-- would pass the plan's limit. Answers {allowed, used, limit, requested, unit, resource_type} in MB (used is the
-- total after the charge when allowed, before it when refused). Users register only objects charged to
-- themselves, under a project they may edit (or as a site administrator), always within their limit; the system
-- (workers) may charge anyone and skip the limit (AI outputs, which expire). Takes the user's profile row lock
-- first (see release_stored_object) and sums in a statement of its own, so concurrent registrations see each other.
CREATE FUNCTION public.register_stored_object(
  p_key text,
  p_size_bytes bigint,
  p_charged_to uuid,
  p_project_id uuid,
  p_enforce_limit boolean,
  p_duration_seconds numeric,
  p_sample_rate integer,
  p_channels integer,
  p_waveform jsonb
) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_limit numeric;
  v_bytes numeric;
  v_after numeric;
  v_status jsonb;
BEGIN
  IF p_key IS NULL OR p_size_bytes IS NULL OR p_charged_to IS NULL THEN
    RAISE EXCEPTION 'key, size and user are required' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF public.is_system() IS NOT TRUE THEN
    IF p_charged_to IS DISTINCT FROM auth.uid() THEN
      RAISE EXCEPTION 'you can only charge yourself' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_project_id IS NULL OR left(p_key, length('projects/' || p_project_id::text || '/'))
         IS DISTINCT FROM 'projects/' || p_project_id::text || '/'
       OR NOT (coalesce(public.project_access(p_project_id) IN ('owner', 'admin', 'editor'), false)
               OR coalesce(public.is_admin(), false)) THEN
      RAISE EXCEPTION 'only the owner and editors store audio in a project' USING ERRCODE = 'insufficient_privilege';
    END IF;
    p_enforce_limit := true;
  END IF;
  -- Lock order, everywhere: the project row, the charged user's profile row, the object row.
  IF p_project_id IS NOT NULL THEN
    PERFORM 1 FROM public.projects p WHERE p.id = p_project_id FOR NO KEY UPDATE;
  END IF;
  PERFORM 1 FROM public.profiles p WHERE p.id = p_charged_to FOR NO KEY UPDATE;
  v_limit := public.storage_limit_mb(p_charged_to);
  SELECT coalesce(sum(o.size_bytes), 0) INTO v_bytes FROM public.stored_objects o WHERE o.charged_to = p_charged_to;
  v_after := ceil((v_bytes + p_size_bytes) / 1048576.0);
  v_status := jsonb_build_object('resource_type', 'storage_mb', 'unit', 'mb', 'limit', v_limit,
                                 'tier', coalesce(public.effective_tier(p_charged_to), 'free'),
                                 'requested', ceil(p_size_bytes / 1048576.0), 'reset_period', 'lifetime');
  IF coalesce(p_enforce_limit, true) AND v_limit IS NOT NULL AND v_after > v_limit THEN
    RETURN v_status || jsonb_build_object('allowed', false, 'used', ceil(v_bytes / 1048576.0));
  END IF;
  INSERT INTO public.stored_objects (key, size_bytes, charged_to, project_id, duration_seconds, sample_rate, channels,
                                     waveform_data)
  VALUES (p_key, p_size_bytes, p_charged_to, p_project_id, p_duration_seconds, p_sample_rate, p_channels::smallint,
          p_waveform)
  -- a provider's copy registered by an earlier attempt of the same job: already charged once
  ON CONFLICT (key) DO NOTHING;
  RETURN v_status || jsonb_build_object('allowed', true, 'used', v_after);
END;
$$;
REVOKE EXECUTE ON FUNCTION public.register_stored_object(text, bigint, uuid, uuid, boolean, numeric, integer, integer,
                                                          jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.register_stored_object(text, bigint, uuid, uuid, boolean, numeric, integer, integer,
                                                         jsonb) TO authenticated, service_role;

-- profiles.storage_used_mb follows the rows: recomputed (not adjusted) under the profile row lock, in a statement
-- of its own, so it is exact after any interleaving.
CREATE FUNCTION public.track_storage_used_by_objects() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_user uuid;
BEGIN
  FOREACH v_user IN ARRAY array_remove(ARRAY[CASE WHEN TG_OP <> 'DELETE' THEN NEW.charged_to END,
                                             CASE WHEN TG_OP <> 'INSERT' THEN OLD.charged_to END], NULL) LOOP
    PERFORM 1 FROM public.profiles p WHERE p.id = v_user FOR NO KEY UPDATE;
    UPDATE public.profiles p
       SET storage_used_mb = (SELECT ceil(coalesce(sum(o.size_bytes), 0) / 1048576.0)::integer
                                FROM public.stored_objects o WHERE o.charged_to = v_user)
     WHERE p.id = v_user;
  END LOOP;
  RETURN NULL;
END;
$$;
CREATE TRIGGER track_storage_used_by_objects
  AFTER INSERT OR DELETE OR UPDATE OF size_bytes, charged_to ON public.stored_objects
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_used_by_objects();

-- When the charged user's account is deleted (ON DELETE SET NULL), what others still use passes to the owner of the
-- project it belongs to, without a limit check (nobody chose it, and refusing would block the deletion). If that
-- owner is the deleted user too, the project goes in the same deletion and releases the object.
CREATE FUNCTION public.recharge_orphaned_object() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  NEW.charged_to := (SELECT p.user_id FROM public.projects p JOIN auth.users u ON u.id = p.user_id
                      WHERE p.id = NEW.project_id);
  RETURN NEW;
END;
$$;
CREATE TRIGGER recharge_orphaned_object BEFORE UPDATE OF charged_to ON public.stored_objects
  FOR EACH ROW WHEN (NEW.charged_to IS NULL) EXECUTE FUNCTION public.recharge_orphaned_object();

-- The V50 ledger path ends: storage is no longer consumed or released as usage rows (the rows stay as history).
DROP TRIGGER release_replaced_audio ON public.projects;
DROP FUNCTION public.release_replaced_audio();
DROP FUNCTION public.release_project_storage(uuid, text, text);
DROP TRIGGER track_storage_used ON public.usage_tracking;
DROP FUNCTION public.track_storage_used();

-- usage_status (latest: V3) reads storage_mb from the objects; everything else as before.
CREATE OR REPLACE FUNCTION public.usage_status(p_user_id uuid, p_resource_type text, p_at timestamptz DEFAULT now())
  RETURNS jsonb
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_tier text;
  v_limit numeric;
  v_unit text;
  v_period text;
  v_used numeric;
BEGIN
  IF public.is_system() IS NOT TRUE AND p_user_id IS DISTINCT FROM auth.uid() AND NOT coalesce(public.is_admin(), false) THEN
    RAISE EXCEPTION 'usage of another user is not visible to you' USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_tier := coalesce(public.effective_tier(p_user_id, p_at), 'free');
  SELECT sl.limit_value, sl.limit_unit, coalesce(sl.reset_period, 'monthly')
    INTO v_limit, v_unit, v_period
    FROM public.subscription_limits sl
   WHERE sl.subscription_tier = v_tier AND sl.resource_type = p_resource_type AND sl.is_active;
  v_period := coalesce(v_period, 'monthly');
  IF p_resource_type = 'storage_mb' THEN
    SELECT ceil(coalesce(sum(o.size_bytes), 0) / 1048576.0) INTO v_used
      FROM public.stored_objects o WHERE o.charged_to = p_user_id;
  ELSE
    SELECT coalesce(sum(t.quantity), 0) INTO v_used
      FROM public.usage_tracking t
     WHERE t.user_id = p_user_id AND t.resource_type = p_resource_type
       AND t.created_at >= public.usage_window_start(v_period, p_at)
       AND t.created_at < coalesce(public.usage_window_end(v_period, p_at), 'infinity');
  END IF;
  RETURN jsonb_build_object(
    'resource_type', p_resource_type,
    'tier', v_tier,
    'used', v_used,
    'limit', CASE WHEN v_limit IS NULL OR v_limit < 0 THEN NULL ELSE v_limit END,
    'unit', coalesce(v_unit, 'count'),
    'reset_period', v_period,
    'resets_at', public.usage_window_end(v_period, p_at));
END;
$$;

------------------------------------------------------------------------------------------------------------------
-- 4. Whatever replaces a project's audio brings that audio's facts with it
------------------------------------------------------------------------------------------------------------------
-- A restore or a kept AI result changed original_audio_path but left duration, rate, channels and waveform of the
-- old take. The facts live on the object; this trigger copies them in the same statement, whoever changes the key.
CREATE FUNCTION public.take_audio_facts() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_object public.stored_objects;
BEGIN
  IF NEW.original_audio_path IS NULL THEN
    NEW.duration_seconds := NULL;
    NEW.channels := NULL;
    NEW.waveform_data := NULL;
    RETURN NEW;
  END IF;
  -- Unknown facts (audio stored before V83, or a file we could not read) show as unknown, never as the old take's.
  SELECT * INTO v_object FROM public.stored_objects o WHERE o.key = NEW.original_audio_path;
  NEW.duration_seconds := v_object.duration_seconds;
  NEW.sample_rate := coalesce(v_object.sample_rate, NEW.sample_rate);
  NEW.channels := v_object.channels;
  NEW.waveform_data := v_object.waveform_data;
  RETURN NEW;
END;
$$;
CREATE TRIGGER take_audio_facts BEFORE UPDATE OF original_audio_path ON public.projects
  FOR EACH ROW WHEN (NEW.original_audio_path IS DISTINCT FROM OLD.original_audio_path)
  EXECUTE FUNCTION public.take_audio_facts();

-- Versions (latest: V3): a snapshot copies the current render too, and reads the project's row under its lock
-- (FOR NO KEY UPDATE: the latest committed take, not one an upload is replacing right now).
CREATE OR REPLACE FUNCTION public.prepare_project_version() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('project_versions:' || NEW.project_id::text, 0));
  IF public.is_system() IS NOT TRUE OR NEW.version_number IS NULL THEN
    SELECT coalesce(max(v.version_number), 0) + 1 INTO NEW.version_number
      FROM public.project_versions v WHERE v.project_id = NEW.project_id;
  END IF;
  IF public.is_system() IS NOT TRUE THEN
    SELECT p.original_audio_path, p.processed_audio_path, coalesce(p.effects_settings, '{}'::jsonb)
      INTO NEW.audio_file_path, NEW.processed_audio_path, NEW.effects_settings
      FROM public.projects p WHERE p.id = NEW.project_id
       FOR NO KEY UPDATE;
  END IF;
  RETURN NEW;
END;
$$;

------------------------------------------------------------------------------------------------------------------
-- 5. What is stored today becomes objects
------------------------------------------------------------------------------------------------------------------
-- Sizes: exports recorded theirs in the job's result; uploads as whole MB in the old ledger (net charge per key);
-- anything else (versions' released audio, renders, AI outputs) was never measured and counts 0 until replaced.
-- Charged to: the ledger's uploader, else the job's or transformation's user, else the project's owner.
WITH refs AS (
  SELECT p.original_audio_path AS key, p.id AS project_id, p.user_id FROM public.projects p
   WHERE p.original_audio_path IS NOT NULL
  UNION ALL SELECT p.processed_audio_path, p.id, p.user_id FROM public.projects p
   WHERE p.processed_audio_path IS NOT NULL
  UNION ALL SELECT v.audio_file_path, v.project_id, p.user_id FROM public.project_versions v
    JOIN public.projects p ON p.id = v.project_id WHERE v.audio_file_path IS NOT NULL
  UNION ALL SELECT j.result->>'key', j.project_id, j.user_id FROM public.jobs j
   WHERE j.kind = 'export' AND j.result->>'key' IS NOT NULL
  UNION ALL SELECT t.output_audio_path, t.project_id, t.user_id FROM public.ai_transformations t
   WHERE t.output_audio_path IS NOT NULL
  UNION ALL SELECT t.output_midi_path, t.project_id, t.user_id FROM public.ai_transformations t
   WHERE t.output_midi_path IS NOT NULL
), ledger AS (
  SELECT t.metadata->>'key' AS key, (array_agg(t.user_id ORDER BY t.created_at))[1] AS user_id,
         greatest(sum(t.quantity), 0) AS mb
  FROM public.usage_tracking t WHERE t.resource_type = 'storage_mb' AND t.metadata ? 'key'
  GROUP BY t.metadata->>'key'
), exports AS (
  SELECT j.result->>'key' AS key, (j.result->>'size_bytes')::bigint AS size_bytes
  FROM public.jobs j WHERE j.kind = 'export' AND j.result->>'key' IS NOT NULL AND j.result ? 'size_bytes'
)
INSERT INTO public.stored_objects (key, size_bytes, charged_to, project_id)
SELECT DISTINCT ON (r.key) r.key,
       coalesce(e.size_bytes, (coalesce(l.mb, 0) * 1048576)::bigint, 0),
       CASE WHEN EXISTS (SELECT 1 FROM auth.users u WHERE u.id = coalesce(l.user_id, r.user_id))
            THEN coalesce(l.user_id, r.user_id) END,
       r.project_id
FROM refs r
LEFT JOIN ledger l ON l.key = r.key
LEFT JOIN exports e ON e.key = r.key
ORDER BY r.key;

UPDATE public.stored_objects o
   SET duration_seconds = p.duration_seconds, sample_rate = p.sample_rate, channels = p.channels,
       waveform_data = p.waveform_data
  FROM public.projects p
 WHERE p.original_audio_path = o.key AND p.duration_seconds IS NOT NULL;

UPDATE public.profiles p
   SET storage_used_mb = coalesce((SELECT ceil(sum(o.size_bytes) / 1048576.0)::integer
                                     FROM public.stored_objects o WHERE o.charged_to = p.id), 0);
