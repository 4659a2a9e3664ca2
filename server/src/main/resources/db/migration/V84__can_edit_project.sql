-- Who may change a project's audio, effects and arrangement, asked in one place: the owner, an editor or admin
-- collaborator, or a site administrator (the projects UPDATE policies). Features ask it only to refuse early and
-- clearly (before an upload is read or a file is copied); the policies stay the authority on every write.
-- NULL-safe: a caller who is nobody's collaborator gets false, never NULL.
CREATE FUNCTION public.can_edit_project(p_project_id uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = ''
AS $$
  SELECT coalesce(public.project_access(p_project_id) IN ('owner', 'admin', 'editor'), false)
         OR coalesce(public.is_admin(), false)
$$;

REVOKE ALL ON FUNCTION public.can_edit_project(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.can_edit_project(uuid) TO authenticated, service_role;
