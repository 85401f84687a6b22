import { useId } from "react";
import { smallCountThreshold } from "#read-models/small-counts.ts";
import { formatMonth } from "../ui/format.ts";
import { describeTrend, type TrendPoint } from "./trend-summary.ts";

const width = 360;
const height = 140;
const axis = 20;

/**
 * One monthly series as bars, in plain SVG: a chart this simple needs no library. Its text
 * alternative is a sentence (read with the image) and a table of every month's figure.
 */
export const TrendChart = ({
  title,
  points,
  format,
}: {
  title: string;
  points: readonly TrendPoint[];
  format: (value: number) => string;
}) => {
  const id = useId();
  const max = Math.max(0, ...points.map((p) => p.value ?? 0)) || 1;
  const slot = width / Math.max(points.length, 1);
  const barHeight = (value: number) => ((height - axis - 14) * value) / max;
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-summary`}>
        <line x1={0} x2={width} y1={height - axis} y2={height - axis} className="axis" />
        {points.map((p, i) =>
          p.value === null ? null : (
            <rect
              key={p.month}
              x={i * slot + slot * 0.15}
              width={slot * 0.7}
              y={height - axis - barHeight(p.value)}
              height={barHeight(p.value)}
              className="bar"
            />
          ),
        )}
        <text x={0} y={10} className="label">
          {format(max)}
        </text>
        {first && (
          <text x={0} y={height - 4} className="label">
            {formatMonth(first.month)}
          </text>
        )}
        {last && points.length > 1 && (
          <text x={width} y={height - 4} textAnchor="end" className="label">
            {formatMonth(last.month)}
          </text>
        )}
      </svg>
      <p id={`${id}-summary`} className="summary">
        {describeTrend(points, format)}
      </p>
      <details>
        <summary>Every month's figure</summary>
        <table>
          <caption className="visually-hidden">{title} by month</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">{title}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <th scope="row">{formatMonth(p.month)}</th>
                <td>
                  {p.value !== null
                    ? format(p.value)
                    : p.hidden
                      ? `fewer than ${smallCountThreshold} people`
                      : "no figure"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
};
