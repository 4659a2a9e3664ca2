-- NULL-safe access checks (issue 13, items 1 and 6).
--
-- In SQL a comparison with NULL is neither true nor false but NULL, and `NOT NULL` is NULL again. A policy or a
-- WHERE clause treats NULL as "no", so there a NULL fails closed. A plpgsql `IF cond THEN …` does not run its branch
-- when cond is NULL either, which fails OPEN when the branch is the refusal: `IF NOT (allowed) THEN refuse` lets
-- through everyone for whom `allowed` is NULL. For outsiders it usually is: auth.uid() is NULL for anonymous
-- callers, and project_access() is NULL for everyone without a relation to the project, so `project_access(p) IN
-- ('owner', 'admin')` is NULL, not false. The rule from here on (ARCHITECTURE.md, "NULL-safe rule"): a refusal is
-- taken unless the permission is TRUE — `IF (allowed) IS NOT TRUE THEN refuse` — and a column a check compares is
-- NOT NULL.
--
-- Audit of every SECURITY DEFINER function and policy up to V70 (latest definitions):
--   * cancel_job (V40): `IF v_job.id IS NULL OR NOT (… OR project_access(…) IN ('owner', 'admin'))` was NULL for
--     a stranger, a pending invitee or a collaborator of another project, so they cancelled the job (a running AI
--     transformation too) and learnt a finished job's state. Fixed below.
--   * guard_project_update (V20), guard_transformation_update (V3), guard_collaborator (V20): guard triggers of
--     the same shape, `IF NOT (OLD.status = … AND NEW.status …) THEN refuse`: a user could set a project's status
--     to NULL (escaping `processing`) and then to anything, a transformation's status to NULL (and rate it
--     unfinished), an invitation's status to NULL. Fixed below, and the status/role columns are NOT NULL now.
--   * request_transformation (V60): `IF v_preset.is_premium AND v_tier NOT IN (…)` let a preset whose is_premium
--     was NULL through for free users; is_premium is NOT NULL now (the function itself is unchanged).
--   * record_play, record_download (V20, V50): `IF NOT can_view_project(…)`; can_view_project answers EXISTS
--     (never NULL), so they were safe, but only by that accident; rewritten to the rule.
--   * Safe as written, left alone: is_admin, is_profile_public, can_view_project (EXISTS), project_access and
--     project_member_role (answer NULL by design; every caller now compares with IS TRUE or IS NULL),
--     usage_status, usage_summary, consume_usage, transfer_project (IS DISTINCT FROM and NULL tests),
--     admin_set_* and admin_user_usage (NOT is_admin(), never NULL), record_preset_use (a WHERE clause),
--     request_transformation (checks v_user IS NULL and v_access IS NULL first), my_invitations,
--     username_of, user_id_by_username, auth.session_is_live; the definer triggers decide nothing about callers.
--   * Policies: every USING and WITH CHECK is fail-closed on NULL (PostgreSQL admits a row only when the
--     expression is TRUE); the two that admit NULL on purpose are IS NOT DISTINCT FROM auth.uid() for anonymous
--     analytics events and error reports. The follows policy was wrong for another reason (section 4).
-- DefinerFunctionsIT calls every definer function an API role may execute as an outsider and checks that nothing
-- changes and nothing is revealed; it fails for a new definer function without a case.

------------------------------------------------------------------------------------------------------------------
-- 1. Jobs: cancelling and reading
------------------------------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.cancel_job(p_job_id uuid) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_job public.jobs;
BEGIN
  SELECT * INTO v_job FROM public.jobs j WHERE j.id = p_job_id FOR UPDATE;
  IF v_job.id IS NULL
     OR (v_job.user_id = auth.uid() OR public.is_admin() OR public.is_system()
         OR public.project_access(v_job.project_id) IN ('owner', 'admin')) IS NOT TRUE THEN
    RETURN NULL;
  END IF;
  IF v_job.status = 'queued' THEN
    UPDATE public.jobs SET status = 'cancelled', cancel_requested = true, finished_at = now(),
                           message = 'cancelled before it started'
    WHERE id = p_job_id;
    RETURN 'cancelled';
  ELSIF v_job.status = 'running' THEN
    UPDATE public.jobs SET cancel_requested = true WHERE id = p_job_id;
    RETURN 'running';
  END IF;
  RETURN v_job.status;
END;
$$;

