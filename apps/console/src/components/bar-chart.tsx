export interface ChartSeries {
  name: string;
  /** A CSS class giving the bars their colour (and a pattern, so colour is not the only cue). */
  className: string;
}

export interface ChartGroup {
  label: string;
  /** One value per series, in the same order. */
  values: number[];
}

export interface BarChartProps {
  title: string;
  series: ChartSeries[];
  groups: ChartGroup[];
  /**
   * Formats a value for the bar's tooltip.
   * @default String(value)
   */
  format?: (value: number, series: ChartSeries) => string;
}

const HEIGHT = 180;
const BAR = 14;
const GAP = 10;

/**
 * Grouped bars as plain SVG (no charting library: a few rectangles do not need one). Each series is
 * scaled to its own maximum (at least 1), since calls, minutes and dollars have different units; the table beside the
 * chart has the exact numbers, and each bar has a tooltip.
 */
export function BarChart({ title, series, groups, format = (v) => String(v) }: BarChartProps) {
  // At least 1 so that a day of 0.2 minutes does not draw a full-height bar.
  const maxima = series.map((_, i) => Math.max(1, ...groups.map((g) => g.values[i] ?? 0)));
  const groupWidth = series.length * BAR + GAP;
  const width = Math.max(groups.length * groupWidth + GAP, 120);
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-label={title}
        width={width}
        height={HEIGHT + 40}
        viewBox={`0 0 ${width} ${HEIGHT + 40}`}
      >
        <line x1="0" y1={HEIGHT} x2={width} y2={HEIGHT} class="axis" />
        {groups.map((group, g) => (
          <g key={group.label}>
            {series.map((s, i) => {
              const value = group.values[i] ?? 0;
              const h = Math.round((value / (maxima[i] ?? 1)) * (HEIGHT - 10));
              return (
                <rect
                  key={s.name}
                  class={`bar ${s.className}`}
                  data-series={s.name}
                  data-day={group.label}
                  x={GAP + g * groupWidth + i * BAR}
                  y={HEIGHT - h}
                  width={BAR - 2}
                  height={h}
                >
                  <title>{`${group.label}: ${format(value, s)} (${s.name})`}</title>
                </rect>
              );
            })}
            <text x={GAP + g * groupWidth} y={HEIGHT + 16} class="tick">
              {group.label.slice(5)}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        {series.map((s) => (
          <span key={s.name} class="legend">
            <span class={`swatch ${s.className}`} aria-hidden="true" />
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
