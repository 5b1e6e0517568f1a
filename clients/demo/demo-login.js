// Part of the demo page (demo.js): the sign-in panel — a name for a dev token, or a pasted JWT.

import { DevTokensOff, requestDevToken, subOfJwt } from './demo-session.js';

/**
 * Wire the sign-in form: `onSignedIn(session)` gets `{sub, token, exp, mode}` once the user
 * signed in either way; failures show in the panel, never as a toast.
 */
export function mountLogin({ ui, window, fetch, onSignedIn }) {
  async function signInWithName(event) {
    event.preventDefault();
    const sub = ui.loginUser.value.trim();
    if (!sub) return;
    showLoginError('');
    ui.loginForm.classList.add('busy');
    try {
      onSignedIn(await requestDevToken(fetch, window, sub));
    } catch (err) {
      showLoginError(err instanceof DevTokensOff ? err.message : `Sign-in failed: ${err.message}`);
    } finally {
      ui.loginForm.classList.remove('busy');
    }
  }

  function signInWithToken() {
    const token = ui.tokenInput.value.trim();
    const claims = token ? subOfJwt(window, token) : null;
    if (!claims) {
      showLoginError('That does not look like a JWT.');
      return;
    }
    showLoginError('');
    onSignedIn({ ...claims, token, mode: 'token' });
  }

  function showLoginError(message) {
    ui.loginError.textContent = message;
    ui.loginError.hidden = !message;
  }

  ui.loginForm.addEventListener('submit', signInWithName);
  ui.tokenSubmit.addEventListener('click', signInWithToken);
  // Until now a click would have submitted the form natively (a GET of the page): see index.html.
  ui.loginSubmit.disabled = false;
  ui.tokenSubmit.disabled = false;
}
