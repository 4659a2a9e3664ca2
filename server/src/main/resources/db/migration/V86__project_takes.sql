-- Takes (issue 16, "The model"): every piece of audio a project owns, listed with its facts and who brought it, so
-- a multitrack song can hold many: an upload or a recording adds a take without replacing the project's; clips
-- place takes on tracks (V85). A take is named within its project by its stored key's last part, as clips already
-- show it ("take"), and keeps its stored object referenced and charged (V83) until it is deleted from the project:
-- a take nobody placed on a track still costs its uploader, as a file in a DAW's pool does.
--
-- A clip may only play a take of the project's pool (a foreign key), so a take in use cannot be deleted; the
-- project's own take (original_audio_path) joins the pool whenever it changes (an upload through the old path, a
-- kept AI result, a restored version), in follow_project_take, before track 1's clip follows it.
--
-- Access as for tracks: whoever sees the project sees its takes; the owner, editors, admin collaborators and site
-- administrators add, rename and delete them; an added take is recorded as brought by its caller.

CREATE TABLE public.project_takes (
  key TEXT PRIMARY KEY,
  project_id UUID NOT NULL REFERENCES public.projects ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  uploaded_by UUID REFERENCES auth.users ON DELETE SET NULL,
  -- what decoded (as stored_objects has it); NULL only for audio stored before V83, whose facts were never kept
  duration_seconds DECIMAL(10,3) CHECK (duration_seconds > 0),
  sample_rate INTEGER CHECK (sample_rate > 0),
  channels SMALLINT CHECK (channels BETWEEN 1 AND 8),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  CHECK (starts_with(key, 'projects/' || project_id::text || '/')),
  UNIQUE (key, project_id)
);
CREATE INDEX idx_project_takes_project ON public.project_takes (project_id, created_at);
CREATE TRIGGER update_project_takes_updated_at
  BEFORE UPDATE ON public.project_takes FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

ALTER TABLE public.project_takes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Whoever sees a project sees its takes" ON public.project_takes
  FOR SELECT TO anon, authenticated USING (public.can_view_project(project_id) IS TRUE);
CREATE POLICY "Editors add takes they bring" ON public.project_takes
  FOR INSERT TO authenticated
  WITH CHECK (public.can_edit_project(project_id) IS TRUE AND uploaded_by IS NOT DISTINCT FROM (SELECT auth.uid())
              AND (SELECT auth.uid()) IS NOT NULL);
CREATE POLICY "Editors rename takes" ON public.project_takes
  FOR UPDATE TO authenticated
  USING (public.can_edit_project(project_id) IS TRUE) WITH CHECK (public.can_edit_project(project_id) IS TRUE);
CREATE POLICY "Editors delete takes" ON public.project_takes
  FOR DELETE TO authenticated USING (public.can_edit_project(project_id) IS TRUE);
GRANT SELECT ON public.project_takes TO anon, authenticated;
GRANT INSERT (key, project_id, name, uploaded_by, duration_seconds, sample_rate, channels)
  ON public.project_takes TO authenticated;
GRANT UPDATE (name) ON public.project_takes TO authenticated;
GRANT DELETE ON public.project_takes TO authenticated;
GRANT ALL ON public.project_takes TO service_role;

-- The facts a caller sends are checked against the stored object's (a definer reads them: callers cannot see
-- objects charged to someone else); a take must name a registered object (track_storage_references below).
CREATE FUNCTION public.take_facts_from_object() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  SELECT o.duration_seconds, o.sample_rate, o.channels
    INTO NEW.duration_seconds, NEW.sample_rate, NEW.channels
    FROM public.stored_objects o WHERE o.key = NEW.key;
  RETURN NEW;
END;
$$;
CREATE TRIGGER take_facts_from_object
  BEFORE INSERT ON public.project_takes
  FOR EACH ROW EXECUTE FUNCTION public.take_facts_from_object();

