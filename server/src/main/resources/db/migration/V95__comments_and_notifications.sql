-- Comments on the timeline and notifications (issue 17, parts 3 and 4).
--
-- 1. projects.comments_allowed: whether signed-in listeners may comment on a public project (the owner decides).
-- 2. project_comments: a comment on a project, optionally at a time range and on a track, or a reply to one. Replies
--    are one level deep: a reply to a reply attaches to its thread's first comment. @mentions of people who can see
--    the project are kept in `mentioned`. Row-level security decides who reads and writes:
--      read:    whoever can see the project (anonymous listeners too, on a public project);
--      write:   the owner and accepted collaborators (viewers included), and on a public project whose owner
--               allows it, any signed-in listener;
--      edit:    the author, while they may still comment;
--      resolve: the project's owner, admins and editors (and site administrators), a thread at a time;
--      delete:  the author, or the project's owner and collaborator admins (and site administrators) as moderation.
--    Deleting the first comment of a thread that has replies keeps the replies: the comment stays as a tombstone
--    (no author, no text, `deleted_at` set); when its last reply goes, the tombstone goes too.
-- 3. notifications: one row per person told of something, written only by the triggers below (SECURITY DEFINER,
--    in the transaction of what caused it), read and marked read by its recipient. A row keeps ids, never a title:
--    the API resolves titles when the recipient reads, through row-level security, so someone who cannot see a
--    private project never reads its title. Nobody is notified of their own actions (a CHECK says so). Each new row
--    sends pg_notify('user_notifications', '<recipient id>:<notification id>') for live delivery.
--
-- Every check compares NULL-safely (V80): a refusal is taken unless the permission IS TRUE.

------------------------------------------------------------------------------------------------------------------
-- 1. Whether listeners may comment on a public project
------------------------------------------------------------------------------------------------------------------
ALTER TABLE public.projects ADD COLUMN comments_allowed boolean NOT NULL DEFAULT false;
GRANT UPDATE (comments_allowed) ON public.projects TO authenticated;

-- Editors may update a project's row (its content); this choice is the owner's, as visibility is (V80's guard).
CREATE FUNCTION public.guard_project_comments_allowed() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF NEW.comments_allowed IS DISTINCT FROM OLD.comments_allowed
     AND (OLD.user_id = auth.uid() OR public.is_admin()) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the owner decides whether listeners may comment' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER guard_project_comments_allowed BEFORE UPDATE OF comments_allowed ON public.projects
  FOR EACH ROW EXECUTE FUNCTION public.guard_project_comments_allowed();

------------------------------------------------------------------------------------------------------------------
-- 2. Comments
------------------------------------------------------------------------------------------------------------------
CREATE TABLE public.project_comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES public.projects ON DELETE CASCADE,
  -- the thread's first comment, for a reply; never a reply itself (the insert guard attaches to the root)
  parent_id uuid,
  -- NULL only for a tombstone; an account's deletion deletes its comments (or tombstones its threads)
  author_id uuid REFERENCES auth.users ON DELETE CASCADE,
  body text NOT NULL,
  at_seconds numeric(9, 3),
  end_seconds numeric(9, 3),
  -- where a thread sorts by time: its start in milliseconds, unplaced threads after every placed one. An integer,
  -- so that a page's keyset (position_ms, created_at, id) > (…) is an index condition under row-level security
  -- (the comparisons of bigint, timestamptz and uuid are leakproof; numeric's are not, and a row filter that is not
  -- leakproof is applied only after the policy, row by row, from the start of the list)
  position_ms bigint GENERATED ALWAYS AS (coalesce((at_seconds * 1000)::bigint, 86401000)) STORED,
  -- a track of the project when the comment was made; no foreign key, so that a version restore, which puts tracks
  -- back with their ids, finds its comments again (a comment whose track is gone shows on the project)
  track_id uuid,
  -- who was @mentioned and can see the project; written by a trigger from the body, never by users
  mentioned uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  edited_at timestamptz,
  resolved_at timestamptz,
  resolved_by uuid REFERENCES auth.users ON DELETE SET NULL,
  deleted_at timestamptz,
  UNIQUE (id, project_id),
  FOREIGN KEY (parent_id, project_id) REFERENCES public.project_comments (id, project_id) ON DELETE CASCADE,
  CONSTRAINT project_comments_body CHECK (CASE WHEN deleted_at IS NULL
                                               THEN author_id IS NOT NULL AND char_length(body) BETWEEN 1 AND 2000
                                               ELSE body = '' AND author_id IS NULL END),
  CONSTRAINT project_comments_at CHECK (at_seconds IS NULL OR at_seconds BETWEEN 0 AND 86400),
  CONSTRAINT project_comments_end CHECK (end_seconds IS NULL
                                         OR (at_seconds IS NOT NULL AND end_seconds BETWEEN at_seconds AND 86400)),
  -- a reply takes its thread's place on the timeline and is resolved with it
  CONSTRAINT project_comments_reply CHECK (parent_id IS NULL
                                           OR (at_seconds IS NULL AND end_seconds IS NULL AND track_id IS NULL
                                               AND resolved_at IS NULL)),
  CONSTRAINT project_comments_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
);
COMMENT ON TABLE public.project_comments IS 'Comments on a project''s timeline, with one level of replies (V95)';
-- the two orders threads are listed in (oldest first; by time position, unplaced last, then oldest first)
CREATE INDEX project_comments_threads ON public.project_comments (project_id, created_at, id)
  WHERE parent_id IS NULL;
