// Entry. It starts a directly opened replay's requests first (lib/replay-prefetch.ts) and only then
// loads React and the app, as a separate chunk fetched in parallel: the session's data no longer
// waits for the whole app bundle to be evaluated.
import { restoreProject } from './lib/project';
import { prefetchReplay } from './lib/replay-prefetch';
import './styles.css';

restoreProject();
prefetchReplay();

void import('./boot').then((m) => m.boot(document.getElementById('root')!));
