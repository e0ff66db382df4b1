import { describe, expect, it } from 'vitest';
import { fromScript, resolveConfig } from '../src/config';

// config.ts reads `location` only to resolve a relative script src
(globalThis as { location?: unknown }).location ??= { href: 'https://site.example/page' };

const script = (src: string, data: Record<string, string>) => ({ src, dataset: data }) as unknown as HTMLScriptElement;

describe('script tag options', () => {
  it('endpoint defaults to the script origin', () => {
    const o = fromScript(script('https://hs.example:8787/recorder.js', { key: 'k' }));
    expect(o).toMatchObject({ key: 'k', endpoint: 'https://hs.example:8787', debug: false, consent: 'granted' });
  });
  it('reads every data attribute', () => {
    const o = fromScript(
      script('https://hs.example/recorder.js', {
        key: 'k',
        endpoint: 'https://api.example/',
        debug: '',
        consent: 'pending',
        sampleRate: '0.5',
        maskSelector: '.pii',
        blockSelector: '.secret',
        ignoreSelector: '.noise',
        respectDnt: 'true',
        captureValuesSelector: 'select',
        replay: 'false',
      }),
    );
    expect(o).toEqual({
      key: 'k',
      endpoint: 'https://api.example/',
      debug: true,
      consent: 'pending',
      sampleRate: 0.5,
      maskSelector: '.pii',
      blockSelector: '.secret',
      ignoreSelector: '.noise',
      respectDnt: true,
      captureValuesSelector: 'select',
      replay: false,
      workerUrl: undefined,
    });
    const c = resolveConfig(o);
    expect(c.endpoint).toBe('https://api.example');
    expect(c.workerUrl).toBe('https://api.example/recorder.worker.js');
    expect(c.mask).toBe('[data-hs-mask],[data-hs-block],.pii,.secret');
    expect(c.ignore).toBe('[data-hs-ignore],.noise');
    expect(c.block).toContain('input[type=password]');
    expect(c.block).toContain('.secret');
    expect(c.pending).toBe(true);
  });
  it('defaults', () => {
    const c = resolveConfig({ key: 'k', endpoint: 'https://e.example' });
    expect(c).toMatchObject({ sampleRate: 1, replay: true, pending: false, respectDnt: false, debug: false });
  });
});
