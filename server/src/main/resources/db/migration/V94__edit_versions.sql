-- Every editable object carries a version, so that a write made against an old reading is refused (412) instead of
-- silently undoing someone else's change. The objects and what moves their version:
--   a track's settings and mixer strip (name, colour, fader, pan, mute, solo)  project_tracks.version
--   a track's effects chain                                                     project_tracks.chain_version
--   a clip (its track, place, trim, gain, fades, take)                          track_clips.version
--   the project's settings (title, description, genre, tags, visibility, tempo and metronome, and the settings
--   later migrations add to the project page)                                   projects.settings_version
--   the master bus chain (effects_settings)                                     projects.chain_version
--   the master fader                                                            projects.master_version
-- Two people changing different objects (two clips, a track's fader and its chain) never refuse each other.
--
-- Versions are drawn from one sequence, never from a counter per row: a track deleted and made again by restoring a
-- version (restore_arrangement keeps ids) gets a version no earlier reading can hold, so a stale write can never match
-- by accident. Triggers move them, so no write path can forget to; a write that changes nothing keeps them.

CREATE SEQUENCE public.edit_versions AS BIGINT;
GRANT USAGE ON SEQUENCE public.edit_versions TO authenticated, service_role;

ALTER TABLE public.project_tracks
  ADD COLUMN version BIGINT NOT NULL DEFAULT nextval('public.edit_versions'),
  ADD COLUMN chain_version BIGINT NOT NULL DEFAULT nextval('public.edit_versions');
ALTER TABLE public.track_clips
  ADD COLUMN version BIGINT NOT NULL DEFAULT nextval('public.edit_versions');
ALTER TABLE public.projects
  ADD COLUMN settings_version BIGINT NOT NULL DEFAULT nextval('public.edit_versions'),
  ADD COLUMN chain_version BIGINT NOT NULL DEFAULT nextval('public.edit_versions'),
  ADD COLUMN master_version BIGINT NOT NULL DEFAULT nextval('public.edit_versions');

CREATE FUNCTION public.move_track_versions() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  NEW.version := OLD.version;
  NEW.chain_version := OLD.chain_version;
  IF (NEW.name, NEW.colour, NEW.volume_db, NEW.pan, NEW.muted, NEW.soloed)
     IS DISTINCT FROM (OLD.name, OLD.colour, OLD.volume_db, OLD.pan, OLD.muted, OLD.soloed) THEN
    NEW.version := nextval('public.edit_versions');
  END IF;
  IF NEW.effects_chain IS DISTINCT FROM OLD.effects_chain THEN
    NEW.chain_version := nextval('public.edit_versions');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER move_track_versions BEFORE UPDATE ON public.project_tracks
  FOR EACH ROW EXECUTE FUNCTION public.move_track_versions();

CREATE FUNCTION public.move_clip_version() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
  NEW.version := OLD.version;
  IF (NEW.track_id, NEW.take_key, NEW.start_frame, NEW.offset_frames, NEW.length_frames, NEW.gain_db,
      NEW.fade_in_frames, NEW.fade_out_frames)
     IS DISTINCT FROM (OLD.track_id, OLD.take_key, OLD.start_frame, OLD.offset_frames, OLD.length_frames,
                       OLD.gain_db, OLD.fade_in_frames, OLD.fade_out_frames) THEN
    NEW.version := nextval('public.edit_versions');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER move_clip_version BEFORE UPDATE ON public.track_clips
  FOR EACH ROW EXECUTE FUNCTION public.move_clip_version();

-- The project's settings are named by key, read through to_jsonb, so that settings later migrations add (whether to
-- allow comments, forking, the licence) count from the day their column exists without restating this function.
CREATE FUNCTION public.move_project_versions() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
  v_new jsonb := to_jsonb(NEW);
  v_old jsonb := to_jsonb(OLD);
BEGIN
  NEW.settings_version := OLD.settings_version;
  NEW.chain_version := OLD.chain_version;
  NEW.master_version := OLD.master_version;
  IF EXISTS (SELECT 1
               FROM unnest(ARRAY['title', 'description', 'genre', 'tags', 'is_public', 'metronome_bpm',
                                 'project_settings', 'comments_allowed', 'forkable', 'license']) AS k(key)
              WHERE v_new -> k.key IS DISTINCT FROM v_old -> k.key) THEN
    NEW.settings_version := nextval('public.edit_versions');
  END IF;
  IF NEW.effects_settings IS DISTINCT FROM OLD.effects_settings THEN
    NEW.chain_version := nextval('public.edit_versions');
  END IF;
  IF NEW.master_volume_db IS DISTINCT FROM OLD.master_volume_db THEN
    NEW.master_version := nextval('public.edit_versions');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER move_project_versions BEFORE UPDATE ON public.projects
  FOR EACH ROW EXECUTE FUNCTION public.move_project_versions();
