// The viewer renders untrusted recordings (anyone holding the public write key can forge one),
// so every viewer page gets a strict CSP: no inline or foreign script, no foreign connections,
// replays only inside the sandboxed iframe rrweb builds (no allow-scripts). A replay may load
// images, fonts and stylesheets of the recorded site, nothing else: media-src stays on our own
// origin, so a forged <video src>/<audio><source> cannot make the viewer fetch foreign URLs.
export const VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  'img-src * data: blob:',
  'font-src * data:',
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
  "worker-src 'self'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': VIEWER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};
