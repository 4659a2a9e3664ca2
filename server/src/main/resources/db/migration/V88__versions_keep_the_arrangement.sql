-- Versions keep the whole arrangement (issue 16, "The model"): a snapshot holds every track (mixer strip, chain,
-- place) and every clip as they were, and a restore brings them back exactly, ids and times included, so a client's
-- view of the arrangement after a restore equals the one it had when the version was saved.
--
-- A version keeps each take its clips play stored and charged (V83) for as long as the version exists, through
-- version_takes (one row per version and take, made by the snapshot), even when the take has since left the pool;
-- a restore puts such takes back into the pool before their clips.
--
-- Versions made before this migration have no arrangement (NULL): restoring one brings back its take as before,
-- and track 1 follows it (V85).

ALTER TABLE public.project_versions ADD COLUMN arrangement JSONB
  CHECK (arrangement IS NULL OR jsonb_typeof(arrangement->'tracks') = 'array');

CREATE TABLE public.version_takes (
  version_id UUID NOT NULL REFERENCES public.project_versions ON DELETE CASCADE,
  project_id UUID NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (version_id, key)
);
CREATE INDEX idx_version_takes_key ON public.version_takes (key);
-- Written only by the snapshot (a definer trigger); nobody reads it but the storage checks.
ALTER TABLE public.version_takes ENABLE ROW LEVEL SECURITY;
GRANT ALL ON public.version_takes TO service_role;

