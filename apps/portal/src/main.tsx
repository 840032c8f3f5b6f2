import { render } from 'preact';
import { App } from './app';
import { initialLang } from './lib/i18n';
import './styles.css';

// The language is known before the first paint, so the page never flashes the wrong `lang`.
document.documentElement.lang = initialLang();
const root = document.getElementById('app');
if (root) {
  root.textContent = ''; // the static shell of index.html
  render(<App />, root);
}