-- Anonymous callers may ask for a job like anyone else and get "no such job": no policy gives anon a row, so the
-- database answers (nothing), not a refusal that would look different from a stranger's.
GRANT SELECT (id, kind, user_id, project_id, payload, status, progress, message, attempts, max_attempts, run_after,
              cancel_requested, result, error_code, error_message, created_at, started_at, finished_at, updated_at)
  ON public.jobs TO anon;

------------------------------------------------------------------------------------------------------------------
-- 2. Columns that checks compare are never NULL
------------------------------------------------------------------------------------------------------------------
-- Seed: status, role and is_public had defaults but allowed NULL, and a CHECK (x IN (…)) passes NULL.
UPDATE public.projects SET status = 'draft' WHERE status IS NULL;
UPDATE public.projects SET is_public = false WHERE is_public IS NULL;
ALTER TABLE public.projects ALTER COLUMN status SET NOT NULL, ALTER COLUMN is_public SET NOT NULL;
UPDATE public.ai_transformations SET status = 'failed' WHERE status IS NULL;
ALTER TABLE public.ai_transformations ALTER COLUMN status SET NOT NULL;
DELETE FROM public.project_collaborators WHERE status IS NULL OR role IS NULL;
ALTER TABLE public.project_collaborators ALTER COLUMN status SET NOT NULL, ALTER COLUMN role SET NOT NULL;
-- request_transformation refuses `IF v_preset.is_premium AND <free tier>`: a NULL is_premium was a free premium.
UPDATE public.ai_model_presets SET is_premium = false WHERE is_premium IS NULL;
ALTER TABLE public.ai_model_presets ALTER COLUMN is_premium SET NOT NULL;

------------------------------------------------------------------------------------------------------------------
-- 3. Guard triggers and definer functions, rewritten to the rule (each from its latest definition)
------------------------------------------------------------------------------------------------------------------
-- From V20.
CREATE OR REPLACE FUNCTION public.guard_project_update() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
DECLARE
  own_prefix text := 'projects/' || NEW.id::text || '/';
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF NEW.is_public IS DISTINCT FROM OLD.is_public
     AND (OLD.user_id = auth.uid() OR public.is_admin()) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the owner changes a project''s visibility' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status
     AND ((OLD.status = 'completed' AND NEW.status = 'archived')
          OR (OLD.status = 'archived' AND NEW.status = 'draft')) IS NOT TRUE THEN
    RAISE EXCEPTION 'a project''s status cannot move from % to %', OLD.status, NEW.status
      USING ERRCODE = 'check_violation', HINT = 'status_transition';
  END IF;
  IF (NEW.original_audio_path IS DISTINCT FROM OLD.original_audio_path AND NEW.original_audio_path IS NOT NULL
        AND starts_with(NEW.original_audio_path, own_prefix) IS NOT TRUE)
     OR (NEW.processed_audio_path IS DISTINCT FROM OLD.processed_audio_path AND NEW.processed_audio_path IS NOT NULL
        AND starts_with(NEW.processed_audio_path, own_prefix) IS NOT TRUE)
  THEN
    RAISE EXCEPTION 'audio of a project must be stored under its own key prefix'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

-- From V3.
CREATE OR REPLACE FUNCTION public.guard_transformation_update() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status
     AND (NEW.status = 'cancelled' AND OLD.status IN ('pending', 'processing')) IS NOT TRUE THEN
    RAISE EXCEPTION 'you can only cancel a pending or processing transformation' USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.user_rating IS DISTINCT FROM OLD.user_rating OR NEW.user_feedback IS DISTINCT FROM OLD.user_feedback)
     AND OLD.status IS DISTINCT FROM 'completed' THEN
    RAISE EXCEPTION 'only a completed transformation can be rated' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

-- From V20.
CREATE OR REPLACE FUNCTION public.guard_collaborator() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW.invited_by := auth.uid();
    NEW.status := 'pending';
    NEW.accepted_at := NULL;
    NEW.invited_at := now();
    IF NEW.user_id IS NOT DISTINCT FROM auth.uid() THEN
      RAISE EXCEPTION 'you cannot invite yourself' USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM public.projects p WHERE p.id = NEW.project_id AND p.user_id = NEW.user_id) THEN
      RAISE EXCEPTION 'the owner of a project cannot be invited to it' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.project_id IS DISTINCT FROM OLD.project_id THEN
    RAISE EXCEPTION 'an invitation cannot be moved' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF OLD.user_id IS DISTINCT FROM auth.uid() THEN
      RAISE EXCEPTION 'only the invitee answers an invitation' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (OLD.status = 'pending' AND NEW.status IN ('accepted', 'declined')) IS NOT TRUE THEN
      RAISE EXCEPTION 'an invitation moves only from pending to accepted or declined'
        USING ERRCODE = 'check_violation';
    END IF;
    NEW.accepted_at := CASE WHEN NEW.status = 'accepted' THEN now() END;
  END IF;
  IF (NEW.role IS DISTINCT FROM OLD.role OR NEW.permissions IS DISTINCT FROM OLD.permissions)
     AND OLD.user_id IS NOT DISTINCT FROM auth.uid() THEN
    RAISE EXCEPTION 'a collaborator cannot change their own role' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

