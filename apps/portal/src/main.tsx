import { render } from 'preact';
import { App } from './app';
import { saveSession, sessionOf } from './lib/auth';
import { initialLang } from './lib/i18n';
import { CALLBACK_PATH, completeSignIn, SIGN_IN_ERROR_KEY } from './lib/oidc';
import './styles.css';

function start() {
  const root = document.getElementById('app');
  if (root) {
    root.textContent = ''; // the static shell of index.html
    render(<App />, root);
  }
}

/** Back from the provider: trade the code for tokens, then show the page sign-in was asked from. */
async function finishSignIn() {
  let target = '/#/signin';
  try {
    const { tokens, next } = await completeSignIn();
    const session = sessionOf({ ...tokens, token: tokens.accessToken, via: 'provider' });
    if (typeof session === 'string') throw new Error(session);
    saveSession(session);
    target = `/#${next.startsWith('/') && !next.startsWith('/signin') ? next : '/search'}`;
  } catch (error) {
    sessionStorage.setItem(SIGN_IN_ERROR_KEY, error instanceof Error ? error.message : String(error));
  }
  history.replaceState(null, '', target);
}

// The language is known before the first paint, so the page never flashes the wrong `lang`.
document.documentElement.lang = initialLang();
if (location.pathname === CALLBACK_PATH) void finishSignIn().then(start);
else start();
