-- AI plays along (issue 16): a transformation can hand back its arrangement as separate parts, one stored WAV per
-- instrument (strings, bass, drums, keys …), so a musician keeps them as tracks under the vocal and mixes, mutes or
-- replaces each. output_parts is [{ "role": "bass", "key": "transformations/<id>/part-bass.wav" }, …], written
-- from the job's result when it succeeds (like output_audio_path, V60), forgotten when the output expires.
--
-- Every part's object is referenced (V83) while the row names it: storage_keys_of and stored_object_referenced
-- learn of the parts, and the reference trigger on ai_transformations watches the new column too.

ALTER TABLE public.ai_transformations ADD COLUMN output_parts JSONB
  CHECK (output_parts IS NULL OR jsonb_typeof(output_parts) = 'array');
CREATE INDEX idx_ai_transformations_output_parts ON public.ai_transformations
  USING gin (output_parts jsonb_path_ops) WHERE output_parts IS NOT NULL;

CREATE OR REPLACE FUNCTION public.storage_keys_of(p_table text, p_row jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT array_remove(CASE p_table
    WHEN 'projects' THEN ARRAY[p_row->>'original_audio_path', p_row->>'processed_audio_path']
    WHEN 'project_versions' THEN ARRAY[p_row->>'audio_file_path', p_row->>'processed_audio_path']
    WHEN 'jobs' THEN CASE WHEN p_row->>'kind' IN ('export', 'stems') THEN ARRAY[p_row->'result'->>'key'] END
    WHEN 'ai_transformations' THEN ARRAY[p_row->>'output_audio_path', p_row->>'output_midi_path']
      || ARRAY(SELECT part->>'key' FROM jsonb_array_elements(
                 CASE WHEN jsonb_typeof(p_row->'output_parts') = 'array' THEN p_row->'output_parts'
                      ELSE '[]'::jsonb END) part)
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
      OR EXISTS (SELECT 1 FROM public.ai_transformations
                  WHERE output_parts @> jsonb_build_array(jsonb_build_object('key', p_key)))
      OR EXISTS (SELECT 1 FROM public.track_clips WHERE take_key = p_key)
      OR EXISTS (SELECT 1 FROM public.project_takes WHERE key = p_key)
      OR EXISTS (SELECT 1 FROM public.version_takes WHERE key = p_key)
$$;

DROP TRIGGER track_storage_references ON public.ai_transformations;
CREATE TRIGGER track_storage_references
  AFTER INSERT OR DELETE OR UPDATE OF output_audio_path, output_midi_path, output_parts ON public.ai_transformations
  FOR EACH ROW EXECUTE FUNCTION public.track_storage_references();

-- The parts arrive with the job's success, as the other outputs do (V60's sync_transformation_from_job, which
-- runs first: triggers fire in name order).
CREATE FUNCTION public.sync_transformation_parts_from_job() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF NEW.status = 'succeeded' AND jsonb_typeof(NEW.result->'output_parts') = 'array' THEN
    UPDATE public.ai_transformations t SET output_parts = NEW.result->'output_parts'
     WHERE t.job_id = NEW.id AND t.status <> 'cancelled';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER sync_transformation_parts_from_job
  AFTER UPDATE OF status, result ON public.jobs
  FOR EACH ROW WHEN (NEW.kind = 'transformation') EXECUTE FUNCTION public.sync_transformation_parts_from_job();