-- From V20.
CREATE OR REPLACE FUNCTION public.record_play(p_project_id uuid) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_count integer;
BEGIN
  IF public.can_view_project(p_project_id) IS NOT TRUE THEN
    RETURN NULL;
  END IF;
  UPDATE public.projects SET play_count = play_count + 1, last_played_at = now()
  WHERE id = p_project_id RETURNING play_count INTO v_count;
  RETURN v_count;
END;
$$;

-- From V50.
CREATE OR REPLACE FUNCTION public.record_download(p_project_id uuid) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_count integer;
BEGIN
  IF public.can_view_project(p_project_id) IS NOT TRUE THEN
    RETURN NULL;
  END IF;
  UPDATE public.projects SET download_count = download_count + 1
  WHERE id = p_project_id RETURNING download_count INTO v_count;
  RETURN v_count;
END;
$$;

------------------------------------------------------------------------------------------------------------------
-- 4. Follows: what each viewer sees, counted as listed
------------------------------------------------------------------------------------------------------------------
-- V3/V10: a follow row was readable by anyone when the FOLLOWED profile was public, so "alice follows bob" leaked
-- alice's activity although alice's profile is private; and profiles showed follower_count (every follower) to
-- everyone while the list joined public_profiles (public followers only): "2 followers", one listed.
-- Now a follow row is visible to its two musicians, to administrators, and to everyone else only when both
-- profiles are public. A profile's counts, as others see them, count exactly those rows: its follows with public
-- profiles (kept in public_follower_count / public_following_count), plus the viewer's own follow with it when the
-- viewer's profile is private. The musician themself (and administrators) see every row and the full counts.
-- Lists read the rows under this policy, so list and count agree for every viewer.
DROP POLICY "Following relationships viewable" ON public.user_followers;
CREATE POLICY "Following relationships viewable" ON public.user_followers
  FOR SELECT TO anon, authenticated
  USING (follower_id = (SELECT auth.uid())
      OR following_id = (SELECT auth.uid())
      OR (public.is_profile_public(follower_id) AND public.is_profile_public(following_id))
      OR (SELECT public.is_admin()));

-- Follows whose other end is a public profile: what others may count. Written only by the triggers below.
ALTER TABLE public.profiles
  ADD COLUMN public_follower_count INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN public_following_count INTEGER NOT NULL DEFAULT 0;

-- From V10, with the public counts. Both profiles are locked (in id order, so two follows between the same pair
-- queue instead of deadlocking) before their privacy is read: a privacy change of either waits for this follow,
-- or this follow for it, so the counts always see one order of the two.
CREATE OR REPLACE FUNCTION public.track_follow_counts() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_follower uuid := CASE WHEN TG_OP = 'INSERT' THEN NEW.follower_id ELSE OLD.follower_id END;
  v_following uuid := CASE WHEN TG_OP = 'INSERT' THEN NEW.following_id ELSE OLD.following_id END;
  v_step integer := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
  v_follower_public boolean;
  v_following_public boolean;
BEGIN
  PERFORM 1 FROM public.profiles p WHERE p.id IN (v_follower, v_following) ORDER BY p.id FOR NO KEY UPDATE;
  -- a profile being deleted reads as private: its public follows were taken off when it went (below)
  v_follower_public := coalesce((SELECT p.preferences->>'profile_public' = 'true' FROM public.profiles p
                                  WHERE p.id = v_follower), false);
  v_following_public := coalesce((SELECT p.preferences->>'profile_public' = 'true' FROM public.profiles p
                                   WHERE p.id = v_following), false);
  UPDATE public.profiles SET
    follower_count = greatest(follower_count + v_step, 0),
    public_follower_count = greatest(public_follower_count + CASE WHEN v_follower_public THEN v_step ELSE 0 END, 0)
  WHERE id = v_following;
  UPDATE public.profiles SET
    following_count = greatest(following_count + v_step, 0),
    public_following_count = greatest(public_following_count + CASE WHEN v_following_public THEN v_step ELSE 0 END, 0)
  WHERE id = v_follower;
  RETURN NULL;
