// dist/script/format.js
function formatDownRevisions(rev) {
  return rev.downRevisions.length === 0 ? "<base>" : rev.downRevisions.join(", ");
}
function formatRevisionLine(rev, options = {}) {
  const isMerge = options.isMergePoint ?? rev.downRevisions.length > 1;
  const labels = options.branchLabels ?? rev.branchLabels;
  if (options.verbose)
    return logEntry(rev, options, isMerge, labels);
  let text = rev.id;
  if (options.includeParents ?? true) {
    text = rev.dependsOn.length > 0 ? `${formatDownRevisions(rev)} (${rev.dependsOn.join(", ")}) -> ${text}` : `${formatDownRevisions(rev)} -> ${text}`;
  }
  if ((options.includeBranches ?? true) && labels.length > 0)
    text += ` (${labels.join(", ")})`;
  const tree = options.treeIndicators ?? true;
  if ((options.headIndicators ?? true) || tree) {
    if (options.isHead)
      text += " (head)";
    else if (options.isEffectiveHead)
      text += " (effective head)";
    if (options.isCurrent)
      text += " (current)";
  }
  if (tree) {
    if (options.isBranchPoint)
      text += " (branchpoint)";
    if (isMerge)
      text += " (mergepoint)";
  }
  if (options.includeDoc ?? true)
    text += `, ${rev.message}`;
  return text;
}
function logEntry(rev, options, isMerge, labels) {
  let entry = `Rev: ${rev.id}`;
  if (options.isHead || options.isEffectiveHead)
    entry += " (head)";
  if (options.isBranchPoint)
    entry += " (branchpoint)";
  if (isMerge)
    entry += " (mergepoint)";
  if (options.isCurrent)
    entry += " (current)";
  entry += "\n";
  entry += isMerge ? `Merges: ${formatDownRevisions(rev)}
` : `Parent: ${formatDownRevisions(rev)}
`;
  if (rev.dependsOn.length > 0)
    entry += `Also depends on: ${rev.dependsOn.join(", ")}
`;
  if (options.isBranchPoint && options.children)
    entry += `Branches into: ${options.children.join(", ")}
`;
  if (labels.length > 0)
    entry += `Branch names: ${labels.join(", ")}
`;
  entry += `Path: ${rev.path}
`;
  const doc = rev.longDoc ?? rev.message;
  entry += `
${doc.split(/\r?\n/).map((line) => `    ${line}`).join("\n")}
`;
  return entry;
}
function describeRevision(map, rev, options = {}) {
  const { current, ...rest } = options;
  return formatRevisionLine(rev, {
    isHead: options.verbose ? map.isHead(rev.id) : map.isRealHead(rev.id),
    isEffectiveHead: map.isEffectiveHead(rev.id),
    isBranchPoint: map.isBranchPoint(rev.id),
    isMergePoint: map.isMergePoint(rev.id),
    isCurrent: current?.includes(rev.id) ?? false,
    branchLabels: map.branchLabelsOf(rev.id),
    children: map.children(rev.id),
    ...rest
  });
}
export {
  describeRevision,
  formatDownRevisions,
  formatRevisionLine
};
