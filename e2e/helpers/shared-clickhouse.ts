// Two Hindsight servers on one real ClickHouse (the scale-out setup), started together: both run
// init() (migrations) at once, as a real rollout would.
import { startClickHouse, type RunningClickHouse } from '../../packages/store/test/clickhouse-server';
import { startServer, type RunningServer } from './server';

export interface SharedClickHouse {
  ch: RunningClickHouse;
  a: RunningServer;
  b: RunningServer;
  stop: () => Promise<void>;
}

export async function twoServersOnClickHouse(env: Record<string, string> = {}): Promise<SharedClickHouse> {
  const ch = await startClickHouse();
  const serverEnv = { HINDSIGHT_STORE: ch.url, HINDSIGHT_DEMO: '0', ...env };
  const [a, b] = await Promise.all([startServer({ env: serverEnv }), startServer({ env: serverEnv })]);
  return {
    ch,
    a,
    b,
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await ch.stop();
    },
  };
}