END;
$$;

-- A profile that becomes public (or private, or is deleted while public) moves its follows into (or out of) the
-- public counts of everyone on the other end. SECURITY DEFINER: the musician changing their privacy may not write
-- other profiles.
CREATE FUNCTION public.track_follow_privacy() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_was boolean := TG_OP <> 'INSERT' AND coalesce(OLD.preferences->>'profile_public' = 'true', false);
  v_is boolean := TG_OP = 'UPDATE' AND coalesce(NEW.preferences->>'profile_public' = 'true', false);
  v_user uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
  v_step integer;
BEGIN
  IF v_was = v_is THEN
    RETURN NULL;
  END IF;
  v_step := CASE WHEN v_is THEN 1 ELSE -1 END;
  UPDATE public.profiles p SET public_follower_count = greatest(p.public_follower_count + v_step, 0)
    FROM public.user_followers f WHERE f.follower_id = v_user AND p.id = f.following_id;
  UPDATE public.profiles p SET public_following_count = greatest(p.public_following_count + v_step, 0)
    FROM public.user_followers f WHERE f.following_id = v_user AND p.id = f.follower_id;
  RETURN NULL;
END;
$$;
CREATE TRIGGER track_follow_privacy AFTER UPDATE OF preferences OR DELETE ON public.profiles
  FOR EACH ROW EXECUTE FUNCTION public.track_follow_privacy();

-- Deleting an account cascades to its profile and to its follows, and both cascades ran before either counting
-- trigger did (tried: the followed profile's public count kept the follow), so neither trigger could tell whether
-- the leaver was public. The follows go first, while both profiles still say it. SECURITY DEFINER: a musician leaving may otherwise
-- delete only the follows they made, not those of the people following them.
CREATE FUNCTION public.forget_follows_of_leaving_user() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  DELETE FROM public.user_followers f WHERE f.follower_id = OLD.id OR f.following_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER forget_follows_of_leaving_user BEFORE DELETE ON auth.users
  FOR EACH ROW EXECUTE FUNCTION public.forget_follows_of_leaving_user();

-- Follows made before this migration.
UPDATE public.profiles p SET
  follower_count = (SELECT count(*) FROM public.user_followers f WHERE f.following_id = p.id),
  following_count = (SELECT count(*) FROM public.user_followers f WHERE f.follower_id = p.id),
  public_follower_count = (SELECT count(*) FROM public.user_followers f JOIN public.profiles q ON q.id = f.follower_id
                            WHERE f.following_id = p.id AND q.preferences->>'profile_public' = 'true'),
  public_following_count = (SELECT count(*) FROM public.user_followers f JOIN public.profiles q ON q.id = f.following_id
                             WHERE f.follower_id = p.id AND q.preferences->>'profile_public' = 'true');

-- V10's view, same columns: the counts are now what this viewer can list. The viewer's own follow of (or by) a
-- public profile is among the public follows when the viewer is public too; a private viewer's own follow is not,
-- and is added (it is theirs to see).
CREATE OR REPLACE VIEW public.public_profiles WITH (security_barrier = true) AS
  SELECT p.id, p.username, p.full_name, p.avatar_url, p.bio, p.website_url, p.created_at,
         (p.preferences->>'profile_public' = 'true') AS profile_public,
         CASE WHEN p.id = (SELECT auth.uid()) OR (SELECT public.is_admin()) THEN p.follower_count
              ELSE p.public_follower_count
                   + CASE WHEN (SELECT public.is_profile_public(auth.uid())) THEN 0
                          WHEN EXISTS (SELECT 1 FROM public.user_followers f
                                        WHERE f.follower_id = (SELECT auth.uid()) AND f.following_id = p.id) THEN 1
                          ELSE 0 END
         END AS follower_count,
         CASE WHEN p.id = (SELECT auth.uid()) OR (SELECT public.is_admin()) THEN p.following_count
              ELSE p.public_following_count
                   + CASE WHEN (SELECT public.is_profile_public(auth.uid())) THEN 0
                          WHEN EXISTS (SELECT 1 FROM public.user_followers f
                                        WHERE f.follower_id = p.id AND f.following_id = (SELECT auth.uid())) THEN 1
                          ELSE 0 END
         END AS following_count,
         lower(p.username) AS username_key
  FROM public.profiles p
  WHERE p.preferences->>'profile_public' = 'true'
     OR p.id = (SELECT auth.uid())
     OR (SELECT public.is_admin());
