// build.mjs adds these exports to @rrweb/record when it bundles it (see the patches there). They
// are named imports, not a namespace object: esbuild builds a namespace with a `for…in` over an
// object literal, which throws at load on a page that added enumerable members to Object.prototype.
import '@rrweb/record';

declare module '@rrweb/record' {
  /** hand each rrweb MutationObserver's pending records to rrweb now */
  export const __hsFlushers: (() => void)[];
  /** rrweb's input handlers (one per recorded document) */
  export const __hsInputs: ((el: Element) => void)[];
}
