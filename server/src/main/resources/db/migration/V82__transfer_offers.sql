-- Transfers become offers the recipient accepts or declines.
--
-- V20's transfer_project() moved a project to anyone at once: the recipient never agreed, landed over their plan's
-- project limit (nothing was charged to them), and the sender kept paying the project's slot (nothing was released),
-- so a free musician who gave a project away could make one project fewer, for ever.
--
-- Now the owner makes an offer (one open offer per project; they may withdraw it), the recipient sees it and
-- accepts or declines. Acceptance is one definer function that, in one transaction, under the project's row lock:
-- charges the recipient's `projects` gauge through consume_usage() (its per-(user, resource) lock makes concurrent
-- acceptances and creations by one user exact: a refusal changes nothing), releases what the sender held for this
-- project, moves ownership (V20's trigger keeps total_projects exact) and keeps the previous owner on as an admin
-- collaborator, as V20 did: a transfer never locks its maker out; the new owner may remove them.
--
-- Every check below is NULL-safe: an unknown caller, offer or project compares as NULL, and only IS TRUE passes.
-- Lock order, everywhere: the project row, then the offer row (deleting a project locks the project, then deletes
-- its offers by cascade; the same order means the two never deadlock).

CREATE TABLE public.project_transfer_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES public.projects ON DELETE CASCADE,
  from_user_id uuid NOT NULL REFERENCES auth.users ON DELETE CASCADE,
  to_user_id uuid NOT NULL REFERENCES auth.users ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
  created_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  CONSTRAINT project_transfer_offers_not_to_self CHECK (from_user_id <> to_user_id),
  CONSTRAINT project_transfer_offers_answered CHECK ((status = 'pending') = (answered_at IS NULL))
);
-- one open offer per project: a second is a unique violation (409), whoever races
CREATE UNIQUE INDEX project_transfer_offers_one_open ON public.project_transfer_offers (project_id)
  WHERE status = 'pending';
CREATE INDEX project_transfer_offers_to ON public.project_transfer_offers (to_user_id, created_at DESC, id DESC);
CREATE INDEX project_transfer_offers_from ON public.project_transfer_offers (from_user_id, created_at DESC, id DESC);

ALTER TABLE public.project_transfer_offers ENABLE ROW LEVEL SECURITY;
-- Read by its two parties only; written only by the definer functions below (no INSERT/UPDATE/DELETE grants).
GRANT SELECT ON public.project_transfer_offers TO authenticated;
GRANT ALL ON public.project_transfer_offers TO service_role;
CREATE POLICY "Parties see their transfer offers" ON public.project_transfer_offers
  FOR SELECT TO authenticated
  USING ((from_user_id = (SELECT auth.uid()) OR to_user_id = (SELECT auth.uid())) IS TRUE);

-- The owner offers their project to another user. Answers the new offer's id.
CREATE FUNCTION public.offer_project_transfer(p_project_id uuid, p_to_user_id uuid) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_me uuid := auth.uid();
  v_owner uuid;
  v_id uuid;
BEGIN
  SELECT p.user_id INTO v_owner FROM public.projects p WHERE p.id = p_project_id FOR UPDATE;
  IF (v_me IS NOT NULL AND v_owner = v_me) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the owner offers a project to someone else' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_to_user_id IS NULL OR NOT EXISTS (SELECT 1 FROM public.profiles pr WHERE pr.id = p_to_user_id) THEN
    RAISE EXCEPTION 'no such user' USING ERRCODE = 'no_data_found', HINT = 'no_such_user';
  END IF;
  IF p_to_user_id = v_owner THEN
    RAISE EXCEPTION 'you already own this project' USING ERRCODE = 'check_violation', HINT = 'transfer_to_self';
  END IF;
  INSERT INTO public.project_transfer_offers (project_id, from_user_id, to_user_id)
  VALUES (p_project_id, v_owner, p_to_user_id)
  RETURNING id INTO v_id;
  RETURN v_id;
END;
$$;

-- The recipient accepts (p_accept) or declines an open offer. Answers consume_usage()'s JSON for the recipient's
-- `projects` with "status": the offer's new status; when acceptance would pass the recipient's plan limit it answers
-- "allowed": false and changes nothing (the caller turns that into 402).
CREATE FUNCTION public.answer_transfer_offer(p_offer_id uuid, p_accept boolean) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_me uuid := auth.uid();
  v_project uuid;
  v_owner uuid;
  v_offer public.project_transfer_offers;
  v_usage jsonb;
  v_held numeric;
