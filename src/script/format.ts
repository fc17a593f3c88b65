import type { RevisionMap } from './graph.js';
import type { Revision } from './revision.js';

/**
 * How to print one revision (Alembic's `Script.cmd_format`). The defaults give
 * the `history` line; `heads` uses `{ includeParents: false, includeDoc: false,
 * treeIndicators: false }`, `current` uses `{ includeParents: false,
 * includeDoc: false, includeBranches: false }`, `show` uses `verbose`.
 */
export interface FormatRevisionOptions {
  /** Alembic's multi-line `log_entry` (history -v, show, heads -v, current -v). */
  verbose?: boolean;
  /** Nothing builds on it, not even through dependsOn. */
  isHead?: boolean;
  /** Nothing builds on it through downRevision, but another revision depends on it. */
  isEffectiveHead?: boolean;
  isBranchPoint?: boolean;
  /** Defaults to "has several downRevisions". */
  isMergePoint?: boolean;
  /** The database is at this revision. */
  isCurrent?: boolean;
  /** `parent -> id` (default true). */
  includeParents?: boolean;
  /** `, message` (default true). */
  includeDoc?: boolean;
  /** ` (label, ...)` (default true). */
  includeBranches?: boolean;
  /** ` (branchpoint)` / ` (mergepoint)` (default true). */
  treeIndicators?: boolean;
  /** ` (head)` / ` (effective head)` / ` (current)` (default true). */
  headIndicators?: boolean;
  /** Labels to show; defaults to the labels the file declares. */
  branchLabels?: string[];
  /** Ids built on this revision, for the verbose `Branches into:` line. */
  children?: string[];
}

/** `<base>` for a first revision, else its parents joined by `, `. */
export function formatDownRevisions(rev: Revision): string {
  return rev.downRevisions.length === 0 ? '<base>' : rev.downRevisions.join(', ');
}

/**
 * One revision in Alembic's format, e.g.
 * `1a2b3c4d5e6f -> 3f2a9c1b7d4e (head), add posts table`. The verbose block
 * ends with a newline, like Alembic's (so printed entries are blank-line separated).
 */
export function formatRevisionLine(rev: Revision, options: FormatRevisionOptions = {}): string {
  const isMerge = options.isMergePoint ?? rev.downRevisions.length > 1;
  const labels = options.branchLabels ?? rev.branchLabels;
  if (options.verbose) return logEntry(rev, options, isMerge, labels);

  let text = rev.id;
  if (options.includeParents ?? true) {
    text =
      rev.dependsOn.length > 0
        ? `${formatDownRevisions(rev)} (${rev.dependsOn.join(', ')}) -> ${text}`
        : `${formatDownRevisions(rev)} -> ${text}`;
  }
  if ((options.includeBranches ?? true) && labels.length > 0) text += ` (${labels.join(', ')})`;
  const tree = options.treeIndicators ?? true;
  if ((options.headIndicators ?? true) || tree) {
    if (options.isHead) text += ' (head)';
    else if (options.isEffectiveHead) text += ' (effective head)';
    if (options.isCurrent) text += ' (current)';
  }
  if (tree) {
    if (options.isBranchPoint) text += ' (branchpoint)';
    if (isMerge) text += ' (mergepoint)';
  }
  if (options.includeDoc ?? true) text += `, ${rev.message}`;
  return text;
}

function logEntry(rev: Revision, options: FormatRevisionOptions, isMerge: boolean, labels: string[]): string {
  let entry = `Rev: ${rev.id}`;
  if (options.isHead || options.isEffectiveHead) entry += ' (head)';
  if (options.isBranchPoint) entry += ' (branchpoint)';
  if (isMerge) entry += ' (mergepoint)';
  if (options.isCurrent) entry += ' (current)';
  entry += '\n';
  entry += isMerge ? `Merges: ${formatDownRevisions(rev)}\n` : `Parent: ${formatDownRevisions(rev)}\n`;
  if (rev.dependsOn.length > 0) entry += `Also depends on: ${rev.dependsOn.join(', ')}\n`;
  if (options.isBranchPoint && options.children) entry += `Branches into: ${options.children.join(', ')}\n`;
  if (labels.length > 0) entry += `Branch names: ${labels.join(', ')}\n`;
  entry += `Path: ${rev.path}\n`;
  const doc = rev.longDoc ?? rev.message;
  entry += `\n${doc
    .split(/\r?\n/)
    .map((line) => `    ${line}`)
    .join('\n')}\n`;
  return entry;
}

/**
 * `formatRevisionLine` with the graph facts (head, branch point, labels,
 * children) filled in from the map, and `(current)` for ids in `current`.
 */
export function describeRevision(
  map: RevisionMap,
  rev: Revision,
  options: FormatRevisionOptions & { current?: string[] } = {},
): string {
  const { current, ...rest } = options;
  return formatRevisionLine(rev, {
    isHead: options.verbose ? map.isHead(rev.id) : map.isRealHead(rev.id),
    isEffectiveHead: map.isEffectiveHead(rev.id),
    isBranchPoint: map.isBranchPoint(rev.id),
    isMergePoint: map.isMergePoint(rev.id),
    isCurrent: current?.includes(rev.id) ?? false,
    branchLabels: map.branchLabelsOf(rev.id),
    children: map.children(rev.id),
    ...rest,
  });
}
