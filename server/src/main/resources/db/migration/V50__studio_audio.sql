-- Audio in the studio: uploads with exact storage accounting, playback and export downloads, effects presets with
-- ratings. Every grant, policy and definer function below says why it exists.

------------------------------------------------------------------------------------------------------------------
-- 1. Projects: the channel count of the uploaded audio
------------------------------------------------------------------------------------------------------------------
ALTER TABLE public.projects ADD COLUMN channels SMALLINT CHECK (channels BETWEEN 1 AND 8);
-- Grant: whoever may attach audio (owner, editors: the existing UPDATE policies decide) records its channel count
-- together with duration_seconds and sample_rate, which V3 already grants.
GRANT UPDATE (channels) ON public.projects TO authenticated;

------------------------------------------------------------------------------------------------------------------
-- 2. Storage: the storage_mb ledger and profiles.storage_used_mb
------------------------------------------------------------------------------------------------------------------
-- An upload is charged to the uploader (like a shared drive: what you put into someone else's folder counts against
-- your quota) through consume_usage(), with metadata {"key": <storage key>}. The charge is released (a negative
-- row, written by the trigger below as the definer) when the project stops using that key: the original is
-- replaced or removed, or the project is deleted. profiles.storage_used_mb is the sum of the ledger, kept by a
-- trigger on the ledger itself, so it is exact by construction and users cannot write it (V3 grants no column).
CREATE INDEX idx_usage_tracking_storage_key ON public.usage_tracking ((metadata->>'key'))
  WHERE resource_type = 'storage_mb';
CREATE INDEX idx_usage_tracking_storage_resource ON public.usage_tracking (resource_id)
  WHERE resource_type = 'storage_mb';

CREATE FUNCTION public.track_storage_used() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  UPDATE public.profiles SET storage_used_mb = greatest(storage_used_mb + NEW.quantity::integer, 0)
  WHERE id = NEW.user_id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER track_storage_used AFTER INSERT ON public.usage_tracking
  FOR EACH ROW WHEN (NEW.resource_type = 'storage_mb') EXECUTE FUNCTION public.track_storage_used();

-- Gives back what is still charged for one stored object (by key) or for every object of a project (by project).
CREATE FUNCTION public.release_project_storage(p_project_id uuid, p_key text, p_reason text) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
  INSERT INTO public.usage_tracking (user_id, resource_type, resource_id, quantity, unit, metadata)
  SELECT t.user_id, 'storage_mb', p_project_id, -sum(t.quantity), 'mb',
         jsonb_build_object('key', t.metadata->>'key', 'reason', p_reason)
  FROM public.usage_tracking t
  WHERE t.resource_type = 'storage_mb'
    AND (CASE WHEN p_key IS NULL THEN t.resource_id = p_project_id ELSE t.metadata->>'key' = p_key END)
    AND EXISTS (SELECT 1 FROM auth.users u WHERE u.id = t.user_id)
  GROUP BY t.user_id, t.metadata->>'key'
  HAVING sum(t.quantity) > 0
