// Forms that name a musician by username (invite a collaborator, offer a project).
/**
 * The submit of a form that names a musician (this transfer form, the collaborators' invite form): reads the
 * username field without a leading @; if it is empty, says `missing` and puts the focus there; otherwise disables
 * the submit button while send(name) runs, and on an error shows it and puts the focus back in the field.
 */
export async function submitUsername({ username, submit, message, missing }, send) {
  message.clear();
  const name = username.input.value.trim().replace(/^@/, '');
  if (!name) {
    message.show(missing);
    username.input.focus();
    return;
  }
  submit.disabled = true;
  try {
    await send(name);
  } catch (e) {
    message.show(e.message);
    username.input.focus();
  } finally {
    submit.disabled = false;
  }
}
