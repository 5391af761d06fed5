import { h } from '../dom';

/** Asks for a bearer token; `submit` resolves to an error text, or null once the token works. */
export function loginView(submit: (token: string) => Promise<string | null>): HTMLElement {
  const input = h('input', { type: 'password', name: 'token', id: 'token', autocomplete: 'off', required: true, placeholder: 'bearer token' });
  const problem = h('p', { class: 'bad', 'data-role': 'login-error' });
  const form = h(
    'form',
    { class: 'login' },
    h('h2', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'The API asks for a bearer token (one of API_TOKENS). It is kept in this tab only, until the tab closes.'),
    h('label', { for: 'token' }, 'Token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
    problem,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problem.textContent = '';
    void submit(input.value.trim()).then((error) => {
      if (error !== null) problem.textContent = error;
    });
  });
  return form;
}
