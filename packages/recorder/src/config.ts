// Recorder options: the ESM `init()` argument, also read from the script tag's data-* attributes.

export interface Options {
  /** project write key (required) */
  key: string;
  /** server origin, e.g. `http://host:8787` (script tag: defaults to the script's origin) */
  endpoint: string;
  /** log what the recorder does to the console (console.debug) */
  debug?: boolean;
  /** 'pending': record, store and send nothing until `consent(true)` */
  consent?: 'pending' | 'granted';
  /** fraction of sessions recorded, 0..1, decided from the session id (default 1) */
  sampleRate?: number;
  /** extra CSS selector: text masked in replay and chains (always includes [data-hs-mask]) */
  maskSelector?: string;
  /** extra CSS selector: elements not recorded in replay (always includes [data-hs-block]) */
  blockSelector?: string;
  /** extra CSS selector: no events for these elements (always includes [data-hs-ignore]) */
  ignoreSelector?: string;
  /** when true, Do-Not-Track / Global Privacy Control turn the recorder off */
  respectDnt?: boolean;
  /** fields matching this selector send their value with `change` (never sensitive ones) */
  captureValuesSelector?: string;
  /** session replay (rrweb); false keeps only events (default true) */
  replay?: boolean;
  /** delivery worker script URL (default `${endpoint}/recorder.worker.js`) */
  workerUrl?: string;
}

export interface Config extends Required<Omit<Options, 'consent'>> {
  pending: boolean;
  /** composed selectors including the data-hs-* defaults */
  mask: string;
  block: string;
  ignore: string;
}

const join = (base: string, extra?: string) => (extra ? `${base},${extra}` : base);

/**
 * s when the browser accepts it as a selector, else `bad`: one mistyped option must not make every
 * closest()/matches() throw and so stop capture. A bad mask or block selector masks all text
 * instead ('*'): its intent was to hide something.
 */
function valid(s: string | undefined, bad: string): string {
  if (!s || typeof document === 'undefined') return s || '';
  try {
    document.createDocumentFragment().querySelector(s);
    return s;
  } catch {
    return bad;
  }
}

export function resolveConfig(o: Options): Config {
  const endpoint = (o.endpoint || '').replace(/\/+$/, '');
  const blockSensitive = 'input[type=password],[autocomplete^=cc-],[autocomplete*=" cc-"]';
  return {
    key: o.key,
    endpoint,
    debug: !!o.debug,
    pending: o.consent === 'pending',
    sampleRate: o.sampleRate == null || isNaN(o.sampleRate) ? 1 : o.sampleRate,
    maskSelector: o.maskSelector || '',
    blockSelector: o.blockSelector || '',
    ignoreSelector: o.ignoreSelector || '',
    respectDnt: !!o.respectDnt,
    captureValuesSelector: valid(o.captureValuesSelector, ''),
    replay: o.replay !== false,
    workerUrl: o.workerUrl || endpoint + '/recorder.worker.js',
    mask: join('[data-hs-mask],[data-hs-block]', join(valid(o.maskSelector, '*'), valid(o.blockSelector, '*'))),
    block: join('[data-hs-block],' + blockSensitive, valid(o.blockSelector, '')),
    ignore: join('[data-hs-ignore]', valid(o.ignoreSelector, '')),
  };
}

/** Options from `<script data-key=… data-endpoint=…>`; boolean attributes are on unless "false". */
export function fromScript(s: HTMLScriptElement): Options {
  const d = s.dataset;
  const bool = (v?: string) => v != null && v !== 'false' && v !== '0';
  let origin = '';
  try {
    origin = new URL(s.src, location.href).origin;
  } catch {
    /* inline script: endpoint must be given */
  }
  return {
    key: d.key || '',
    endpoint: d.endpoint || origin,
    debug: bool(d.debug),
    consent: d.consent === 'pending' ? 'pending' : 'granted',
    sampleRate: d.sampleRate == null ? undefined : parseFloat(d.sampleRate),
    maskSelector: d.maskSelector,
    blockSelector: d.blockSelector,
    ignoreSelector: d.ignoreSelector,
    respectDnt: bool(d.respectDnt),
    captureValuesSelector: d.captureValuesSelector,
    replay: d.replay == null || bool(d.replay),
    workerUrl: d.workerUrl,
  };
}
