-- A project becomes a multitrack song (issue 16, "The model"): tracks with a mixer strip and an effects chain, and
-- clips that place a stored take on a track's timeline.
--
-- The timeline counts sample frames at the project's rate (projects.sample_rate, 44100 when unknown): a clip's
-- start, its offset into the take, its length and its fades are whole frames, so placement, trims and splits are
-- exact (no rounding of seconds ever moves a clip by a sample). A take recorded at another rate is refused by the
-- mixer (audio/mix) until it resamples; its length in the project's frames is duration_seconds × rate, known to the millisecond (V83 keeps the
-- duration as DECIMAL(10,3)), so the bound a trim is checked against is rounded up to the next frame.
--
-- A clip names its take by the stored object's key, always under the project's own prefix (like the project's audio
-- columns, guard_project_update), and keeps that object referenced and charged (V83) for as long as any clip names
-- it: track_clips joins the referencing tables of storage_keys_of, stored_object_referenced and
-- track_storage_references.
--
-- Access, decided here as everywhere: whoever can see the project sees its tracks and clips (anonymous callers those
-- of public projects); the owner, editor and admin collaborators and site administrators change them
-- (can_edit_project, V84). Both helpers answer true or false, never NULL.
--
-- The project's one take keeps its meaning: each project with audio gets "Track 1" with one clip over the whole
-- take, and whenever original_audio_path changes (an upload, a kept AI result, a restore) track 1's first clip
-- follows it, in SQL (follow_project_take below), so every path that replaces the take agrees without knowing of
-- tracks. The project's effects_settings stays the master bus chain.