------------------------------------------------------------------------------------------------------------------
-- A version's takes stay stored and charged (V83)
------------------------------------------------------------------------------------------------------------------
-- Both functions restated whole (what every referencing table holds, V83–V87), so one place shows them all; V87's
-- wrapped earlier definitions (…_before_stems) are no longer called and go.
DROP FUNCTION public.storage_keys_of_before_stems(text, jsonb);
CREATE OR REPLACE FUNCTION public.storage_keys_of(p_table text, p_row jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT array_remove(CASE p_table
    WHEN 'projects' THEN ARRAY[p_row->>'original_audio_path', p_row->>'processed_audio_path']
    WHEN 'project_versions' THEN ARRAY[p_row->>'audio_file_path', p_row->>'processed_audio_path']
    WHEN 'jobs' THEN CASE WHEN p_row->>'kind' IN ('export', 'stems') THEN ARRAY[p_row->'result'->>'key'] END
    WHEN 'ai_transformations' THEN ARRAY[p_row->>'output_audio_path', p_row->>'output_midi_path']
    WHEN 'track_clips' THEN ARRAY[p_row->>'take_key']
    WHEN 'project_takes' THEN ARRAY[p_row->>'key']
    WHEN 'version_takes' THEN ARRAY[p_row->>'key']
  END, NULL)
$$;

CREATE OR REPLACE FUNCTION public.stored_object_referenced(p_key text) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT EXISTS (SELECT 1 FROM public.projects WHERE original_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.projects WHERE processed_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.project_versions WHERE audio_file_path = p_key)
      OR EXISTS (SELECT 1 FROM public.project_versions WHERE processed_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.jobs WHERE kind = 'export' AND result->>'key' = p_key)
      OR EXISTS (SELECT 1 FROM public.jobs WHERE kind = 'stems' AND result->>'key' = p_key)
      OR EXISTS (SELECT 1 FROM public.ai_transformations WHERE output_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.ai_transformations WHERE output_midi_path = p_key)
      OR EXISTS (SELECT 1 FROM public.track_clips WHERE take_key = p_key)
      OR EXISTS (SELECT 1 FROM public.project_takes WHERE key = p_key)
      OR EXISTS (SELECT 1 FROM public.version_takes WHERE key = p_key)
$$;

REVOKE EXECUTE ON FUNCTION public.stored_object_referenced(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.stored_object_referenced(text) TO service_role;
DROP FUNCTION public.stored_object_referenced_before_stems(text);

CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE ON public.version_takes
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();

------------------------------------------------------------------------------------------------------------------
-- The snapshot
------------------------------------------------------------------------------------------------------------------
-- The arrangement as a version keeps it: tracks in order, each with its clips in timeline order; clips name their
-- take by its stored key. Every column, so a restore is exact.
CREATE FUNCTION public.arrangement_snapshot(p_project uuid) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT jsonb_build_object('tracks', coalesce(jsonb_agg(
           to_jsonb(t) - 'project_id' || jsonb_build_object('clips', (
             SELECT coalesce(jsonb_agg(to_jsonb(c) - 'project_id' - 'track_id'
                                       ORDER BY c.start_frame, c.created_at, c.id), '[]'::jsonb)
               FROM public.track_clips c WHERE c.track_id = t.id))
           ORDER BY t.position), '[]'::jsonb))
    FROM public.project_tracks t WHERE t.project_id = p_project
$$;
REVOKE EXECUTE ON FUNCTION public.arrangement_snapshot(uuid) FROM PUBLIC;

-- Versions (latest: V83): the snapshot also keeps the arrangement, read under the project's row lock.
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
    NEW.arrangement := public.arrangement_snapshot(NEW.project_id);
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.keep_version_takes() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  INSERT INTO public.version_takes (version_id, project_id, key)
  SELECT DISTINCT NEW.id, NEW.project_id, c->>'take_key'
    FROM jsonb_array_elements(NEW.arrangement->'tracks') t, jsonb_array_elements(t->'clips') c
   WHERE c->>'take_key' IS NOT NULL;
  RETURN NULL;
END;
$$;
CREATE TRIGGER keep_version_takes
  AFTER INSERT ON public.project_versions
  FOR EACH ROW WHEN (NEW.arrangement IS NOT NULL)
  EXECUTE FUNCTION public.keep_version_takes();

------------------------------------------------------------------------------------------------------------------
-- The restore
------------------------------------------------------------------------------------------------------------------
-- Replaces the project's tracks and clips with the version's, exactly (ids, settings, times). Called by a restore
-- after it has put the version's take back as the project's (which the caller's policies allowed); refused to
-- anyone who may not change the project's arrangement. A version without an arrangement leaves the tracks as the
-- take's change left them (V85).
CREATE FUNCTION public.restore_arrangement(p_version uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_project uuid;
  v_number integer;
  v_arrangement jsonb;
BEGIN
  SELECT v.project_id, v.version_number, v.arrangement INTO v_project, v_number, v_arrangement
    FROM public.project_versions v WHERE v.id = p_version;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such version' USING ERRCODE = 'no_data_found';
  END IF;
  IF public.is_system() IS NOT TRUE AND public.can_edit_project(v_project) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the owner and editors restore versions' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_arrangement IS NULL THEN
    RETURN;
  END IF;
  PERFORM 1 FROM public.projects p WHERE p.id = v_project FOR NO KEY UPDATE;
  -- the version's takes back in the pool (one it kept stored may have left it since)
  INSERT INTO public.project_takes (key, project_id, name, uploaded_by)
  SELECT vt.key, v_project, 'Take from version ' || v_number, o.charged_to
    FROM public.version_takes vt JOIN public.stored_objects o ON o.key = vt.key
   WHERE vt.version_id = p_version
  ON CONFLICT (key) DO NOTHING;
  DELETE FROM public.project_tracks t WHERE t.project_id = v_project;
  INSERT INTO public.project_tracks (id, project_id, name, position, colour, volume_db, pan, muted, soloed,
                                     effects_chain, created_at, updated_at)
  SELECT (t->>'id')::uuid, v_project, t->>'name', (t->>'position')::integer, t->>'colour',
         (t->>'volume_db')::double precision, (t->>'pan')::double precision, (t->>'muted')::boolean,
         (t->>'soloed')::boolean, t->'effects_chain', (t->>'created_at')::timestamptz, (t->>'updated_at')::timestamptz
    FROM jsonb_array_elements(v_arrangement->'tracks') t;
  INSERT INTO public.track_clips (id, track_id, project_id, take_key, start_frame, offset_frames, length_frames,
                                  gain_db, fade_in_frames, fade_out_frames, created_at, updated_at)
  SELECT (c->>'id')::uuid, (t->>'id')::uuid, v_project, c->>'take_key', (c->>'start_frame')::bigint,
         (c->>'offset_frames')::bigint, (c->>'length_frames')::bigint, (c->>'gain_db')::double precision,
         (c->>'fade_in_frames')::bigint, (c->>'fade_out_frames')::bigint, (c->>'created_at')::timestamptz,
         (c->>'updated_at')::timestamptz
    FROM jsonb_array_elements(v_arrangement->'tracks') t, jsonb_array_elements(t->'clips') c;
END;
$$;
REVOKE EXECUTE ON FUNCTION public.restore_arrangement(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.restore_arrangement(uuid) TO authenticated, service_role;
