-- The timeline keeps its rate (issue 16): clip positions are sample frames at the project's timeline rate, which
-- until now was the rate of the project's own take (projects.sample_rate), so replacing that take with one at
-- another rate (a 48 kHz phone take in a 44.1 kHz song, through PUT /projects/{id}/audio) silently moved every
-- clip. Now the mixer converts takes at any rate (audio/resample), and the timeline's rate is fixed the first time
-- the project's take is replaced: projects.timeline_rate, NULL until then, read everywhere as
-- coalesce(timeline_rate, sample_rate, 44100) — exactly the rate frames were counted at before it was set.

ALTER TABLE public.projects ADD COLUMN timeline_rate INTEGER CHECK (timeline_rate BETWEEN 8000 AND 384000);

-- Fixed when a take is replaced or removed, or arrives while clips exist: from OLD, the rate the frames were counted
-- at until now (take_audio_facts sets NEW's). A project's first take, with no clip yet, still sets the timeline's
-- rate (it stays NULL: the take's rate is read).
CREATE FUNCTION public.timeline_keeps_its_rate() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF NEW.timeline_rate IS NULL
     AND (OLD.original_audio_path IS NOT NULL
          OR EXISTS (SELECT 1 FROM public.track_clips c WHERE c.project_id = NEW.id)) THEN
    NEW.timeline_rate := coalesce(OLD.sample_rate, 44100);
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER timeline_keeps_its_rate BEFORE UPDATE OF original_audio_path ON public.projects
  FOR EACH ROW WHEN (NEW.original_audio_path IS DISTINCT FROM OLD.original_audio_path)
  EXECUTE FUNCTION public.timeline_keeps_its_rate();

-- A clip is checked against its take in the timeline's frames (V85, restated with the timeline's rate).
CREATE OR REPLACE FUNCTION public.check_clip_within_take() RETURNS trigger
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
  SELECT coalesce(p.timeline_rate, p.sample_rate, 44100) INTO v_rate
    FROM public.projects p WHERE p.id = NEW.project_id;
  v_frames := ceil(v_seconds * coalesce(v_rate, 44100));
  IF NEW.offset_frames + NEW.length_frames > v_frames THEN
    RAISE EXCEPTION 'the clip reaches past the end of its take (% frames)', v_frames
      USING ERRCODE = 'check_violation', HINT = 'clip_beyond_take';
  END IF;
  RETURN NEW;
END;
$$;

-- Track 1 follows the project's take in the timeline's frames (V86, restated with the timeline's rate).
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
  -- the take's length in the timeline's frames (it may be at another rate: the mixer converts it)
  v_frames := ceil(coalesce(NEW.duration_seconds, 0) * coalesce(NEW.timeline_rate, NEW.sample_rate, 44100));
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
