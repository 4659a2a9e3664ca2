-- Versions keep the whole song (issue 16): besides the tracks and clips (V88), a version now keeps the rest of what
-- GET /projects/{id}/arrangement shows that lives on the project's row, and a restore brings it back exactly:
--   master.volume_db   projects.master_volume_db (the master fader, V91; NULL = −∞)
--   bpm                projects.metronome_bpm (the tempo the grid of bars and beats is drawn at)
--   beats_per_bar      projects.project_settings → metronome → beats_per_bar (the time signature)
-- The rest of the document was kept already or needs no keeping:
--   master.effects_chain  project_versions.effects_settings, restored by the restore itself (Projects.restore)
--   tracks and clips      project_versions.arrangement → tracks (V88)
--   sample_rate           the timeline's rate is never restored: once clips are counted at a rate it is fixed (V90),
--                         and every version that holds a clip was saved at that same rate (before it was fixed the
--                         rate was the take's, which only a replacement of the take changes, and that fixes it)
--
-- The snapshot (project_versions.arrangement) holds them beside "tracks", each as the column holds it:
--   {"tracks": [...], "master_volume_db": -3.0 | null, "metronome_bpm": 120 | null, "beats_per_bar": <any JSON> | null}
-- A key that is present is restored exactly (null included: a fader at −∞, a tempo or time signature never set).
--
-- Versions saved before this migration have none of these keys, and are restored so:
--   * the master fader to 0 dB. Every version older than V91 played its master at 0 dB (V91 added the fader at 0 dB,
--     and before it the mixdown had no master gain), so 0 dB is exactly how those versions sounded; leaving the
--     current fader would make an old version sound different from what was saved whenever the fader moved since.
--     Only versions saved between V91 and this migration held an unknown fader; they get 0 dB too. Nothing is lost
--     either way: the restore first saves what is current, fader included, as a new version.
--   * tempo and time signature as they are. Versions never kept them, and nothing says which they were (unlike the
--     fader, they were set by musicians long before), so a restore does not guess.
-- The same holds for versions without an arrangement (older than V88).

------------------------------------------------------------------------------------------------------------------
-- The snapshot (V88, restated): the tracks as before, and the project's master fader, tempo and time signature.
------------------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.arrangement_snapshot(p_project uuid) RETURNS jsonb
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT jsonb_build_object(
           'tracks', (SELECT coalesce(jsonb_agg(
                               to_jsonb(t) - 'project_id' || jsonb_build_object('clips', (
                                 SELECT coalesce(jsonb_agg(to_jsonb(c) - 'project_id' - 'track_id'
                                                           ORDER BY c.start_frame, c.created_at, c.id), '[]'::jsonb)
                                   FROM public.track_clips c WHERE c.track_id = t.id))
                               ORDER BY t.position), '[]'::jsonb)
                        FROM public.project_tracks t WHERE t.project_id = p.id),
           'master_volume_db', p.master_volume_db,
           'metronome_bpm', p.metronome_bpm,
           'beats_per_bar', CASE WHEN jsonb_typeof(p.project_settings->'metronome') = 'object'
                                 THEN p.project_settings->'metronome'->'beats_per_bar' END)
    FROM public.projects p WHERE p.id = p_project
$$;
REVOKE EXECUTE ON FUNCTION public.arrangement_snapshot(uuid) FROM PUBLIC;

------------------------------------------------------------------------------------------------------------------
-- The restore (V88, restated): the project's fader, tempo and time signature first, then the tracks and clips.
------------------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.restore_arrangement(p_version uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_project uuid;
  v_number integer;
  v_arrangement jsonb;
  v_settings jsonb;
  v_metronome jsonb;
BEGIN
  SELECT v.project_id, v.version_number, v.arrangement INTO v_project, v_number, v_arrangement
    FROM public.project_versions v WHERE v.id = p_version;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such version' USING ERRCODE = 'no_data_found';
  END IF;
  IF public.is_system() IS NOT TRUE AND public.can_edit_project(v_project) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the owner and editors restore versions' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT p.project_settings INTO v_settings FROM public.projects p WHERE p.id = v_project FOR NO KEY UPDATE;

  -- the master fader: as saved, or 0 dB for a version saved before faders were kept (see above)
  UPDATE public.projects p
     SET master_volume_db = CASE WHEN v_arrangement ? 'master_volume_db'
                                 THEN (v_arrangement->>'master_volume_db')::double precision
                                 ELSE 0 END
   WHERE p.id = v_project AND p.master_volume_db IS DISTINCT FROM
         (CASE WHEN v_arrangement ? 'master_volume_db'
               THEN (v_arrangement->>'master_volume_db')::double precision ELSE 0 END);

  -- tempo and time signature: as saved, when the version kept them
  IF (v_arrangement ? 'metronome_bpm') IS TRUE THEN
    UPDATE public.projects p SET metronome_bpm = (v_arrangement->>'metronome_bpm')::integer
     WHERE p.id = v_project AND p.metronome_bpm IS DISTINCT FROM (v_arrangement->>'metronome_bpm')::integer;
  END IF;
  IF (v_arrangement ? 'beats_per_bar') IS TRUE
     AND (CASE WHEN jsonb_typeof(v_settings->'metronome') = 'object' THEN v_settings->'metronome'->'beats_per_bar' END)
         IS DISTINCT FROM nullif(v_arrangement->'beats_per_bar', 'null'::jsonb) THEN
    -- project_settings holds other things a client keeps: only the time signature changes
    v_settings := CASE WHEN jsonb_typeof(v_settings) = 'object' THEN v_settings ELSE '{}'::jsonb END;
    v_metronome := CASE WHEN jsonb_typeof(v_settings->'metronome') = 'object' THEN v_settings->'metronome'
                        ELSE '{}'::jsonb END;
    v_metronome := CASE WHEN jsonb_typeof(v_arrangement->'beats_per_bar') = 'null'
                        THEN v_metronome - 'beats_per_bar'
                        ELSE v_metronome || jsonb_build_object('beats_per_bar', v_arrangement->'beats_per_bar') END;
    UPDATE public.projects p SET project_settings = v_settings || jsonb_build_object('metronome', v_metronome)
     WHERE p.id = v_project;
  END IF;

  IF v_arrangement IS NULL THEN
    RETURN; -- a version older than V88: the tracks stay as the take's change left them (V85)
  END IF;
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
