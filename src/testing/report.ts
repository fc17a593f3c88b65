import type { CheckResult } from './checks.js';
import { describe } from './checks.js';

/** `N passed, N failed, N skipped`. */
export function summary(results: readonly CheckResult[]): string {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return `${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
}

/** The report as lines for a terminal: failures and notes in full. */
export function textReport(results: readonly CheckResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.status === 'passed' ? 'PASS' : r.status === 'failed' ? 'FAIL' : 'SKIP'}  ${describe(r)}`);
    for (const note of r.notes ?? []) lines.push(`      note: ${note}`);
  }
  lines.push(summary(results));
  return lines;
}

const xml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML, as CI systems read it: one test case per check, the revision file as its file. */
export function junitReport(results: readonly CheckResult[], suite = 'revise test'): string {
  const failures = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((sum, r) => sum + r.ms, 0);
  const cases = results.map((r) => {
    const name = r.revision ? `${r.check} ${r.revision}` : r.check;
    const attrs = `name="${xml(name)}" classname="revise.${xml(r.check)}" time="${seconds(r.ms)}"${r.file ? ` file="${xml(r.file)}"` : ''}`;
    const notes = r.notes && r.notes.length > 0 ? `\n      <system-out>${xml(r.notes.join('\n'))}</system-out>` : '';
    if (r.status === 'failed') return `    <testcase ${attrs}>\n      <failure message="${xml(r.message ?? 'failed')}">${xml(describe(r))}</failure>${notes}\n    </testcase>`;
    if (r.status === 'skipped') return `    <testcase ${attrs}>\n      <skipped message="${xml(r.message ?? '')}"/>${notes}\n    </testcase>`;
    return notes ? `    <testcase ${attrs}>${notes}\n    </testcase>` : `    <testcase ${attrs}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
