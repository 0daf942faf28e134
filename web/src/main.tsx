import { render } from 'preact';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app';
import './styles.css';

render(<App />, document.getElementById('app')!);

// Issue J: the service worker keeps the page on the phone for visits with no network; a new build
// replaces it at the next load. Browsers without service workers (or on plain http other than
// localhost) simply do without.
if ('serviceWorker' in navigator) registerSW({ immediate: true });
