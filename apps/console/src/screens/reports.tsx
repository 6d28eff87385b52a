import { callDataToCsv } from '@callwire/rest-client';
import type { Account, CallDataRecord } from '@callwire/types';
import { useEffect, useState } from 'preact/hooks';
import { BarChart } from '../components/bar-chart.js';
import { Field, Notice } from '../components/field.js';
import { describeError, fieldErrors } from '../errors.js';
import { daysBefore, formatMoney, isoDate } from '../format.js';
import { type DayTotals, totalsByDay } from '../report-data.js';
import type { AccountScope } from '../scope.js';

interface Report {
  start: string;
  end: string;
  records: CallDataRecord[];
  days: DayTotals[];
  csvUrl: string;
}

const SERIES = [
  { name: 'Calls', className: 'series-calls' },
  { name: 'Minutes', className: 'series-minutes' },
  { name: 'Cost', className: 'series-cost' },
];

/** Call-data for a date range: a chart per day, the table, and the records as CSV. */
export function ReportsScreen({ scope }: { scope: AccountScope }) {
  const today = new Date();
  const [start, setStart] = useState(isoDate(daysBefore(today, 6)));
  const [end, setEnd] = useState(isoDate(today));
  const [report, setReport] = useState<Report | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  // The CSV lives in a blob URL; let it go when the report is replaced or the screen closes.
  useEffect(() => () => report && URL.revokeObjectURL(report.csvUrl), [report]);

  const load = async (e?: Event) => {
    e?.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const [records, account]: [CallDataRecord[], Account] = await Promise.all([
        scope.client.reports.callData({ start_date: start, end_date: end }),
        scope.client.accounts.current(),
      ]);
      const csvUrl = URL.createObjectURL(new Blob([callDataToCsv(records)], { type: 'text/csv' }));
      setReport({ start, end, records, days: totalsByDay(records, start, end, account.time_zone), csvUrl });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  // The first report, for the default range, loads when the screen opens.
  useEffect(() => {
    void load();
  }, []);

  const errors = fieldErrors(error);
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">Reports</h2>
      <form class="toolbar" onSubmit={load} aria-label="Report range" noValidate>
        <Field label="From date" error={errors.start_date}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="date"
              value={start}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setStart(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label="To date" error={errors.end_date}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              type="date"
              value={end}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setEnd(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={busy}>
          Show report
        </button>
      </form>
      {error === undefined ? null : <Notice kind="error">{describeError(error)}</Notice>}
      {report === undefined ? <p class="muted">{busy ? 'Loading…' : ''}</p> : <ReportView report={report} />}
    </section>
  );
}

function ReportView({ report }: { report: Report }) {
  const totalCost = report.days.reduce((sum, d) => Math.round(sum * 1e6 + d.cost * 1e6) / 1e6, 0);
  return (
    <>
      <p>
        {report.records.length} {report.records.length === 1 ? 'call' : 'calls'} from {report.start} to{' '}
        {report.end}, cost {formatMoney(totalCost)}.{' '}
        <a href={report.csvUrl} download={`call-data-${report.start}-${report.end}.csv`}>
          Download CSV
        </a>
      </p>
      <BarChart
        title={`Calls, minutes and cost per day, ${report.start} to ${report.end}`}
        series={SERIES}
        groups={report.days.map((d) => ({
          label: d.day,
          values: [d.calls, Math.round(d.minutes * 10) / 10, d.cost],
        }))}
        format={(v, s) =>
          s.name === 'Calls' ? `${v} calls` : s.name === 'Minutes' ? `${v} min` : formatMoney(v)
        }
      />
      <table>
        <caption>Per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Calls</th>
            <th scope="col">Minutes</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {report.days.map((d) => (
            <tr key={d.day}>
              <td>{d.day}</td>
              <td>{d.calls}</td>
              <td>{d.minutes.toFixed(1)}</td>
              <td>{formatMoney(d.cost)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
