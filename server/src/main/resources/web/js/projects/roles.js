// What a musician's role on a project lets them do in the page (the API decides again on every request).

/** Owners, admins and editors change a project's audio, effects and tempo. */
export const canChangeAudio = (role) => ['owner', 'admin', 'editor'].includes(role);

/** Owners and admins invite, re-role and remove collaborators. */
export const canManageCollaborators = (role) => ['owner', 'admin'].includes(role);