CREATE INDEX project_comments_positions ON public.project_comments (project_id, position_ms, created_at, id)
  WHERE parent_id IS NULL;
CREATE INDEX project_comments_replies ON public.project_comments (parent_id, created_at, id)
  WHERE parent_id IS NOT NULL;
CREATE INDEX project_comments_author ON public.project_comments (author_id);

-- Whether the caller may comment on a project: its owner or an accepted collaborator, or any signed-in listener of
-- a public project whose owner allows comments. What the INSERT policy and the edit guard ask, and what the API
-- tells a client before it shows a comment box. Invoker (the caller's view of the project decides), plpgsql
-- (planned once per connection), never NULL.
CREATE FUNCTION public.may_comment(p_project_id uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE
  SET search_path = ''
AS $$
BEGIN
  RETURN coalesce(auth.uid() IS NOT NULL
                  AND (public.project_access(p_project_id) IS NOT NULL
                       OR EXISTS (SELECT 1 FROM public.projects p
                                   WHERE p.id = p_project_id AND p.is_public AND p.comments_allowed)), false);
END;
$$;
REVOKE ALL ON FUNCTION public.may_comment(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.may_comment(uuid) TO authenticated, service_role;

-- Whether a given user (not the caller) can see a project: what can_view_project() answers them. For the triggers
-- below, which choose whom to tell; not executable by the API roles.
CREATE FUNCTION public.user_sees_project(p_user_id uuid, p_project_id uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN p_user_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM public.projects p
     WHERE p.id = p_project_id
       AND (p.is_public OR p.user_id = p_user_id
            OR EXISTS (SELECT 1 FROM public.project_collaborators c
                        WHERE c.project_id = p.id AND c.user_id = p_user_id AND c.status = 'accepted')
            OR EXISTS (SELECT 1 FROM public.user_roles r WHERE r.user_id = p_user_id AND r.role = 'admin')));
END;
$$;
REVOKE ALL ON FUNCTION public.user_sees_project(uuid, uuid) FROM PUBLIC;

ALTER TABLE public.project_comments ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.project_comments TO anon, authenticated;
GRANT INSERT (project_id, parent_id, body, at_seconds, end_seconds, track_id) ON public.project_comments
  TO authenticated;
GRANT UPDATE (body, resolved_at) ON public.project_comments TO authenticated;
GRANT DELETE ON public.project_comments TO authenticated;
GRANT ALL ON public.project_comments TO service_role;

CREATE POLICY "Whoever sees a project reads its comments" ON public.project_comments
  FOR SELECT TO anon, authenticated
  USING (public.can_view_project(project_id) IS TRUE);
CREATE POLICY "Members, and listeners where the owner allows it, comment" ON public.project_comments
  FOR INSERT TO authenticated
  WITH CHECK ((author_id = (SELECT auth.uid()) AND public.may_comment(project_id)) IS TRUE);
-- which columns each may change is the guards' (below): the author the text, editors the resolution
CREATE POLICY "Authors edit and editors resolve comments" ON public.project_comments
  FOR UPDATE TO authenticated
  USING ((public.can_view_project(project_id)
          AND (author_id = (SELECT auth.uid()) OR public.can_edit_project(project_id))) IS TRUE)
  WITH CHECK ((public.can_view_project(project_id)
               AND (author_id = (SELECT auth.uid()) OR public.can_edit_project(project_id))) IS TRUE);
CREATE POLICY "Authors, and the project's owner and admins, delete comments" ON public.project_comments
  FOR DELETE TO authenticated
  USING ((public.can_view_project(project_id)
          AND (author_id = (SELECT auth.uid())
               OR coalesce(public.project_access(project_id) IN ('owner', 'admin'), false)
               OR public.is_admin())) IS TRUE);

-- A new comment: its author is the caller, it starts unedited and unresolved; a reply to a reply attaches to the
-- thread's first comment; the parent and the track must be the project's (a foreign key violation: 422). Invoker:
-- the caller sees the parent and the track exactly when they can see the project.
CREATE FUNCTION public.guard_comment_insert() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
DECLARE
  v_parent_id uuid;
  v_root_id uuid;
BEGIN
  IF NOT public.is_trusted_writer() THEN
    NEW.author_id := auth.uid();
    NEW.created_at := now();
    NEW.edited_at := NULL;
    NEW.resolved_at := NULL;
    NEW.resolved_by := NULL;
    NEW.deleted_at := NULL;
  END IF;
  IF NEW.parent_id IS NOT NULL THEN
    SELECT c.id, c.parent_id INTO v_parent_id, v_root_id FROM public.project_comments c
     WHERE c.id = NEW.parent_id AND c.project_id = NEW.project_id;
    IF v_parent_id IS NULL THEN
      RAISE EXCEPTION 'no such comment on this project' USING ERRCODE = 'foreign_key_violation';
    END IF;
    NEW.parent_id := coalesce(v_root_id, v_parent_id);
    -- a thread is read whole: it stays of a size one page can carry
    IF (SELECT count(*) FROM public.project_comments r WHERE r.parent_id = NEW.parent_id) >= 500 THEN
      RAISE EXCEPTION 'this thread has 500 replies; start a new one' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF NEW.track_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.project_tracks t
                                               WHERE t.id = NEW.track_id AND t.project_id = NEW.project_id) THEN
    RAISE EXCEPTION 'no such track in this project' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER project_comments_a_guard_insert BEFORE INSERT ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.guard_comment_insert();

-- Changing the text: its author only, while they may comment, never a deleted comment; marks it edited. Fires
-- whenever a statement sets body, changed or not, so an unchanged text is no way around the check.
CREATE FUNCTION public.guard_comment_text() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF OLD.deleted_at IS NOT NULL THEN
    RAISE EXCEPTION 'a deleted comment cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (OLD.author_id = auth.uid() AND public.may_comment(OLD.project_id)) IS NOT TRUE THEN
    RAISE EXCEPTION 'only its author changes a comment' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.body IS DISTINCT FROM OLD.body THEN
    NEW.edited_at := now();
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER project_comments_a_guard_text BEFORE UPDATE OF body ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.guard_comment_text();

-- Resolving and reopening: editors and up, a thread's first comment only; the time and who resolved are set here.
CREATE FUNCTION public.guard_comment_resolution() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  IF public.is_trusted_writer() THEN
    RETURN NEW;
  END IF;
  IF public.can_edit_project(OLD.project_id) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the project''s owner, admins and editors resolve comments'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.parent_id IS NOT NULL THEN
    RAISE EXCEPTION 'a reply is resolved with its thread' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.resolved_at IS NULL THEN
    NEW.resolved_by := NULL;
  ELSE
    NEW.resolved_at := now();
    NEW.resolved_by := auth.uid();
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER project_comments_a_guard_resolution BEFORE UPDATE OF resolved_at ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.guard_comment_resolution();

-- The people a text @mentions who can see the project (at most 20 names are looked at). Definer: whether someone
-- else sees a project is not the caller's to read.
CREATE FUNCTION public.mentioned_in(p_project_id uuid, p_body text) RETURNS uuid[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN coalesce((
    SELECT array_agg(pr.id ORDER BY pr.id)
      FROM (SELECT DISTINCT lower(m[1]) AS name
              FROM regexp_matches(coalesce(p_body, ''),
                                  '(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])', 'g') AS m
             LIMIT 20) names
      JOIN public.profiles pr ON lower(pr.username) = names.name
     WHERE public.user_sees_project(pr.id, p_project_id)), '{}');
END;
$$;
REVOKE ALL ON FUNCTION public.mentioned_in(uuid, text) FROM PUBLIC;

-- Runs after the guards (triggers of one event fire in name order): the mentions follow the text.
CREATE FUNCTION public.keep_comment_mentions() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  NEW.mentioned := CASE WHEN NEW.deleted_at IS NULL THEN public.mentioned_in(NEW.project_id, NEW.body) ELSE '{}' END;
  RETURN NEW;
END;
$$;
CREATE TRIGGER project_comments_b_mentions BEFORE INSERT OR UPDATE OF body ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.keep_comment_mentions();

-- Deleting the first comment of a thread with replies leaves a tombstone, so others' replies stay; deleting a
-- project (the project row is already gone when its comments' turn comes) deletes everything.
CREATE FUNCTION public.keep_thread_of_deleted_comment() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF OLD.parent_id IS NOT NULL
     OR NOT EXISTS (SELECT 1 FROM public.projects p WHERE p.id = OLD.project_id)
     OR NOT EXISTS (SELECT 1 FROM public.project_comments r WHERE r.parent_id = OLD.id) THEN
    RETURN OLD;
  END IF;
  IF OLD.deleted_at IS NULL THEN
    UPDATE public.project_comments
       SET body = '', author_id = NULL, deleted_at = now(), edited_at = NULL
     WHERE id = OLD.id;
    -- what it told people goes with its words
    DELETE FROM public.notifications n WHERE n.comment_id = OLD.id;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER project_comments_keep_thread BEFORE DELETE ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.keep_thread_of_deleted_comment();

-- A tombstone whose last reply went goes too.
CREATE FUNCTION public.drop_empty_tombstone() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF OLD.parent_id IS NOT NULL THEN
    DELETE FROM public.project_comments c
     WHERE c.id = OLD.parent_id AND c.deleted_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM public.project_comments r WHERE r.parent_id = c.id);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER project_comments_drop_empty_tombstone AFTER DELETE ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.drop_empty_tombstone();

------------------------------------------------------------------------------------------------------------------
-- 3. Notifications
------------------------------------------------------------------------------------------------------------------
CREATE TABLE public.notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_id uuid NOT NULL REFERENCES auth.users ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN (
    'invitation_received', 'invitation_accepted', 'invitation_declined',
    'transfer_offer_received', 'transfer_offer_accepted', 'transfer_offer_declined',
    'comment', 'comment_reply', 'comment_mention',
    'project_liked', 'project_forked', 'followed',
    'job_succeeded', 'job_failed')),
  -- who did it (NULL: the system, or an account since deleted)
  actor_id uuid REFERENCES auth.users ON DELETE SET NULL,
  -- what it is about: ids only, never a title (titles are resolved when the recipient reads)
  project_id uuid REFERENCES public.projects ON DELETE CASCADE,
  comment_id uuid REFERENCES public.project_comments ON DELETE CASCADE,
  invitation_id uuid REFERENCES public.project_collaborators ON DELETE SET NULL,
  offer_id uuid REFERENCES public.project_transfer_offers ON DELETE CASCADE,
  job_id uuid REFERENCES public.jobs ON DELETE SET NULL,
  -- small facts that are not secrets: the role of an invitation, the kind of a job, which thread of a reply
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  CONSTRAINT notifications_not_of_own_actions CHECK (actor_id IS DISTINCT FROM recipient_id)
);
COMMENT ON TABLE public.notifications IS 'What each musician is told; written only by V95''s triggers';
CREATE INDEX notifications_recipient ON public.notifications (recipient_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON public.notifications (recipient_id) WHERE read_at IS NULL;
CREATE INDEX notifications_project ON public.notifications (project_id) WHERE project_id IS NOT NULL;
CREATE INDEX notifications_comment ON public.notifications (comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX notifications_invitation ON public.notifications (invitation_id) WHERE invitation_id IS NOT NULL;
CREATE INDEX notifications_offer ON public.notifications (offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX notifications_job ON public.notifications (job_id) WHERE job_id IS NOT NULL;
CREATE INDEX notifications_actor ON public.notifications (actor_id) WHERE actor_id IS NOT NULL;

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;
-- Read and marked read by the recipient only; written only by the definer functions below (no INSERT grant).
GRANT SELECT, UPDATE (read_at) ON public.notifications TO authenticated;
GRANT ALL ON public.notifications TO service_role;
CREATE POLICY "Recipients read their notifications" ON public.notifications
  FOR SELECT TO authenticated
  USING ((recipient_id = (SELECT auth.uid())) IS TRUE);
CREATE POLICY "Recipients mark their notifications read" ON public.notifications
  FOR UPDATE TO authenticated
  USING ((recipient_id = (SELECT auth.uid())) IS TRUE)
  WITH CHECK ((recipient_id = (SELECT auth.uid())) IS TRUE);

-- Live delivery: the recipient's id and the notification's, on one channel, in the inserting transaction.
CREATE FUNCTION public.announce_notification() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  PERFORM pg_notify('user_notifications', NEW.recipient_id::text || ':' || NEW.id::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER announce_notification AFTER INSERT ON public.notifications
  FOR EACH ROW EXECUTE FUNCTION public.announce_notification();

-- Tells one person of something. Nobody of their own doing; with p_needs_view, only someone who can see the
-- project (whoever is told of a comment, a like, an answer, a job); with p_once, not again while an unread one of
-- the same kind, by the same actor, about the same project waits (a like taken back and given again). Answers
-- whether it told them. Not executable by the API roles: only the triggers below call it.
CREATE FUNCTION public.notify_user(p_recipient uuid, p_kind text, p_actor uuid, p_project uuid,
                                   p_comment uuid DEFAULT NULL, p_invitation uuid DEFAULT NULL,
                                   p_offer uuid DEFAULT NULL, p_job uuid DEFAULT NULL,
                                   p_details jsonb DEFAULT '{}', p_needs_view boolean DEFAULT true,
                                   p_once boolean DEFAULT false) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF p_recipient IS NULL OR p_recipient IS NOT DISTINCT FROM p_actor THEN
    RETURN false;
  END IF;
  IF p_needs_view AND p_project IS NOT NULL AND public.user_sees_project(p_recipient, p_project) IS NOT TRUE THEN
    RETURN false;
  END IF;
  IF p_once AND EXISTS (SELECT 1 FROM public.notifications n
                         WHERE n.recipient_id = p_recipient AND n.kind = p_kind AND n.read_at IS NULL
                           AND n.actor_id IS NOT DISTINCT FROM p_actor
                           AND n.project_id IS NOT DISTINCT FROM p_project) THEN
    RETURN false;
  END IF;
  INSERT INTO public.notifications (recipient_id, kind, actor_id, project_id, comment_id, invitation_id, offer_id,
                                    job_id, details)
  VALUES (p_recipient, p_kind, p_actor, p_project, p_comment, p_invitation, p_offer, p_job,
          coalesce(p_details, '{}'));
  RETURN true;
END;
$$;
REVOKE ALL ON FUNCTION public.notify_user(uuid, text, uuid, uuid, uuid, uuid, uuid, uuid, jsonb, boolean, boolean)
  FROM PUBLIC;

-- A comment: the people it mentions, then (for a reply) the thread's author and everyone else who replied in it,
-- then the project's owner; each person once, the strongest reason first.
CREATE FUNCTION public.notify_of_comment() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_told uuid[] := ARRAY[NEW.author_id];
  v_person uuid;
  v_root_author uuid;
  v_owner uuid;
BEGIN
  IF NEW.deleted_at IS NOT NULL THEN
    RETURN NULL;
  END IF;
  FOREACH v_person IN ARRAY NEW.mentioned LOOP
    IF (v_person = ANY (v_told)) IS NOT TRUE THEN
      PERFORM public.notify_user(v_person, 'comment_mention', NEW.author_id, NEW.project_id, p_comment => NEW.id);
      v_told := v_told || v_person;
    END IF;
  END LOOP;
  IF NEW.parent_id IS NOT NULL THEN
    SELECT c.author_id INTO v_root_author FROM public.project_comments c WHERE c.id = NEW.parent_id;
    IF v_root_author IS NOT NULL AND (v_root_author = ANY (v_told)) IS NOT TRUE THEN
      PERFORM public.notify_user(v_root_author, 'comment_reply', NEW.author_id, NEW.project_id, p_comment => NEW.id,
                                 p_details => '{"thread": "yours"}');
      v_told := v_told || v_root_author;
    END IF;
    FOR v_person IN SELECT DISTINCT r.author_id FROM public.project_comments r
                     WHERE r.parent_id = NEW.parent_id AND r.id <> NEW.id AND r.author_id IS NOT NULL LOOP
      IF (v_person = ANY (v_told)) IS NOT TRUE THEN
        PERFORM public.notify_user(v_person, 'comment_reply', NEW.author_id, NEW.project_id, p_comment => NEW.id,
                                   p_details => '{"thread": "joined"}');
        v_told := v_told || v_person;
      END IF;
    END LOOP;
  END IF;
  SELECT p.user_id INTO v_owner FROM public.projects p WHERE p.id = NEW.project_id;
  IF v_owner IS NOT NULL AND (v_owner = ANY (v_told)) IS NOT TRUE THEN
    PERFORM public.notify_user(v_owner, 'comment', NEW.author_id, NEW.project_id, p_comment => NEW.id,
                               p_details => CASE WHEN NEW.parent_id IS NULL THEN '{}'::jsonb
                                                 ELSE '{"reply": true}'::jsonb END);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_comment AFTER INSERT ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.notify_of_comment();

-- An edit that mentions someone new tells only them.
CREATE FUNCTION public.notify_of_new_mentions() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_person uuid;
BEGIN
  IF NEW.deleted_at IS NOT NULL OR NEW.author_id IS NULL THEN
    RETURN NULL;
  END IF;
  FOREACH v_person IN ARRAY NEW.mentioned LOOP
    IF (v_person = ANY (OLD.mentioned)) IS NOT TRUE THEN
      PERFORM public.notify_user(v_person, 'comment_mention', NEW.author_id, NEW.project_id, p_comment => NEW.id);
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_new_mentions AFTER UPDATE OF body ON public.project_comments
  FOR EACH ROW EXECUTE FUNCTION public.notify_of_new_mentions();

-- Invitations: the invitee is told (they cannot see a private project yet: the title comes from their pending
-- invitation when they read); whoever invited is told of the answer, and the invitee's own notice counts as read.
CREATE FUNCTION public.notify_of_invitation() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status = 'pending' THEN
      PERFORM public.notify_user(NEW.user_id, 'invitation_received', NEW.invited_by, NEW.project_id,
                                 p_invitation => NEW.id, p_details => jsonb_build_object('role', NEW.role),
                                 p_needs_view => false);
    END IF;
  ELSIF OLD.status = 'pending' AND NEW.status IN ('accepted', 'declined') THEN
    PERFORM public.notify_user(NEW.invited_by, 'invitation_' || NEW.status, NEW.user_id, NEW.project_id,
                               p_invitation => NEW.id, p_details => jsonb_build_object('role', NEW.role));
    UPDATE public.notifications n SET read_at = now()
     WHERE n.invitation_id = NEW.id AND n.recipient_id = NEW.user_id AND n.read_at IS NULL;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_invitation AFTER INSERT OR UPDATE OF status ON public.project_collaborators
  FOR EACH ROW EXECUTE FUNCTION public.notify_of_invitation();

-- Transfer offers: the recipient is told of the offer, the sender of the answer; the offer's title is for its two
-- parties (offered_project_title, V82). An answered or withdrawn offer's notice counts as read.
CREATE FUNCTION public.notify_of_transfer_offer() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM public.notify_user(NEW.to_user_id, 'transfer_offer_received', NEW.from_user_id, NEW.project_id,
                               p_offer => NEW.id, p_needs_view => false);
  ELSIF OLD.status = 'pending' AND NEW.status IS DISTINCT FROM 'pending' THEN
    IF NEW.status IN ('accepted', 'declined') THEN
      PERFORM public.notify_user(NEW.from_user_id, 'transfer_offer_' || NEW.status, NEW.to_user_id,
                                 NEW.project_id, p_offer => NEW.id, p_needs_view => false);
    END IF;
    UPDATE public.notifications n SET read_at = now()
     WHERE n.offer_id = NEW.id AND n.recipient_id = NEW.to_user_id AND n.read_at IS NULL;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_transfer_offer AFTER INSERT OR UPDATE OF status ON public.project_transfer_offers
  FOR EACH ROW EXECUTE FUNCTION public.notify_of_transfer_offer();

-- A like tells the project's owner (once while unread).
CREATE FUNCTION public.notify_of_like() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  PERFORM public.notify_user((SELECT p.user_id FROM public.projects p WHERE p.id = NEW.project_id),
                             'project_liked', NEW.user_id, NEW.project_id, p_once => true);
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_like AFTER INSERT ON public.project_likes
  FOR EACH ROW EXECUTE FUNCTION public.notify_of_like();

-- A follow tells the musician followed (once while unread). Their follow row is theirs to see (V80).
CREATE FUNCTION public.notify_of_follow() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  PERFORM public.notify_user(NEW.following_id, 'followed', NEW.follower_id, NULL, p_once => true);
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_follow AFTER INSERT ON public.user_followers
  FOR EACH ROW EXECUTE FUNCTION public.notify_of_follow();

-- A job its musician queued finished or failed for good (a retry goes back to 'queued'; a cancel is their own or a
-- collaborator's doing, and tells nobody). Only the kinds musicians queue themselves.
CREATE FUNCTION public.notify_of_finished_job() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  PERFORM public.notify_user(NEW.user_id, 'job_' || NEW.status, NULL, NEW.project_id, p_job => NEW.id,
                             p_details => jsonb_build_object('job_kind', NEW.kind));
  RETURN NULL;
END;
$$;
CREATE TRIGGER notify_of_finished_job AFTER UPDATE OF status ON public.jobs
  FOR EACH ROW
  WHEN (NEW.status IN ('succeeded', 'failed') AND OLD.status IS DISTINCT FROM NEW.status
        AND NEW.kind IN ('render', 'export', 'mixdown', 'stems', 'transformation'))
  EXECUTE FUNCTION public.notify_of_finished_job();
