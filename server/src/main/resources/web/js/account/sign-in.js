// #/signin and #/signup: the two account forms.
import { h, mount, field, messageBox } from '../shared/dom.js';
import { signIn, signUp } from '../api.js';

function form(title, fields, submitText, onSubmit, footer) {
  const message = messageBox();
  const button = h('button.primary', { type: 'submit', text: submitText });
  const el = h('form.card.narrow', {
    novalidate: false,
    onsubmit: async (event) => {
      event.preventDefault();
      message.clear();
      button.disabled = true;
      try {
        await onSubmit();
      } catch (e) {
        message.show(e.message);
        button.disabled = false;
        const first = el.querySelector('input');
        if (first) first.focus();
      }
    },
  }, h('h1', { text: title }), fields.map((f) => f.row), message.el, button, footer);
  return el;
}

export function signInPage({ main, go }) {
  const email = field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = field('Password', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  mount(main, form('Sign in', [email, password], 'Sign in', async () => {
    await signIn({ email: email.input.value.trim(), password: password.input.value });
    go('/projects');
  }, h('p', {}, 'New here? ', h('a', { href: '#/signup', text: 'Create an account' }))));
}

export function signUpPage({ main, go }) {
  const email = field('Email', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const username = field('Username', {
    name: 'username', autocomplete: 'username', required: true, pattern: '[A-Za-z0-9_]{3,30}', maxlength: 30,
  }, '3–30 letters, digits or _');
  const fullName = field('Full name (optional)', { name: 'full_name', autocomplete: 'name', maxlength: 100 });
  const password = field('Password', {
    type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 8, maxlength: 128,
  }, 'At least 8 characters');
  mount(main, form('Create your account', [email, username, fullName, password], 'Sign up', async () => {
    await signUp({
      email: email.input.value.trim(),
      username: username.input.value.trim(),
      full_name: fullName.input.value.trim() || null,
      password: password.input.value,
    });
    go('/projects');
  }, h('p', {}, 'Already have an account? ', h('a', { href: '#/signin', text: 'Sign in' }))));
}
