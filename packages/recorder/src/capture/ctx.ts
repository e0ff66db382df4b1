import type { EventType, RawEvent } from '@hindsight/schema';
import type { Config } from '../config';

/** What capture modules get from the recorder core. */
export interface Ctx {
  cfg: Config;
  /** capture-phase, passive, exception-proof listener; ignored while the recorder is inactive */
  on(t: EventTarget, type: string, fn: (e: Event) => void): void;
  /** a non-element event; `extra` overrides/extends the common fields */
  emit(type: EventType, extra?: Partial<RawEvent>): RawEvent | undefined;
  /** an element event with chain, nodeId and replay position; undefined when ignored */
  element(type: EventType, target: Element, props?: Record<string, unknown>): RawEvent | undefined;
  /** subscribe to "the page visibly reacted" signals (DOM mutation, scroll, input, navigation) */
  activity(fn: () => void): void;
  replaying(): boolean;
  active(): boolean;
}