BEGIN
  SELECT o.project_id INTO v_project FROM public.project_transfer_offers o
   WHERE o.id = p_offer_id AND (o.from_user_id = v_me OR o.to_user_id = v_me) IS TRUE;
  IF v_project IS NULL THEN
    RAISE EXCEPTION 'no such transfer offer' USING ERRCODE = 'no_data_found', HINT = 'transfer_offer_not_found';
  END IF;
  SELECT p.user_id INTO v_owner FROM public.projects p WHERE p.id = v_project FOR UPDATE;
  SELECT * INTO v_offer FROM public.project_transfer_offers o WHERE o.id = p_offer_id FOR UPDATE;
  IF v_offer.id IS NULL THEN -- the project was deleted meanwhile, and its offers with it
    RAISE EXCEPTION 'no such transfer offer' USING ERRCODE = 'no_data_found', HINT = 'transfer_offer_not_found';
  END IF;
  IF (v_offer.to_user_id = v_me) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the person a project is offered to answers the offer'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_offer.status IS DISTINCT FROM 'pending' THEN
    RAISE EXCEPTION 'this offer was already %', v_offer.status
      USING ERRCODE = 'check_violation', HINT = 'transfer_offer_closed';
  END IF;
  IF p_accept IS NOT TRUE THEN
    UPDATE public.project_transfer_offers SET status = 'declined', answered_at = now() WHERE id = p_offer_id;
    RETURN jsonb_build_object('allowed', true, 'status', 'declined');
  END IF;
  IF (v_owner = v_offer.from_user_id) IS NOT TRUE THEN
    RAISE EXCEPTION 'the project changed hands since this offer was made'
      USING ERRCODE = 'check_violation', HINT = 'transfer_offer_stale';
  END IF;
  -- Both users' `projects` gauges and profiles change. Creating a project locks the maker's profile row (the
  -- counting trigger) before its usage lock (consume_usage), so take them in that order too: both profile rows,
  -- then both usage locks, each pair in id order (consume_usage takes the recipient's again, which a transaction
  -- may). Then two users accepting each other's offers, or creating projects meanwhile, wait instead of deadlocking,
  -- and a sender's creation sees the slot this frees.
  PERFORM 1 FROM public.profiles pr WHERE pr.id IN (v_me, v_offer.from_user_id) ORDER BY pr.id FOR NO KEY UPDATE;
  PERFORM pg_advisory_xact_lock(hashtextextended('usage:' || least(v_me, v_offer.from_user_id)::text || ':projects', 0));
  PERFORM pg_advisory_xact_lock(hashtextextended('usage:' || greatest(v_me, v_offer.from_user_id)::text || ':projects', 0));
  v_usage := public.consume_usage(v_me, 'projects', 1, v_project,
                                  jsonb_build_object('reason', 'transfer accepted', 'offer_id', p_offer_id));
  IF (v_usage->>'allowed')::boolean IS NOT TRUE THEN
    RETURN v_usage;
  END IF;
  -- The sender's slot: whatever they hold for this project (a project transferred by V20 may hold nothing).
  SELECT coalesce(sum(t.quantity), 0) INTO v_held FROM public.usage_tracking t
   WHERE t.user_id = v_offer.from_user_id AND t.resource_type = 'projects' AND t.resource_id = v_project;
  IF v_held > 0 THEN
    INSERT INTO public.usage_tracking (user_id, resource_type, resource_id, quantity, unit, metadata)
    VALUES (v_offer.from_user_id, 'projects', v_project, -v_held, 'count',
            jsonb_build_object('reason', 'project transferred', 'offer_id', p_offer_id));
  END IF;
  DELETE FROM public.project_collaborators c WHERE c.project_id = v_project AND c.user_id = v_me;
  UPDATE public.projects SET user_id = v_me WHERE id = v_project;
  INSERT INTO public.project_collaborators (project_id, user_id, invited_by, role, status, accepted_at)
  VALUES (v_project, v_offer.from_user_id, v_me, 'admin', 'accepted', now());
  UPDATE public.project_transfer_offers SET status = 'accepted', answered_at = now() WHERE id = p_offer_id;
  RETURN v_usage || jsonb_build_object('status', 'accepted');
END;
$$;

-- The sender withdraws their open offer.
CREATE FUNCTION public.withdraw_transfer_offer(p_offer_id uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_me uuid := auth.uid();
  v_offer public.project_transfer_offers;
BEGIN
  SELECT * INTO v_offer FROM public.project_transfer_offers o
   WHERE o.id = p_offer_id AND (o.from_user_id = v_me OR o.to_user_id = v_me) IS TRUE
   FOR UPDATE;
  IF v_offer.id IS NULL THEN
    RAISE EXCEPTION 'no such transfer offer' USING ERRCODE = 'no_data_found', HINT = 'transfer_offer_not_found';
  END IF;
  IF (v_offer.from_user_id = v_me) IS NOT TRUE THEN
    RAISE EXCEPTION 'only the owner who made an offer withdraws it' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_offer.status IS DISTINCT FROM 'pending' THEN
    RAISE EXCEPTION 'this offer was already %', v_offer.status
      USING ERRCODE = 'check_violation', HINT = 'transfer_offer_closed';
  END IF;
  UPDATE public.project_transfer_offers SET status = 'withdrawn', answered_at = now() WHERE id = p_offer_id;
END;
$$;

-- The title of the project an offer is about, for its two parties: the recipient cannot read a private project
-- before accepting it, but must know what they are accepting.
CREATE FUNCTION public.offered_project_title(p_offer_id uuid) RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
BEGIN
  RETURN (SELECT p.title FROM public.project_transfer_offers o JOIN public.projects p ON p.id = o.project_id
           WHERE o.id = p_offer_id AND (o.from_user_id = auth.uid() OR o.to_user_id = auth.uid()) IS TRUE);
END;
$$;

GRANT EXECUTE ON FUNCTION public.offer_project_transfer(uuid, uuid), public.answer_transfer_offer(uuid, boolean),
                          public.withdraw_transfer_offer(uuid), public.offered_project_title(uuid)
  TO authenticated;

-- Transfers without consent are gone.
DROP FUNCTION public.transfer_project(uuid, uuid);

-- Repair what V20's transfers left: a project's slot is held only by its owner. Release every `projects` charge a
-- user still holds for a project they no longer own (given away) or that no longer exists (deleted by the user it
-- was given to). The recipients of those transfers are not charged after the fact: nothing is refused in the past.
INSERT INTO public.usage_tracking (user_id, resource_type, resource_id, quantity, unit, metadata)
SELECT t.user_id, 'projects', t.resource_id, -sum(t.quantity), 'count',
       '{"reason": "project transferred before transfers were offers"}'::jsonb
  FROM public.usage_tracking t
 WHERE t.resource_type = 'projects' AND t.resource_id IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM public.projects p WHERE p.id = t.resource_id AND p.user_id = t.user_id)
 GROUP BY t.user_id, t.resource_id
HAVING sum(t.quantity) > 0;
