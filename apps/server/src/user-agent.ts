// Browser, OS and device type from a User-Agent header, stored on each ingested event as the props
// `$browser`, `$os`, `$device` (trend breakdowns). Coarse on purpose: families, not versions.

export interface UserAgentInfo {
  $browser: string;
  $os: string;
  $device: 'desktop' | 'mobile' | 'tablet' | 'bot' | 'server';
}

export function parseUserAgent(ua: string | null | undefined): UserAgentInfo | null {
  if (!ua) return null;
  const s = ua.slice(0, 512);
  const browser =
    /\bEdg(e|A|iOS)?\//.test(s) ? 'Edge'
    : /\bOPR\/|\bOpera\b/.test(s) ? 'Opera'
    : /\bSamsungBrowser\//.test(s) ? 'Samsung Internet'
    : /\bFirefox\/|\bFxiOS\//.test(s) ? 'Firefox'
    : /\bCriOS\/|\b(Headless)?Chrome\/|\bChromium\//.test(s) ? 'Chrome'
    : /\bVersion\/[\d.]+.*\bSafari\//.test(s) ? 'Safari'
    : /^(node|undici)\b|\bnode-fetch\b|\baxios\b|\bcurl\//i.test(s) ? 'Server'
    : 'Other';
  const os =
    /\biPhone|\biPad|\biPod/.test(s) ? 'iOS'
    : /\bAndroid\b/.test(s) ? 'Android'
    : /\bWindows\b/.test(s) ? 'Windows'
    : /\bMac OS X\b|\bMacintosh\b/.test(s) ? 'macOS'
    : /\bCrOS\b/.test(s) ? 'ChromeOS'
    : /\bLinux\b/.test(s) ? 'Linux'
    : 'Other';
  const device: UserAgentInfo['$device'] =
    /bot\b|crawler|spider|slurp/i.test(s) ? 'bot'
    : browser === 'Server' ? 'server'
    : /\biPad\b|\bTablet\b|Android(?!.*\bMobile\b)/.test(s) ? 'tablet'
    : /\bMobi|\biPhone\b|\bAndroid\b/.test(s) ? 'mobile'
    : 'desktop';
  return { $browser: browser, $os: os, $device: device };
}
