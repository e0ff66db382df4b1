// @hindsight/client: the typed HTTP API client (Node and browsers) and server-side tracking.
export { HindsightClient } from './client.js';
export { ApiError, type ClientOptions } from './http.js';
export { Tracker, type TrackerOptions, type TrackOptions } from './tracker.js';
export * from './types.js';
export * from './destination-types.js';
