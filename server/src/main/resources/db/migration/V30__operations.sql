-- Operations (issue 7): the administrators' audit log, privileged admin writes, usage summaries, explicit enterprise
-- limits, a shared rate-limit counter and an index for "my events".
--
-- Who may do what stays in the database: administrators are public.user_roles rows (V3), every privileged write
-- below checks public.is_admin() itself, and every change an administrator (or the system) makes to the things
-- administrators steer is written to public.admin_audit_log by triggers in the same transaction, whichever path
-- the change took (a SECURITY DEFINER function here, or V3's "Admins manage …" policies and column grants).

------------------------------------------------------------------------------------------------------------------
-- 1. The audit log
------------------------------------------------------------------------------------------------------------------
-- No foreign keys on purpose: deleting a user must not rewrite (SET NULL) or delete (CASCADE) history, and the
-- log refuses every UPDATE and DELETE (trigger below).
CREATE TABLE public.admin_audit_log (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_id UUID,                 -- the administrator; NULL when the system acted (e.g. the `admin` command)
  actor_role TEXT NOT NULL,      -- public.request_role() of the writer: authenticated or service_role
  action TEXT NOT NULL,          -- e.g. subscription.update, admin_role.insert, usage.view
  target_type TEXT NOT NULL,     -- the table acted on
  target_id TEXT,                -- the row's key
  before JSONB,                  -- the audited columns before (NULL on insert)
  after JSONB,                   -- … and after (NULL on delete)
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_admin_audit_log_target ON public.admin_audit_log (target_type, target_id, id DESC);

ALTER TABLE public.admin_audit_log ENABLE ROW LEVEL SECURITY;
-- Administrators read the log; nobody inserts directly (only the SECURITY DEFINER trigger and functions below,
-- which run as the owner), nobody updates or deletes (no grant, no policy, and the guard trigger for the owner).
CREATE POLICY "Admins read the audit log" ON public.admin_audit_log
  FOR SELECT TO authenticated USING ((SELECT public.is_admin()));
GRANT SELECT ON public.admin_audit_log TO authenticated;
-- The system reads it too (operators' tools); it writes only through the same triggers as everyone else.
GRANT SELECT ON public.admin_audit_log TO service_role;

CREATE FUNCTION public.refuse_audit_change() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = ''
AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER admin_audit_log_append_only BEFORE UPDATE OR DELETE ON public.admin_audit_log
  FOR EACH ROW EXECUTE FUNCTION public.refuse_audit_change();
CREATE TRIGGER admin_audit_log_no_truncate BEFORE TRUNCATE ON public.admin_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_audit_change();

-- Writes one audit row for the current caller. Internal: not executable by the API roles.
CREATE FUNCTION public.write_admin_audit(p_action text, p_target_type text, p_target_id text,
                                         p_before jsonb, p_after jsonb) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
  INSERT INTO public.admin_audit_log (actor_id, actor_role, action, target_type, target_id, before, after)
  VALUES (auth.uid(), public.request_role(), p_action, p_target_type, p_target_id, p_before, p_after)
$$;
REVOKE EXECUTE ON FUNCTION public.write_admin_audit(text, text, text, jsonb, jsonb) FROM PUBLIC;

-- Audit trigger: TG_ARGV[0] names the action (action = arg || '.' || insert|update|delete), TG_ARGV[1] the key
-- column, TG_ARGV[2] (optional) the comma-separated columns worth recording. An UPDATE that changed none of those
-- columns (e.g. the system bumping usage_count) is not recorded. SECURITY DEFINER because nobody else may insert.
CREATE FUNCTION public.audit_admin_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_before jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  v_after jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  v_target text := coalesce(v_after, v_before) ->> TG_ARGV[1];
  v_columns text[];
BEGIN
  IF TG_NARGS > 2 THEN
    v_columns := string_to_array(TG_ARGV[2], ',');
    v_before := (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(v_before) e WHERE e.key = ANY (v_columns));
    v_after := (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(v_after) e WHERE e.key = ANY (v_columns));
  END IF;
  IF TG_OP = 'UPDATE' AND v_before IS NOT DISTINCT FROM v_after THEN
    RETURN NULL;
  END IF;
  PERFORM public.write_admin_audit(TG_ARGV[0] || '.' || lower(TG_OP), TG_TABLE_NAME, v_target, v_before, v_after);
  RETURN NULL;
END;
$$;

-- What is audited: every change to who is an administrator, to a user's subscription, to a project's featured
-- flag, to AI presets, to system (ownerless) effects presets, to subscription limits, and resolving error logs.
CREATE TRIGGER audit_user_roles AFTER INSERT OR UPDATE OR DELETE ON public.user_roles
  FOR EACH ROW EXECUTE FUNCTION public.audit_admin_change('admin_role', 'user_id', 'user_id,role,granted_by');
CREATE TRIGGER audit_subscription AFTER UPDATE ON public.profiles
  FOR EACH ROW
  WHEN (OLD.subscription_tier IS DISTINCT FROM NEW.subscription_tier
        OR OLD.subscription_expires_at IS DISTINCT FROM NEW.subscription_expires_at)
  EXECUTE FUNCTION public.audit_admin_change('subscription', 'id', 'subscription_tier,subscription_expires_at');
CREATE TRIGGER audit_featured AFTER UPDATE ON public.projects
  FOR EACH ROW WHEN (OLD.is_featured IS DISTINCT FROM NEW.is_featured)
  EXECUTE FUNCTION public.audit_admin_change('featured', 'id', 'is_featured');
CREATE TRIGGER audit_ai_presets AFTER INSERT OR UPDATE OR DELETE ON public.ai_model_presets
  FOR EACH ROW EXECUTE FUNCTION public.audit_admin_change('ai_preset', 'id',
    'name,description,transformation_type,parameters,preview_audio_url,thumbnail_url,is_premium,is_active');
CREATE TRIGGER audit_system_effects_presets_insert AFTER INSERT ON public.effects_presets
  FOR EACH ROW WHEN (NEW.is_system_preset OR NEW.user_id IS NULL)
  EXECUTE FUNCTION public.audit_admin_change('system_effects_preset', 'id',
    'name,description,category,effects_chain,preview_audio_url,is_public,is_system_preset');
CREATE TRIGGER audit_system_effects_presets_update AFTER UPDATE ON public.effects_presets
  FOR EACH ROW WHEN (OLD.is_system_preset OR NEW.is_system_preset OR NEW.user_id IS NULL)
  EXECUTE FUNCTION public.audit_admin_change('system_effects_preset', 'id',
    'name,description,category,effects_chain,preview_audio_url,is_public,is_system_preset');
CREATE TRIGGER audit_system_effects_presets_delete AFTER DELETE ON public.effects_presets
  FOR EACH ROW WHEN (OLD.is_system_preset OR OLD.user_id IS NULL)
  EXECUTE FUNCTION public.audit_admin_change('system_effects_preset', 'id',
    'name,description,category,effects_chain,preview_audio_url,is_public,is_system_preset');
CREATE TRIGGER audit_error_resolution AFTER UPDATE ON public.error_logs
  FOR EACH ROW WHEN (OLD.resolved IS DISTINCT FROM NEW.resolved)
  EXECUTE FUNCTION public.audit_admin_change('error_log', 'id', 'resolved');

------------------------------------------------------------------------------------------------------------------
-- 2. Subscription limits: the enterprise tier made explicit
------------------------------------------------------------------------------------------------------------------
-- Seed: no enterprise rows. usage_status() then found no limit and answered "unlimited", but with unit 'count'
-- and a monthly reset for every resource, so an enterprise user's storage read "N count, resets next month"
-- instead of "N mb, lifetime". Explicit rows give the right units and periods, stay unlimited (-1, as the seed
-- writes unlimited), and give administrators a row to edit. Inserted before the audit trigger: not an admin action.
INSERT INTO public.subscription_limits (subscription_tier, resource_type, limit_value, limit_unit, reset_period) VALUES
  ('enterprise', 'ai_transformations', -1, 'count', 'monthly'),
  ('enterprise', 'exports', -1, 'count', 'monthly'),
  ('enterprise', 'storage_mb', -1, 'mb', 'lifetime'),
  ('enterprise', 'projects', -1, 'count', 'lifetime')
ON CONFLICT (subscription_tier, resource_type) DO NOTHING;

-- Seed: subscription_tier was free text here, so an administrator's typo ('Pro') made a row no user ever matches.
ALTER TABLE public.subscription_limits
  ADD CONSTRAINT subscription_limits_tier_check CHECK (subscription_tier IN ('free', 'pro', 'enterprise'));

CREATE TRIGGER audit_subscription_limits AFTER INSERT OR UPDATE OR DELETE ON public.subscription_limits
  FOR EACH ROW EXECUTE FUNCTION public.audit_admin_change('subscription_limit', 'id',
    'subscription_tier,resource_type,limit_value,limit_unit,reset_period,is_active');

------------------------------------------------------------------------------------------------------------------
-- 3. Usage summary
------------------------------------------------------------------------------------------------------------------
-- Everything GET /usage shows, in one call: the tiers and each resource's usage_status() at p_at. The same
-- visibility rule as usage_status(): yourself, an administrator, or the system. NULL when there is no such user.
CREATE FUNCTION public.usage_summary(p_user_id uuid, p_at timestamptz DEFAULT now()) RETURNS jsonb
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_tier text;
  v_expires timestamptz;
BEGIN
  IF NOT public.is_system() AND p_user_id IS DISTINCT FROM auth.uid() AND NOT public.is_admin() THEN
    RAISE EXCEPTION 'usage of another user is not visible to you' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT p.subscription_tier, p.subscription_expires_at INTO v_tier, v_expires
    FROM public.profiles p WHERE p.id = p_user_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN jsonb_build_object(
    'user_id', p_user_id,
    'tier', coalesce(public.effective_tier(p_user_id, p_at), 'free'),
    'subscription_tier', coalesce(v_tier, 'free'),
    'subscription_expires_at', v_expires,
    'resources', (SELECT jsonb_agg(public.usage_status(p_user_id, r.resource, p_at) - 'tier' ORDER BY r.ord)
                    FROM unnest(ARRAY['ai_transformations', 'exports', 'storage_mb', 'projects'])
                         WITH ORDINALITY AS r(resource, ord)));
END;
$$;
GRANT EXECUTE ON FUNCTION public.usage_summary(uuid, timestamptz) TO authenticated, service_role;

------------------------------------------------------------------------------------------------------------------
-- 4. Privileged writes for administrators
------------------------------------------------------------------------------------------------------------------
-- Columns users are not granted (V3: subscription_tier, subscription_expires_at, is_featured, is_system_preset)
-- change only here. Each function checks is_admin() first; the audit triggers above record the change in the same
-- transaction. EXECUTE is granted only to authenticated (the system writes these columns directly).

-- A user's tier and expiry (NULL expiry: no end). Answers the new values, or NULL when there is no such user.
CREATE FUNCTION public.admin_set_subscription(p_user_id uuid, p_tier text, p_expires_at timestamptz) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_result jsonb;
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only administrators change subscriptions' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.profiles p
     SET subscription_tier = p_tier, subscription_expires_at = p_expires_at
   WHERE p.id = p_user_id
  RETURNING jsonb_build_object('user_id', p.id, 'subscription_tier', p.subscription_tier,
                               'subscription_expires_at', p.subscription_expires_at)
    INTO v_result;
  RETURN v_result;
END;
$$;

-- Features or unfeatures a project. Answers {project_id, is_featured}, or NULL when there is no such project.
CREATE FUNCTION public.admin_set_featured(p_project_id uuid, p_featured boolean) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_result jsonb;
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only administrators feature projects' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE public.projects p SET is_featured = p_featured WHERE p.id = p_project_id
  RETURNING jsonb_build_object('project_id', p.id, 'is_featured', p.is_featured) INTO v_result;
  RETURN v_result;
END;
$$;

-- Makes an ownerless effects preset a system preset (offered to everyone) or withdraws it. Withdrawing also makes
-- it private, so it disappears for users (an ownerless, private, non-system preset is seen only by admins).
-- Users' own presets never become system presets. Answers the preset's new flags, or NULL when there is none.
CREATE FUNCTION public.admin_set_system_effects_preset(p_preset_id uuid, p_active boolean) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_owner uuid;
  v_result jsonb;
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only administrators manage system presets' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT e.user_id INTO v_owner FROM public.effects_presets e WHERE e.id = p_preset_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF v_owner IS NOT NULL THEN
    RAISE EXCEPTION 'a user''s own preset cannot be a system preset' USING ERRCODE = 'check_violation';
  END IF;
  UPDATE public.effects_presets e
     SET is_system_preset = p_active, is_public = CASE WHEN p_active THEN e.is_public ELSE FALSE END
   WHERE e.id = p_preset_id
  RETURNING jsonb_build_object('id', e.id, 'is_system_preset', e.is_system_preset, 'is_public', e.is_public)
    INTO v_result;
  RETURN v_result;
END;
$$;

-- Another user's usage, for administrators; viewing it is itself recorded (it shows what a user did).
CREATE FUNCTION public.admin_user_usage(p_user_id uuid) RETURNS jsonb
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = ''
AS $$
DECLARE
  v_summary jsonb;
BEGIN
  IF NOT public.is_admin() THEN
    RAISE EXCEPTION 'only administrators see other users'' usage' USING ERRCODE = 'insufficient_privilege';
  END IF;
  v_summary := public.usage_summary(p_user_id);
  IF v_summary IS NOT NULL THEN
    PERFORM public.write_admin_audit('usage.view', 'profiles', p_user_id::text, NULL, NULL);
  END IF;
  RETURN v_summary;
END;
$$;

GRANT EXECUTE ON FUNCTION public.admin_set_subscription(uuid, text, timestamptz),
                          public.admin_set_featured(uuid, boolean),
                          public.admin_set_system_effects_preset(uuid, boolean),
                          public.admin_user_usage(uuid)
  TO authenticated;

------------------------------------------------------------------------------------------------------------------
-- 5. Rate limits shared by every server process
------------------------------------------------------------------------------------------------------------------
-- One row per (bucket, fixed window): a request adds 1 with INSERT … ON CONFLICT DO UPDATE … RETURNING hits.
-- UNLOGGED: counters are worth less than the WAL they would cost on every write request; after a crash they
-- restart from zero, which only forgives one window. fillfactor 50 leaves room on the page for HOT updates.
-- Written only by the system (RLS on, no policies, no grants to the API roles); old windows are pruned by
-- Maintenance.
CREATE UNLOGGED TABLE public.rate_limit_counters (
  bucket TEXT NOT NULL,
  window_start TIMESTAMP WITH TIME ZONE NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
) WITH (fillfactor = 50);
ALTER TABLE public.rate_limit_counters ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.rate_limit_counters TO service_role;

------------------------------------------------------------------------------------------------------------------
-- 6. Analytics: "my events, newest first"
------------------------------------------------------------------------------------------------------------------
-- GET /events pages a user's own events by (created_at, id) descending. This index serves it and also everything
-- the single-column user_id index did, so that one goes (one index fewer to maintain on the busiest insert path).
CREATE INDEX idx_analytics_events_user_created ON public.analytics_events (user_id, created_at DESC, id DESC);
DROP INDEX public.idx_analytics_events_user_id;
