-- Mixdowns and stems (issue 16): two job kinds musicians queue themselves.
--
--   mixdown  the arrangement (tracks, clips, the master chain) mixed into the project's processed audio;
--   stems    a zip of one WAV per track plus the mix, downloaded like an export and kept (and charged) while its
--            job exists.
--
-- 1. Queueing. Whoever may change the arrangement (V85: can_edit_project — the owner, editor and admin collaborators,
--    site administrators) may queue both kinds for themselves. V40's policy for renders and exports stays as it is;
--    policies for INSERT are permissive, so this one only adds the two kinds. NULL-safe: auth.uid() is NULL for
--    anonymous callers and a NULL comparison fails the check; can_edit_project answers true or false and is compared
--    with IS TRUE all the same, so the rule holds whatever a later version of it answers.
--
-- 2. References (V83). A stems job's result names its zip by key, as an export's does, so the zip stays registered and
--    charged exactly while the job exists: storage_keys_of (the keys a row holds, for the reference trigger) and
--    stored_object_referenced (the sweeper's and the release's question) learn of the new kind. Both are extended
--    by wrapping, not by restating their bodies: the current definitions (V85's, or those of any migration before
--    this one) are kept under a new name and called first, so nothing another migration added to them is lost.
--    A mixdown's result names the project's processed audio, which the project row references (like a render).

------------------------------------------------------------------------------------------------------------------
-- 1. Editors queue mixdowns and stems
------------------------------------------------------------------------------------------------------------------
CREATE POLICY "Editors queue mixdowns and stems" ON public.jobs
  FOR INSERT TO authenticated
  WITH CHECK (user_id = (SELECT auth.uid()) AND kind IN ('mixdown', 'stems')
              AND public.can_edit_project(project_id) IS TRUE);

------------------------------------------------------------------------------------------------------------------
-- 2. A stems job's zip is referenced by its result
------------------------------------------------------------------------------------------------------------------
CREATE INDEX idx_jobs_stems_result_key ON public.jobs ((result->>'key')) WHERE kind = 'stems';

ALTER FUNCTION public.storage_keys_of(text, jsonb) RENAME TO storage_keys_of_before_stems;

CREATE FUNCTION public.storage_keys_of(p_table text, p_row jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  SET search_path = ''
AS $$
  SELECT CASE WHEN p_table = 'jobs' AND p_row->>'kind' = 'stems'
              THEN array_remove(ARRAY[p_row->'result'->>'key'], NULL)
              ELSE public.storage_keys_of_before_stems(p_table, p_row) END
$$;

ALTER FUNCTION public.stored_object_referenced(text) RENAME TO stored_object_referenced_before_stems;

CREATE FUNCTION public.stored_object_referenced(p_key text) RETURNS boolean
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT public.stored_object_referenced_before_stems(p_key)
      OR EXISTS (SELECT 1 FROM public.jobs WHERE kind = 'stems' AND result->>'key' = p_key)
$$;
REVOKE EXECUTE ON FUNCTION public.stored_object_referenced(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.stored_object_referenced(text) TO service_role;
