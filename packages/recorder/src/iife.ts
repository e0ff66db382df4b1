// Script-tag entry: <script src=".../recorder.js" data-key="KEY" data-endpoint="...">.
import { fromScript } from './config';
import { init } from './recorder';

try {
  const s = (document.currentScript || document.querySelector('script[data-key]')) as HTMLScriptElement | null;
  if (s) init(fromScript(s));
} catch {
  /* never throw into the host page */
}
