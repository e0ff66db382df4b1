// A 30-day daily-count sparkline for the definitions list. Default export so the page can
// lazy-load it: recharts is a large part of the bundle and the list renders without it.
import { Line, LineChart, Tooltip, YAxis } from 'recharts';
import { formatBucket } from '../lib/time';

export default function Sparkline({ daily, label }: { daily: { t: number; events: number }[]; label: string }) {
  return (
    <div data-testid="sparkline" role="img" aria-label={label}>
      <LineChart width={120} height={32} data={daily} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <YAxis hide domain={[0, 'dataMax']} />
        <Tooltip
          cursor={false}
          wrapperStyle={{ zIndex: 10 }}
          labelFormatter={(_, items) => (items?.[0] ? formatBucket(Number((items[0].payload as { t: number }).t), 'day') : '')}
          formatter={(v) => [String(v), 'events']}
        />
        <Line type="monotone" dataKey="events" stroke="var(--accent, #4f46e5)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </div>
  );
}