------------------------------------------------------------------------------------------------------------------
-- A take keeps its object stored and charged (V83)
------------------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.storage_keys_of(p_table text, p_row jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT array_remove(CASE p_table
    WHEN 'projects' THEN ARRAY[p_row->>'original_audio_path', p_row->>'processed_audio_path']
    WHEN 'project_versions' THEN ARRAY[p_row->>'audio_file_path', p_row->>'processed_audio_path']
    WHEN 'jobs' THEN CASE WHEN p_row->>'kind' = 'export' THEN ARRAY[p_row->'result'->>'key'] END
    WHEN 'ai_transformations' THEN ARRAY[p_row->>'output_audio_path', p_row->>'output_midi_path']
    WHEN 'track_clips' THEN ARRAY[p_row->>'take_key']
    WHEN 'project_takes' THEN ARRAY[p_row->>'key']
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
      OR EXISTS (SELECT 1 FROM public.ai_transformations WHERE output_audio_path = p_key)
      OR EXISTS (SELECT 1 FROM public.ai_transformations WHERE output_midi_path = p_key)
      OR EXISTS (SELECT 1 FROM public.track_clips WHERE take_key = p_key)
      OR EXISTS (SELECT 1 FROM public.project_takes WHERE key = p_key)
$$;

CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE ON public.project_takes
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();

------------------------------------------------------------------------------------------------------------------
-- Today's takes join the pool: every clip's take and every project's own take
------------------------------------------------------------------------------------------------------------------
INSERT INTO public.project_takes (key, project_id, name, uploaded_by, duration_seconds, sample_rate, channels,
                                  created_at)
SELECT DISTINCT ON (k.key) k.key, k.project_id, 'Take 1', o.charged_to, o.duration_seconds, o.sample_rate,
       o.channels, o.created_at
FROM (SELECT c.take_key AS key, c.project_id FROM public.track_clips c
      UNION
      SELECT p.original_audio_path, p.id FROM public.projects p
       WHERE p.original_audio_path IS NOT NULL
         AND starts_with(p.original_audio_path, 'projects/' || p.id::text || '/')) k
JOIN public.stored_objects o ON o.key = k.key
ORDER BY k.key;

-- Clips play takes of the pool; a take in use cannot be deleted (23503, answered as "take in use"). Checked at the
-- end of the statement (NO ACTION), so deleting a project removes its clips and takes together.
ALTER TABLE public.track_clips
  ADD CONSTRAINT track_clips_take_in_pool FOREIGN KEY (take_key, project_id)
  REFERENCES public.project_takes (key, project_id);

------------------------------------------------------------------------------------------------------------------
-- The project's take joins the pool before track 1 follows it (V85)
------------------------------------------------------------------------------------------------------------------
-- The one-take path (PUT and DELETE /projects/{id}/audio, a kept AI result, a restore) manages the project's own
-- take as before: a take it replaces or removes leaves the pool unless a clip still plays it, so its storage is
-- released as it was before takes had a pool (unless a version still holds it).
CREATE FUNCTION public.forget_replaced_take(p_project uuid, p_key text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
  DELETE FROM public.project_takes t
   WHERE t.project_id = p_project AND t.key = p_key
     AND NOT EXISTS (SELECT 1 FROM public.track_clips c WHERE c.take_key = p_key);
$$;
REVOKE EXECUTE ON FUNCTION public.forget_replaced_take(uuid, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.follow_project_take() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_track uuid;
  v_clip uuid;
  v_frames bigint;
BEGIN
  IF NEW.original_audio_path IS NOT NULL
     AND starts_with(NEW.original_audio_path, 'projects/' || NEW.id::text || '/')
     AND EXISTS (SELECT 1 FROM public.stored_objects o WHERE o.key = NEW.original_audio_path) THEN
    INSERT INTO public.project_takes (key, project_id, name, uploaded_by)
    SELECT NEW.original_audio_path, NEW.id,
           'Take ' || (SELECT count(*) + 1 FROM public.project_takes t WHERE t.project_id = NEW.id),
           coalesce(auth.uid(), o.charged_to)
      FROM public.stored_objects o WHERE o.key = NEW.original_audio_path
    ON CONFLICT (key) DO NOTHING;
  END IF;
  SELECT t.id INTO v_track FROM public.project_tracks t WHERE t.project_id = NEW.id
   ORDER BY t.position, t.created_at LIMIT 1;
  IF v_track IS NOT NULL THEN
    SELECT c.id INTO v_clip FROM public.track_clips c WHERE c.track_id = v_track
     ORDER BY c.start_frame, c.created_at LIMIT 1;
  END IF;
  IF NEW.original_audio_path IS NULL THEN
    DELETE FROM public.track_clips c WHERE c.id = v_clip AND c.take_key = OLD.original_audio_path;
    PERFORM public.forget_replaced_take(NEW.id, OLD.original_audio_path);
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.project_takes t WHERE t.key = NEW.original_audio_path
                                                        AND t.project_id = NEW.id) THEN
    -- audio of unknown origin (stored before V83, or not under the project): it stays the project's take only
    RETURN NULL;
  END IF;
  v_frames := ceil(coalesce(NEW.duration_seconds, 0) * coalesce(NEW.sample_rate, 44100));
  IF v_frames <= 0 THEN
    -- a take of unknown length (stored before V83) cannot be placed exactly; it stays the project's take only
    RETURN NULL;
  END IF;
  IF v_track IS NULL THEN
    INSERT INTO public.project_tracks (project_id, name, position)
    VALUES (NEW.id, 'Track 1', coalesce((SELECT max(t.position) + 1 FROM public.project_tracks t
                                          WHERE t.project_id = NEW.id), 0))
    RETURNING id INTO v_track;
  END IF;
  IF v_clip IS NULL THEN
    INSERT INTO public.track_clips (track_id, project_id, take_key, start_frame, length_frames)
    VALUES (v_track, NEW.id, NEW.original_audio_path, 0, v_frames);
  ELSE
    UPDATE public.track_clips c
       SET take_key = NEW.original_audio_path, offset_frames = 0, length_frames = v_frames,
           fade_in_frames = least(c.fade_in_frames, v_frames / 2),
           fade_out_frames = least(c.fade_out_frames, v_frames - least(c.fade_in_frames, v_frames / 2))
     WHERE c.id = v_clip;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    PERFORM public.forget_replaced_take(NEW.id, OLD.original_audio_path);
  END IF;
  RETURN NULL;
END;
$$;