------------------------------------------------------------------------------------------------------------------
-- 1. Tracks
------------------------------------------------------------------------------------------------------------------
CREATE TABLE public.project_tracks (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id UUID NOT NULL REFERENCES public.projects ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- the order of tracks from the top, 0-based and without gaps (the feature renumbers); unique per project, checked
  -- at commit so a reorder can move every track in one transaction
  position INTEGER NOT NULL CHECK (position >= 0),
  colour TEXT NOT NULL DEFAULT '#4f8cff' CHECK (colour ~ '^#[0-9a-f]{6}$'),
  -- the fader in dB; NULL is −∞ (silence), the top is +6
  volume_db DOUBLE PRECISION DEFAULT 0 CHECK (volume_db BETWEEN -144 AND 6),
  -- −1 hard left … 1 hard right (the pan law is the mixer's, in audio/)
  pan DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (pan BETWEEN -1 AND 1),
  muted BOOLEAN NOT NULL DEFAULT false,
  soloed BOOLEAN NOT NULL DEFAULT false,
  -- the existing chain format (an array of effects), checked by the effects feature's parser before it is kept
  effects_chain JSONB NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(effects_chain) = 'array'),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  UNIQUE (id, project_id),
  CONSTRAINT project_tracks_position_unique UNIQUE (project_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE TRIGGER update_project_tracks_updated_at
  BEFORE UPDATE ON public.project_tracks FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

------------------------------------------------------------------------------------------------------------------
-- 2. Clips
------------------------------------------------------------------------------------------------------------------
CREATE TABLE public.track_clips (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  track_id UUID NOT NULL,
  -- the track's project, kept on the clip so the storage triggers lock the right project row and the policies
  -- need no join; the composite key keeps the two in agreement (a clip moves between tracks of its project only)
  project_id UUID NOT NULL,
  take_key TEXT NOT NULL CHECK (starts_with(take_key, 'projects/' || project_id::text || '/')),
  start_frame BIGINT NOT NULL CHECK (start_frame >= 0),
  offset_frames BIGINT NOT NULL DEFAULT 0 CHECK (offset_frames >= 0),
  length_frames BIGINT NOT NULL CHECK (length_frames > 0),
  gain_db DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (gain_db BETWEEN -96 AND 24),
  fade_in_frames BIGINT NOT NULL DEFAULT 0 CHECK (fade_in_frames >= 0),
  fade_out_frames BIGINT NOT NULL DEFAULT 0 CHECK (fade_out_frames >= 0),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  CHECK (fade_in_frames + fade_out_frames <= length_frames),
  FOREIGN KEY (track_id, project_id) REFERENCES public.project_tracks (id, project_id) ON DELETE CASCADE
);
CREATE INDEX idx_track_clips_track ON public.track_clips (track_id, start_frame);
CREATE INDEX idx_track_clips_project ON public.track_clips (project_id);
CREATE INDEX idx_track_clips_take_key ON public.track_clips (take_key);
CREATE TRIGGER update_track_clips_updated_at
  BEFORE UPDATE ON public.track_clips FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();

-- A clip plays audio of its take only: offset + length within the take, in the project's frames. The take's facts
-- live on its stored object, which callers cannot read (stored_objects shows each user their own charges), hence a
-- definer trigger. Unknown facts (audio stored before V83) are not checked; the engine plays silence past a take's
-- end. Whether the key names a registered object at all is track_storage_references' check (below).
CREATE FUNCTION public.check_clip_within_take() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_seconds numeric;
  v_rate integer;
  v_frames bigint;
BEGIN
  SELECT o.duration_seconds INTO v_seconds FROM public.stored_objects o WHERE o.key = NEW.take_key;
  IF v_seconds IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT coalesce(p.sample_rate, 44100) INTO v_rate FROM public.projects p WHERE p.id = NEW.project_id;
  v_frames := ceil(v_seconds * coalesce(v_rate, 44100));
  IF NEW.offset_frames + NEW.length_frames > v_frames THEN
    RAISE EXCEPTION 'the clip reaches past the end of its take (% frames)', v_frames
      USING ERRCODE = 'check_violation', HINT = 'clip_beyond_take';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER check_clip_within_take
  BEFORE INSERT OR UPDATE OF take_key, offset_frames, length_frames ON public.track_clips
  FOR EACH ROW EXECUTE FUNCTION public.check_clip_within_take();

------------------------------------------------------------------------------------------------------------------
-- 3. Access
------------------------------------------------------------------------------------------------------------------
ALTER TABLE public.project_tracks ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.track_clips ENABLE ROW LEVEL SECURITY;

CREATE POLICY "Whoever sees a project sees its tracks" ON public.project_tracks
  FOR SELECT TO anon, authenticated USING (public.can_view_project(project_id) IS TRUE);
CREATE POLICY "Editors add tracks" ON public.project_tracks
  FOR INSERT TO authenticated WITH CHECK (public.can_edit_project(project_id) IS TRUE);
CREATE POLICY "Editors change tracks" ON public.project_tracks
  FOR UPDATE TO authenticated
  USING (public.can_edit_project(project_id) IS TRUE) WITH CHECK (public.can_edit_project(project_id) IS TRUE);
CREATE POLICY "Editors remove tracks" ON public.project_tracks
  FOR DELETE TO authenticated USING (public.can_edit_project(project_id) IS TRUE);

CREATE POLICY "Whoever sees a project sees its clips" ON public.track_clips
  FOR SELECT TO anon, authenticated USING (public.can_view_project(project_id) IS TRUE);
CREATE POLICY "Editors add clips" ON public.track_clips
  FOR INSERT TO authenticated WITH CHECK (public.can_edit_project(project_id) IS TRUE);
CREATE POLICY "Editors change clips" ON public.track_clips
  FOR UPDATE TO authenticated
  USING (public.can_edit_project(project_id) IS TRUE) WITH CHECK (public.can_edit_project(project_id) IS TRUE);
CREATE POLICY "Editors remove clips" ON public.track_clips
  FOR DELETE TO authenticated USING (public.can_edit_project(project_id) IS TRUE);

-- A track never changes project, a clip never changes project or take through the API (a new take arrives as a new
-- clip; follow_project_take moves track 1's clip as the system).
GRANT SELECT ON public.project_tracks, public.track_clips TO anon, authenticated;
GRANT INSERT (project_id, name, position, colour, volume_db, pan, muted, soloed, effects_chain)
  ON public.project_tracks TO authenticated;
GRANT UPDATE (name, position, colour, volume_db, pan, muted, soloed, effects_chain)
  ON public.project_tracks TO authenticated;
GRANT DELETE ON public.project_tracks TO authenticated;
GRANT INSERT (track_id, project_id, take_key, start_frame, offset_frames, length_frames, gain_db, fade_in_frames,
              fade_out_frames) ON public.track_clips TO authenticated;
GRANT UPDATE (track_id, start_frame, offset_frames, length_frames, gain_db, fade_in_frames, fade_out_frames)
  ON public.track_clips TO authenticated;
GRANT DELETE ON public.track_clips TO authenticated;
GRANT ALL ON public.project_tracks, public.track_clips TO service_role;

------------------------------------------------------------------------------------------------------------------
-- 4. A clip keeps its take stored and charged (V83)
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
$$;

CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE OR UPDATE OF take_key ON public.track_clips
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();

------------------------------------------------------------------------------------------------------------------
-- 5. The project's take is track 1's first clip
------------------------------------------------------------------------------------------------------------------
-- Track 1 is the top track (lowest position); its first clip the earliest on the timeline. A new take replaces that
-- clip's take, from its start, whole (offset 0, the take's full length; fades kept where they still fit); without
-- a track or a clip, one is made. Removing the take removes that clip when it still plays the removed take, so the
-- take's storage is released as before unless another clip (or a version) still uses it. Definer: whoever was
-- allowed to change the project's take (its policies decided) changes track 1 with it, workers and restores too.
CREATE FUNCTION public.follow_project_take() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_track uuid;
  v_clip uuid;
  v_frames bigint;
BEGIN
  SELECT t.id INTO v_track FROM public.project_tracks t WHERE t.project_id = NEW.id
   ORDER BY t.position, t.created_at LIMIT 1;
  IF v_track IS NOT NULL THEN
    SELECT c.id INTO v_clip FROM public.track_clips c WHERE c.track_id = v_track
     ORDER BY c.start_frame, c.created_at LIMIT 1;
  END IF;
  IF NEW.original_audio_path IS NULL THEN
    DELETE FROM public.track_clips c WHERE c.id = v_clip AND c.take_key = OLD.original_audio_path;
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
  RETURN NULL;
END;
$$;
-- After take_audio_facts (BEFORE) has set the new take's duration and rate on the row. Projects are made with a take
-- only by the system (callers may not insert the audio columns); such a project starts with its track 1 too.
CREATE TRIGGER follow_project_take
  AFTER UPDATE OF original_audio_path ON public.projects
  FOR EACH ROW WHEN (NEW.original_audio_path IS DISTINCT FROM OLD.original_audio_path)
  EXECUTE FUNCTION public.follow_project_take();
CREATE TRIGGER follow_project_take_on_insert
  AFTER INSERT ON public.projects
  FOR EACH ROW WHEN (NEW.original_audio_path IS NOT NULL)
  EXECUTE FUNCTION public.follow_project_take();

------------------------------------------------------------------------------------------------------------------
-- 6. Today's one-take projects: one track, one clip over the whole take
------------------------------------------------------------------------------------------------------------------
INSERT INTO public.project_tracks (project_id, name, position)
SELECT p.id, 'Track 1', 0 FROM public.projects p WHERE p.original_audio_path IS NOT NULL;

INSERT INTO public.track_clips (track_id, project_id, take_key, start_frame, length_frames)
SELECT t.id, p.id, p.original_audio_path, 0, ceil(p.duration_seconds * coalesce(p.sample_rate, 44100))::bigint
FROM public.projects p
JOIN public.project_tracks t ON t.project_id = p.id
WHERE p.original_audio_path IS NOT NULL AND p.duration_seconds > 0
  AND EXISTS (SELECT 1 FROM public.stored_objects o WHERE o.key = p.original_audio_path)
  AND starts_with(p.original_audio_path, 'projects/' || p.id::text || '/');