$$;
-- Not callable by users: only the trigger below (running as the definer) releases storage.
REVOKE EXECUTE ON FUNCTION public.release_project_storage(uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.release_project_storage(uuid, text, text) TO service_role;

CREATE FUNCTION public.release_replaced_audio() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM public.release_project_storage(OLD.id, NULL, 'project deleted');
    RETURN OLD;
  END IF;
  IF OLD.original_audio_path IS NOT NULL AND OLD.original_audio_path IS DISTINCT FROM NEW.original_audio_path THEN
    PERFORM public.release_project_storage(OLD.id, OLD.original_audio_path,
      CASE WHEN NEW.original_audio_path IS NULL THEN 'audio removed' ELSE 'audio replaced' END);
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER release_replaced_audio AFTER UPDATE OF original_audio_path OR DELETE ON public.projects
  FOR EACH ROW EXECUTE FUNCTION public.release_replaced_audio();

------------------------------------------------------------------------------------------------------------------
-- 3. Downloads
------------------------------------------------------------------------------------------------------------------
-- download_count is a counter users cannot write (V3); anyone who can see the project counts one download of a
-- finished export through this definer function, as play_count works through record_play().
CREATE FUNCTION public.record_download(p_project_id uuid) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_count integer;
BEGIN
  IF NOT public.can_view_project(p_project_id) THEN
    RETURN NULL;
  END IF;
  UPDATE public.projects SET download_count = download_count + 1
  WHERE id = p_project_id RETURNING download_count INTO v_count;
  RETURN v_count;
END;
$$;
GRANT EXECUTE ON FUNCTION public.record_download(uuid) TO anon, authenticated, service_role;

------------------------------------------------------------------------------------------------------------------
-- 4. Effects presets: uses and ratings
------------------------------------------------------------------------------------------------------------------
-- usage_count is not granted to users (V3); applying a preset the caller can see counts one use.
CREATE FUNCTION public.record_preset_use(p_preset_id uuid) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_count integer;
BEGIN
  UPDATE public.effects_presets p SET usage_count = usage_count + 1
  WHERE p.id = p_preset_id
    AND (p.is_public OR p.is_system_preset OR p.user_id = auth.uid() OR public.is_admin() OR public.is_system())
  RETURNING usage_count INTO v_count;
  RETURN v_count;
END;
$$;
GRANT EXECUTE ON FUNCTION public.record_preset_use(uuid) TO authenticated, service_role;

-- Seed: rating_average and rating_count existed without any ratings behind them, so they could only be faked.
-- One rating per user per preset; the two columns are recomputed from this table by a trigger.
CREATE TABLE public.effects_preset_ratings (
  preset_id UUID NOT NULL REFERENCES public.effects_presets ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES auth.users ON DELETE CASCADE,
  rating SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
  PRIMARY KEY (preset_id, user_id)
);
CREATE INDEX idx_effects_preset_ratings_user ON public.effects_preset_ratings (user_id);
CREATE TRIGGER update_effects_preset_ratings_updated_at BEFORE UPDATE ON public.effects_preset_ratings
  FOR EACH ROW EXECUTE FUNCTION public.update_updated_at_column();
ALTER TABLE public.effects_preset_ratings ENABLE ROW LEVEL SECURITY;

-- Users see their own ratings (the aggregate is on the preset) and rate presets they can see, as themselves.
CREATE POLICY "Users see own ratings" ON public.effects_preset_ratings
  FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
CREATE POLICY "Users rate presets they can see" ON public.effects_preset_ratings
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid())
              AND EXISTS (SELECT 1 FROM public.effects_presets p WHERE p.id = preset_id));
CREATE POLICY "Users change own ratings" ON public.effects_preset_ratings
  FOR UPDATE TO authenticated
  USING (user_id = (SELECT auth.uid())) WITH CHECK (user_id = (SELECT auth.uid()));
CREATE POLICY "Users remove own ratings" ON public.effects_preset_ratings
  FOR DELETE TO authenticated USING (user_id = (SELECT auth.uid()));
-- Grants: a user writes only which preset and how many stars; the rest is defaults and triggers.
-- anon may read the table (a preset listing asks for "my rating" of everyone); no policy gives anon any row.
GRANT SELECT ON public.effects_preset_ratings TO anon, authenticated;
GRANT INSERT (preset_id, user_id, rating), UPDATE (rating), DELETE ON public.effects_preset_ratings TO authenticated;
GRANT ALL ON public.effects_preset_ratings TO service_role;

-- Exact under concurrent ratings: the preset row is locked first (NO KEY UPDATE: it does not conflict with the
-- KEY SHARE lock the rating's foreign key check already holds, which FOR UPDATE would turn into deadlocks), and only then (a new statement, so a new
-- snapshot under READ COMMITTED) the aggregate is computed, so it sees every rating committed before the lock was
-- granted plus this transaction's own. Recomputing (rather than adding deltas) also heals any drift.
CREATE FUNCTION public.track_preset_rating() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_preset uuid := coalesce(NEW.preset_id, OLD.preset_id);
BEGIN
  PERFORM 1 FROM public.effects_presets p WHERE p.id = v_preset FOR NO KEY UPDATE;
  UPDATE public.effects_presets p
     SET rating_count = agg.n, rating_average = round(coalesce(agg.average, 0), 2)
    FROM (SELECT count(*)::integer AS n, avg(r.rating) AS average
            FROM public.effects_preset_ratings r WHERE r.preset_id = v_preset) agg
   WHERE p.id = v_preset;
  RETURN NULL;
END;
$$;
CREATE TRIGGER track_preset_rating AFTER INSERT OR UPDATE OR DELETE ON public.effects_preset_ratings
  FOR EACH ROW EXECUTE FUNCTION public.track_preset_rating();

CREATE INDEX idx_effects_presets_listing ON public.effects_presets (created_at DESC, id DESC);
