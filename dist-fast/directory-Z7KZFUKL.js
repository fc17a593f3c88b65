import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/script/directory.js
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, sep } from "node:path";

// dist/script/graph.js
var RangeNotAncestorError = class extends ReviseError {
};
var RELATIVE_RE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;
var NO_LABELS = /* @__PURE__ */ new Set();
function addLabel(node, label) {
  if (node.labels === NO_LABELS)
    node.labels = /* @__PURE__ */ new Set();
  node.labels.add(label);
}
var RevisionMap = class _RevisionMap {
  _nodes = /* @__PURE__ */ new Map();
  _labelOwner = /* @__PURE__ */ new Map();
  _orderedIds = [];
  _topoIndex = /* @__PURE__ */ new Map();
  /** Sorted ids, for prefix lookups by binary search. */
  _sortedIds = [];
  built = false;
  load;
  summary;
  constructor(revisions) {
    this.build(revisions);
  }
  /**
   * A graph known to be valid (the same files loaded cleanly before), whose
   * heads are already known: nothing is read or indexed until something needs
   * more than the heads, so a no-op `upgrade head` costs no graph at all.
   */
  static deferred(load, summary) {
    const map = new _RevisionMap([]);
    map.built = false;
    map.load = load;
    map.summary = summary;
    return map;
  }
  ensureBuilt() {
    if (this.built)
      return;
    const load = this.load;
    this.load = void 0;
    this.summary = void 0;
    this.build(load());
  }
  get nodes() {
    if (!this.built)
      this.ensureBuilt();
    return this._nodes;
  }
  get labelOwner() {
    if (!this.built)
      this.ensureBuilt();
    return this._labelOwner;
  }
  get orderedIds() {
    if (!this.built)
      this.ensureBuilt();
    return this._orderedIds;
  }
  get topoIndex() {
    if (!this.built)
      this.ensureBuilt();
    return this._topoIndex;
  }
  get sortedIds() {
    if (!this.built)
      this.ensureBuilt();
    return this._sortedIds;
  }
  /** Index and validate the revisions (Alembic's checks at load): what the constructor did before it could be deferred. */
  build(revisions) {
    this.built = true;
    revisions.forEach((rev, order) => {
      const existing = this._nodes.get(rev.id);
      if (existing) {
        throw new ReviseError(`Revision ${rev.id} is present more than once: ${existing.rev.path} and ${rev.path}`);
      }
      if (rev.downRevisions.includes(rev.id))
        throw new ReviseError(`Self-loop is detected in revisions (${rev.id})`);
      this._nodes.set(rev.id, {
        rev,
        order,
        // Shared, not copied, in the common case: thousands of nodes, and none of these arrays is mutated.
        down: rev.downRevisions.length <= 1 ? rev.downRevisions : [...new Set(rev.downRevisions)],
        deps: [],
        normDown: [],
        next: [],
        allNext: [],
        labels: rev.branchLabels.length > 0 ? new Set(rev.branchLabels) : NO_LABELS
      });
    });
    this._sortedIds = [...this._nodes.keys()].sort();
    for (const node of this._nodes.values()) {
      for (const label of node.rev.branchLabels) {
        const owner = this._labelOwner.get(label) ?? this._nodes.get(label);
        if (owner) {
          throw new ReviseError(`Branch name '${label}' in revision ${node.rev.id} already used by revision ${owner.rev.id}`);
        }
        this._labelOwner.set(label, node);
      }
    }
    for (const node of this._nodes.values()) {
      for (const down of node.down) {
        if (!this._nodes.has(down)) {
          throw new ReviseError(`Revision ${down} referenced from ${node.rev.id} (${node.rev.path}) is not present`);
        }
      }
      node.deps = [
        ...new Set(node.rev.dependsOn.map((dep) => {
          const target = this._labelOwner.get(dep) ?? this._nodes.get(dep) ?? this.uniquePrefix(dep);
          if (!target) {
            throw new ReviseError(`Revision ${dep} referenced from ${node.rev.id} (${node.rev.path}) as a dependency is not present`);
          }
          if (target === node)
            throw new ReviseError(`Dependency self-loop is detected in revisions (${node.rev.id})`);
          return target.rev.id;
        }))
      ];
    }
    for (const node of this._nodes.values()) {
      for (const down of node.down)
        this._nodes.get(down).next.push(node.rev.id);
      const parents = node.deps.length === 0 ? node.down : /* @__PURE__ */ new Set([...node.down, ...node.deps]);
      for (const down of parents)
        this._nodes.get(down).allNext.push(node.rev.id);
    }
    this.detectCycles((n) => n.down, (n) => n.next, "Cycle");
    if (revisions.some((r) => r.dependsOn.length > 0)) {
      this.detectCycles((n) => [.../* @__PURE__ */ new Set([...n.down, ...n.deps])], (n) => n.allNext, "Dependency cycle");
    }
    for (const node of this._nodes.values()) {
      let deps = node.deps;
      if (deps.length === 0) {
        node.normDown = node.down;
        continue;
      }
      const implied = /* @__PURE__ */ new Set();
      for (const anc of this.walk([node], (n) => n.down))
        if (anc !== node)
          for (const d of anc.deps)
            implied.add(d);
      deps = deps.filter((d) => !implied.has(d));
      node.normDown = [.../* @__PURE__ */ new Set([...node.down, ...deps])];
    }
    this._orderedIds = this.topologicalOrder();
    this._orderedIds.forEach((id, i) => this._topoIndex.set(id, i));
    this.propagateLabels();
  }
  /** What `deferred` needs to stand in for this graph next time (see GraphSummary). */
  summarize() {
    const heads = this.headIds;
    const headRevisions = {};
    for (const id of heads)
      headRevisions[id] = { rev: this.nodes.get(id).rev, labels: this.branchLabelsOf(id) };
    return { heads, realHeads: this.realHeadIds, headRevisions };
  }
  /** Deferred graph only: the summary's entry for a head, so head-level questions need no graph. */
  knownHead(id) {
    return this.summary && Object.hasOwn(this.summary.headRevisions, id) ? this.summary.headRevisions[id] : void 0;
  }
  // ---------------------------------------------------------------- lookups
  /** The revision with exactly this id. */
  get(id) {
    const known = this.knownHead(id);
    if (known)
      return known.rev;
    return this.nodes.get(id)?.rev;
  }
  has(id) {
    return this.nodes.has(id);
  }
  get size() {
    return this.nodes.size;
  }
  /** Every revision, topologically ordered: each after its down revisions and dependencies (base first). */
  get all() {
    return this.orderedIds.map((id) => this.nodes.get(id).rev);
  }
  /** Revisions nothing builds on through `downRevision` (Alembic's `heads`), in load order. */
  get heads() {
    if (this.summary)
      return this.summary.heads.map((id) => this.summary.headRevisions[id].rev);
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.next.length === 0)).map((n) => n.rev);
  }
  get headIds() {
    if (this.summary)
      return [...this.summary.heads];
    return this.heads.map((r) => r.id);
  }
  /** Revisions with no `downRevision` (Alembic's `bases`). */
  get bases() {
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.down.length === 0)).map((n) => n.rev);
  }
  get baseIds() {
    return this.bases.map((r) => r.id);
  }
  /** Revisions that more than one revision names as `downRevision`. */
  get branchPoints() {
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.next.length > 1)).map((n) => n.rev);
  }
  /** Heads that are not a dependency of any other revision either (Alembic's `_real_heads`, what `heads` targets). */
  get realHeadIds() {
    if (this.summary)
      return [...this.summary.realHeads];
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.allNext.length === 0)).map((n) => n.rev.id);
  }
  /** Nothing builds on it, through downRevision or dependsOn (what `heads` targets). */
  isRealHead(id) {
    if (this.knownHead(id))
      return this.summary.realHeads.includes(id);
    return this.node(id).allNext.length === 0;
  }
  isHead(id) {
    if (this.knownHead(id))
      return true;
    return this.node(id).next.length === 0;
  }
  /** A head through `downRevision` that some other revision still depends on (Alembic's "effective head"). */
  isEffectiveHead(id) {
    if (this.knownHead(id))
      return !this.summary.realHeads.includes(id);
    const n = this.node(id);
    return n.next.length === 0 && n.allNext.length > 0;
  }
  isBranchPoint(id) {
    if (this.knownHead(id))
      return false;
    return this.node(id).next.length > 1;
  }
  isMergePoint(id) {
    const known = this.knownHead(id);
    if (known)
      return new Set(known.rev.downRevisions).size > 1;
    return this.node(id).down.length > 1;
  }
  /** Ids of the revisions whose `downRevision` names this one. */
  children(id) {
    if (this.knownHead(id))
      return [];
    return [...this.node(id).next];
  }
  /** Branch labels of a revision: its own plus those propagated along its branch. */
  branchLabelsOf(id) {
    const known = this.knownHead(id);
    if (known)
      return [...known.labels];
    return [...this.node(id).labels].sort();
  }
  /** The file of a revision, by id, unique prefix or branch label. */
  pathOf(identifier) {
    return this.resolve(identifier).path;
  }
  /**
   * One revision from a full id, a unique id prefix, a branch label, `head`,
   * `<label>@head`, `<label>@<rev>` or a relative form (`head-1`, `<rev>+2`).
   * `base` and several heads are errors here; see `resolveMany`.
   */
  resolve(identifier) {
    const match = RELATIVE_RE.exec(identifier);
    let pos;
    if (match && match[2] !== void 0) {
      const [, label, symbol, relative] = match;
      const steps = Number(relative);
      const start = this.getRevision(label && steps < 0 ? `${label}@${symbol}` : symbol) ?? "base";
      pos = this.walkSteps(start, steps, steps > 0 ? label : void 0, true);
      if (pos === void 0)
        throw new ReviseError(`Relative revision ${relative} didn't produce ${Math.abs(steps)} migrations`);
    } else {
      pos = this.getRevision(identifier) ?? "base";
    }
    if (pos === "base")
      throw new ReviseError(`'${identifier}' refers to base, not to a revision`);
    return pos.rev;
  }
  /** Zero or more revisions for a target: `heads`, `base` (none), `<label>@heads`, or anything `resolve` takes. */
  resolveMany(identifier) {
    return this.getRevisions(identifier).map((n) => n.rev);
  }
  /**
   * The revisions the database effectively is at: the given heads plus their
   * ancestors, reduced to the tips (Alembic's `get_all_current`, used by `current`).
   */
  allCurrent(current) {
    if (current.length === 1 && this.knownHead(current[0]) && this.summary.realHeads.includes(current[0])) {
      return [this.knownHead(current[0]).rev];
    }
    return this.allCurrentNodes(this.currentNodes(current)).map((n) => n.rev);
  }
  /**
   * Parents of a new revision (`revise revision --head`): Alembic's checks for
   * several heads and for a non-head parent without `--splice`.
   */
  parentsForNewRevision(head = "head", splice = false) {
    let nodes;
    try {
      nodes = this.getRevisions(head);
    } catch (err) {
      if (err instanceof MultipleHeadsError) {
        throw new ReviseError("Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.");
      }
      throw err;
    }
    if (new Set(nodes).size !== nodes.length)
      throw new ReviseError("Duplicate head revisions specified");
    if (!splice) {
      for (const n of nodes) {
        if (n.next.length > 0) {
          throw new ReviseError(`Revision ${n.rev.id} is not a head revision; please specify --splice to create a new branch from this revision`);
        }
      }
    }
    return nodes.map((n) => n.rev.id);
  }
  /** `--depends-on` values for a new revision: branch labels kept as written, prefixes expanded to full ids. */
  resolveDependsOn(values) {
    return values.map((value) => this.labelOwner.has(value) ? value : this.resolve(value).id);
  }
  // ---------------------------------------------------------------- plans
  /** The revisions to run, oldest first, to bring `current` (the version table rows) up to `target`. */
  planUpgrade(current, target) {
    if (this.summary && this.atTarget(current, target))
      return [];
    const currentNodes = this.currentNodes(current);
    let needs;
    try {
      needs = this.collectUpgrade(target, currentNodes, { inclusive: false, implicitBase: true, assertRelative: true }).needs;
    } catch (err) {
      if (err instanceof RangeNotAncestorError) {
        throw new ReviseError(`Destination ${target} is not a valid upgrade target from current head(s)`);
      }
      throw rewordMultipleHeads(err, target);
    }
    const order = this.sortBaseFirst(needs);
    return this.simulate(order, "up", currentNodes);
  }
  /** The revisions to undo, newest first, to bring `current` down to `target`. */
  planDowngrade(current, target) {
    const currentNodes = this.currentNodes(current);
    let drop;
    try {
      drop = this.collectDowngrade(currentNodes, target, { inclusive: false, implicitBase: false, assertRelative: true });
    } catch (err) {
      if (err instanceof RangeNotAncestorError) {
        throw new ReviseError(`Destination ${target} is not a valid downgrade target from current head(s)`);
      }
      throw rewordMultipleHeads(err, target);
    }
    const order = this.sortBaseFirst(drop).reverse();
    return this.simulate(order, "down", currentNodes);
  }
  /**
   * Version table changes for `stamp <targets...>` (Alembic's `_stamp_revs`
   * applied by its HeadMaintainer). `base` (or no target) removes the rows of
   * the matching lineages.
   */
  planStamp(current, targets) {
    const heads = this.currentNodes(current);
    const wanted = targets.length === 0 ? ["base"] : targets;
    const rows = new Set(heads.map((n) => n.rev.id));
    try {
      for (const target of wanted) {
        const lineage = this.filterForLineage(heads, target, true);
        const dests = this.getRevisions(target);
        if (dests.length === 0) {
          for (const n of lineage)
            rows.delete(n.rev.id);
          continue;
        }
        for (const dest of dests) {
          const related = lineage.filter((h) => this.sharesLineage(h, [dest], true));
          if (related.includes(dest))
            continue;
          for (const n of related)
            rows.delete(n.rev.id);
          rows.add(dest.rev.id);
        }
      }
    } catch (err) {
      if (err instanceof MultipleHeadsError)
        throw new ReviseError("Multiple heads are present; please specify a single target revision");
      throw err;
    }
    const before = new Set(heads.map((n) => n.rev.id));
    return {
      delete: [...before].filter((id) => !rows.has(id)),
      insert: [...rows].filter((id) => !before.has(id))
    };
  }
  /**
   * Revisions of `alembic history [range]`, newest first. `range` is
   * `start:end` with either end optional; `current` in it stands for the
   * database's heads, which the caller passes as `current`.
   */
  history(range, current) {
    let lower = "base";
    let upper = "heads";
    let start = "base";
    let end = "heads";
    if (range !== void 0) {
      const parts = range.trim().split(":");
      if (parts.length !== 2)
        throw new ReviseError("History range requires [start]:[end], [start]:, or :[end]");
      start = parts[0] || "base";
      end = parts[1] || "heads";
      const currentNodes = () => {
        if (current === void 0)
          throw new ReviseError("'current' in a history range needs the database's current revision");
        return this.currentNodes(current);
      };
      lower = start === "current" ? currentNodes() : start;
      upper = end === "current" ? currentNodes() : end;
    }
    try {
      const { needs } = this.collectUpgrade(upper, lower, { inclusive: true, implicitBase: false, assertRelative: false });
      return this.sortBaseFirst(needs).reverse().map((n) => n.rev);
    } catch (err) {
      if (err instanceof RangeNotAncestorError) {
        throw new ReviseError(`Requested range ${start}:${end} does not refer to ancestor/descendant revisions along the same branch`);
      }
      throw rewordMultipleHeads(err, end);
    }
  }
  /**
   * Deferred graph only: is `current` exactly what `head` / `heads` names?
   * Then nothing is needed above it, whatever the graph in between.
   */
  atTarget(current, target) {
    const summary = this.summary;
    let targets;
    if (target === "heads")
      targets = summary.realHeads;
    else if (target === "head" && summary.heads.length === 1)
      targets = summary.heads;
    else
      return false;
    const rows = new Set(current);
    return rows.size === targets.length && targets.every((id) => rows.has(id));
  }
  // ---------------------------------------------------------------- internals: graph walks
  node(identifier) {
    const n = this.nodes.get(identifier);
    if (n)
      return n;
    return this.getRevision(identifier) ?? fail(`'${identifier}' refers to base, not to a revision`);
  }
  loadOrdered(nodes) {
    return nodes.sort((a, b) => a.order - b.order);
  }
  /** Everything reachable from `start` (included) through `edges`. */
  walk(start, edges) {
    const seen = /* @__PURE__ */ new Set();
    const todo = [...start];
    while (todo.length > 0) {
      const n = todo.pop();
      if (seen.has(n))
        continue;
      seen.add(n);
      for (const id of edges(n))
        todo.push(this.nodes.get(id));
    }
    return seen;
  }
  ancestors(start, includeDeps = true) {
    return this.walk(start, includeDeps ? (n) => n.normDown : (n) => n.down);
  }
  descendants(start, includeDeps = true) {
    return this.walk(start, includeDeps ? (n) => n.allNext : (n) => n.next);
  }
  /** Ancestors of several targets, refusing targets that are ancestors of each other (Alembic's `check=True`). */
  ancestorsChecked(targets) {
    if (targets.length > 1) {
      for (const t of targets) {
        const overlaps = [...this.ancestors([t])].filter((a) => a !== t && targets.includes(a));
        if (overlaps.length > 0) {
          throw new ReviseError(`Requested revision ${t.rev.id} overlaps with other requested revisions ${overlaps.map((o) => o.rev.id).join(", ")}`);
        }
      }
    }
    return this.ancestors(targets);
  }
  detectCycles(parents, children, kind) {
    const pending = /* @__PURE__ */ new Map();
    const ready = [];
    for (const n of this.nodes.values()) {
      const count = parents(n).length;
      pending.set(n, count);
      if (count === 0)
        ready.push(n);
    }
    let done = 0;
    while (ready.length > 0) {
      const n = ready.pop();
      done++;
      for (const id of children(n)) {
        const child = this.nodes.get(id);
        const left = pending.get(child) - 1;
        pending.set(child, left);
        if (left === 0)
          ready.push(child);
      }
    }
    if (done < this.nodes.size) {
      const stuck = [...pending].filter(([, left]) => left > 0).map(([n]) => n.rev.id);
      throw new ReviseError(`${kind} is detected in revisions (${stuck.sort().join(", ")})`);
    }
  }
  /**
   * Depth-first post-order from the heads: every revision after its parents,
   * and one branch finished before the next starts. Heads and parents are
   * visited last-first so the reversed order lists the first head first.
   */
  topologicalOrder() {
    const out = [];
    const state = /* @__PURE__ */ new Map();
    const roots = this.loadOrdered([...this.nodes.values()].filter((n) => n.allNext.length === 0)).reverse();
    for (const root of roots) {
      const stack = [];
      const push = (node) => {
        state.set(node, "open");
        stack.push({ node, i: node.normDown.length });
      };
      if (state.has(root))
        continue;
      push(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.i > 0) {
          const parent = this.nodes.get(top.node.normDown[--top.i]);
          if (!state.has(parent))
            push(parent);
        } else {
          stack.pop();
          state.set(top.node, "done");
          out.push(top.node.rev.id);
        }
      }
    }
    return out;
  }
  sortBaseFirst(nodes) {
    return [...nodes].sort((a, b) => this.topoIndex.get(a.rev.id) - this.topoIndex.get(b.rev.id));
  }
  /** Labels apply to the labelled revision's descendants and down its branch to the branch point. */
  propagateLabels() {
    for (const owner of this.labelOwner.values()) {
      const labels = owner.rev.branchLabels;
      for (const n of this.descendants([owner], false))
        for (const l of labels)
          addLabel(n, l);
      let parent = owner.down.length === 1 ? this.nodes.get(owner.down[0]) : void 0;
      while (parent && parent.allNext.length <= 1 && parent.down.length <= 1) {
        for (const l of labels)
          addLabel(parent, l);
        parent = parent.down.length === 1 ? this.nodes.get(parent.down[0]) : void 0;
      }
    }
  }
  // ---------------------------------------------------------------- internals: identifiers
  uniquePrefix(prefix) {
    const matches = this.prefixMatches(prefix);
    if (matches.length > 1) {
      throw new ReviseError(`Multiple revisions start with '${prefix}': ${listCandidates(matches)}`);
    }
    return matches.length === 1 ? this.nodes.get(matches[0]) : void 0;
  }
  prefixMatches(prefix) {
    if (prefix === "")
      return [];
    let lo = 0;
    let hi = this.sortedIds.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (this.sortedIds[mid] < prefix)
        lo = mid + 1;
      else
        hi = mid;
    }
    const out = [];
    for (let i = lo; i < this.sortedIds.length && this.sortedIds[i].startsWith(prefix); i++)
      out.push(this.sortedIds[i]);
    return out;
  }
  /** Alembic's `_resolve_revision_number`: `heads`/`head`/`base` expanded, with the branch part split off. */
  resolveNumber(identifier) {
    let id = identifier;
    let branch;
    const at = identifier.indexOf("@");
    if (at >= 0) {
      branch = identifier.slice(0, at);
      id = identifier.slice(at + 1);
    }
    if (id === "heads") {
      return { ids: branch ? this.filterForLineage(this.headNodes(), branch).map((n) => n.rev.id) : this.realHeadIds, branch };
    }
    if (id === "head") {
      const head = this.currentHead(branch);
      return { ids: head ? [head.rev.id] : [], branch };
    }
    if (id === "base" || id === "")
      return { ids: [], branch };
    return { ids: [id], branch };
  }
  headNodes() {
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.next.length === 0));
  }
  currentHead(branch) {
    let heads = this.headNodes();
    if (branch)
      heads = this.filterForLineage(heads, branch);
    if (heads.length > 1)
      throw new MultipleHeadsError(branch ? `${branch}@head` : "head");
    return heads[0];
  }
  /** Alembic's `get_revisions`: zero (base) or more revisions. */
  getRevisions(identifier) {
    const { ids, branch } = this.resolveNumber(identifier);
    if (ids.length === 1 && /^-\d+$/.test(ids[0])) {
      const steps = Number(ids[0]);
      let heads = this.headNodes();
      if (branch !== void 0)
        heads = heads.filter((h) => h.labels.has(branch));
      return heads.flatMap((h) => {
        const pos = this.walkSteps(h, steps, void 0, true);
        if (pos === void 0)
          throw new ReviseError(`Relative revision ${ids[0]} didn't produce ${-steps} migrations`);
        return pos === "base" ? [] : [pos];
      });
    }
    return ids.map((id) => this.revisionForIdent(id, branch));
  }
  /** Alembic's `get_revision`: one revision, or undefined for base. */
  getRevision(identifier) {
    const { ids, branch } = this.resolveNumber(identifier);
    if (ids.length > 1)
      throw new MultipleHeadsError(identifier);
    return ids.length === 0 ? void 0 : this.revisionForIdent(ids[0], branch);
  }
  resolveBranch(label) {
    const owner = this.labelOwner.get(label);
    if (owner)
      return owner;
    try {
      return this.revisionForIdent(label);
    } catch {
      throw new ReviseError(`No such branch: '${label}'`);
    }
  }
  /** An id, label or unique prefix; with `branch`, it must be on that branch's line. */
  revisionForIdent(id, branch) {
    const branchRev = branch ? this.resolveBranch(branch) : void 0;
    let node = this.nodes.get(id) ?? this.labelOwner.get(id);
    if (!node) {
      let matches = this.prefixMatches(id).map((m) => this.nodes.get(m));
      if (branchRev && matches.length > 1)
        matches = matches.filter((m) => this.sharesLineage(m, [branchRev]));
      if (matches.length > 1) {
        throw new ReviseError(`Multiple revisions start with '${id}': ${listCandidates(matches.map((m) => m.rev.id))}`);
      }
      if (matches.length === 0)
        throw new ReviseError(`Can't locate revision identified by '${id}'`);
      node = matches[0];
    }
    if (branchRev && !this.sharesLineage(node, [branchRev])) {
      throw new ReviseError(`Revision ${node.rev.id} is not a member of branch '${branch}'`);
    }
    return node;
  }
  sharesLineage(target, against, includeDeps = false) {
    if (against.length === 0)
      return true;
    const related = this.ancestors([target], includeDeps);
    for (const n of this.descendants([target], includeDeps))
      related.add(n);
    return against.some((a) => related.has(a));
  }
  /** The targets on the same line of ancestry as `checkAgainst` (a label, id, `label@head`, ...). */
  filterForLineage(targets, checkAgainst, includeDeps = false) {
    const { ids, branch } = this.resolveNumber(checkAgainst);
    const against = [];
    if (branch)
      against.push(this.resolveBranch(branch));
    for (const id of ids)
      against.push(this.revisionForIdent(id));
    return targets.filter((t) => this.sharesLineage(t, against, includeDeps));
  }
  /** Version-table rows as revisions; a row no file knows means the database is ahead of this code. */
  currentNodes(current) {
    const out = [];
    for (const id of current) {
      const node = this.nodes.get(id);
      if (!node) {
        throw new ReviseError(`Can't locate revision identified by '${id}': the database is stamped with a revision that no revision file has (the database is ahead of this code?)`);
      }
      if (!out.includes(node))
        out.push(node);
    }
    return out;
  }
  allCurrentNodes(current) {
    const all = this.ancestors(current);
    return this.sortBaseFirst(all).filter((n) => !n.next.some((c) => all.has(this.nodes.get(c))));
  }
  // ---------------------------------------------------------------- internals: relative walks
  /**
   * Walk `steps` revisions up (> 0) or down (< 0) from `start` (Alembic's
   * `_walk`). Up-walks may be narrowed to a branch. Returns undefined when the
   * walk runs off the graph and `noOverwalk` is set; otherwise stops at the edge.
   */
  walkSteps(start, steps, branch, noOverwalk) {
    let pos = start;
    for (let i = 0; i < Math.abs(steps); i++) {
      let options;
      if (steps > 0) {
        const up = pos === "base" ? this.loadOrdered([...this.nodes.values()].filter((n) => n.down.length === 0)) : pos.next.map((id) => this.nodes.get(id));
        options = branch ? this.filterForLineage(up, branch) : up;
      } else {
        options = pos === "base" ? [] : pos.down.length === 0 ? ["base"] : pos.down.map((id) => this.nodes.get(id));
      }
      if (options.length === 0)
        return noOverwalk ? void 0 : pos;
      if (options.length > 1) {
        const names = options.map((o) => o === "base" ? "base" : o.rev.id).join(", ");
        const from = pos === "base" ? "base" : pos.rev.id;
        throw new ReviseError(`Ambiguous walk: ${from} ${steps > 0 ? "has several next revisions" : "has several parents"} (${names}); use a revision id or '<branchname>@${steps > 0 ? "+" : "-"}${Math.abs(steps)}'`);
      }
      pos = options[0];
    }
    return pos;
  }
  /** Alembic's `_parse_downgrade_target`: the branch (if named) and the revision to go down to (undefined = base). */
  parseDowngradeTarget(current, target, assertRelative) {
    const match = RELATIVE_RE.exec(target);
    if (match) {
      let [, branch2, symbol2] = match;
      const relative = match[3];
      const steps = Number(relative);
      if (steps >= 0) {
        if (symbol2 === void 0)
          throw new ReviseError(`Relative revision ${relative} didn't produce ${Math.abs(steps)} migrations`);
        const pos = this.walkSteps(this.getRevision(symbol2) ?? "base", steps, branch2, assertRelative);
        if (pos === void 0)
          throw new ReviseError(`Relative revision ${relative} from ${symbol2} walked too far`);
        return { branch: branch2, target: pos === "base" ? void 0 : pos };
      }
      const fromCurrent = symbol2 === void 0;
      if (fromCurrent) {
        if (branch2 !== void 0) {
          let onBranch = this.filterForLineage(current, branch2);
          if (onBranch.length === 0)
            onBranch = this.filterForLineage(this.allCurrentNodes(current), branch2);
          if (onBranch.length !== 1) {
            throw new ReviseError(onBranch.length === 0 ? `Relative revision ${relative} didn't produce ${-steps} migrations: no current revision is on branch '${branch2}'` : `Several current revisions are on branch '${branch2}': ${onBranch.map((n) => n.rev.id).join(", ")}`);
          }
          symbol2 = onBranch[0].rev.id;
        } else {
          if (current.length === 0)
            throw new ReviseError(`Relative revision ${relative} didn't produce ${-steps} migrations`);
          if (current.length > 1) {
            throw new ReviseError(`downgrade ${relative} from multiple heads is ambiguous (${current.map((n) => n.rev.id).join(", ")}); use '<branchname>@${relative}' or a revision id`);
          }
          symbol2 = current[0].rev.id;
          branch2 = symbol2;
        }
      }
      const start = this.getRevision(branch2 === void 0 ? symbol2 : `${branch2}@${symbol2}`) ?? "base";
      const last = this.walkSteps(start, steps + 1, void 0, assertRelative);
      if (last === void 0 || last === "base") {
        throw new ReviseError(fromCurrent ? `Relative revision ${relative} didn't produce ${-steps} migrations` : `Relative revision ${relative} from ${symbol2} walked too far`);
      }
      const below = last.down.length === 1 ? this.nodes.get(last.down[0]) : void 0;
      return { branch: branch2, target: below, dropFrom: last };
    }
    const at = target.lastIndexOf("@");
    const branch = at > 0 ? target.slice(0, at) : void 0;
    const symbol = at >= 0 ? target.slice(at + 1) : target;
    const resolved = branch && (symbol === "head" || symbol === "heads") ? this.getRevision(`${branch}@head`) : this.getRevision(symbol);
    return { branch, target: resolved };
  }
  /** Alembic's `_parse_upgrade_target`: the revisions an upgrade (or history upper end) aims at. */
  parseUpgradeTarget(current, target, assertRelative) {
    const match = RELATIVE_RE.exec(target);
    if (!match)
      return this.getRevisions(target);
    const [, branch, symbol, relative] = match;
    const steps = Number(relative);
    const tooFar = () => fail(`Relative revision ${relative} didn't produce ${Math.abs(steps)} migrations`);
    if (steps > 0) {
      if (symbol !== void 0) {
        const pos3 = this.walkSteps(this.getRevision(symbol) ?? "base", steps, branch, assertRelative);
        if (pos3 === void 0)
          return tooFar();
        return pos3 === "base" ? [] : [pos3];
      }
      let starts = current.length > 0 ? current : ["base"];
      if (branch !== void 0) {
        let onBranch = this.filterForLineage(current, branch);
        if (onBranch.length === 0) {
          const active = this.filterForLineage([...this.ancestors(current)], branch);
          const below = new Set(active.flatMap((n) => n.normDown));
          onBranch = active.filter((n) => !below.has(n.rev.id));
          if (onBranch.length === 0)
            onBranch = ["base"];
        }
        starts = onBranch;
      }
      if (starts.length > 1)
        throw new ReviseError("Ambiguous upgrade from multiple current revisions");
      const pos2 = this.walkSteps(starts[0], steps, branch, assertRelative);
      if (pos2 === void 0)
        return tooFar();
      return pos2 === "base" ? [] : [pos2];
    }
    if (symbol === void 0)
      return tooFar();
    const start = this.getRevision(branch === void 0 ? symbol : `${branch}@${symbol}`) ?? "base";
    const pos = this.walkSteps(start, steps, void 0, assertRelative);
    if (pos === void 0)
      return tooFar();
    return pos === "base" ? [] : [pos];
  }
  /** The lower end of a range written relative to its upper end (`-3:` in history). */
  relativeLower(upperTargets, lower, assertRelative) {
    const match = RELATIVE_RE.exec(lower);
    const [, branch, symbol, relative] = match;
    const steps = Number(relative);
    if (symbol !== void 0) {
      const start = this.getRevision(branch === void 0 ? symbol : `${branch}@${symbol}`) ?? "base";
      const pos = this.walkSteps(start, steps, steps > 0 ? branch : void 0, assertRelative);
      if (pos === void 0)
        throw new ReviseError(`Relative revision ${relative} from ${symbol} walked too far`);
      return pos === "base" ? [] : [pos];
    }
    if (steps > 0)
      throw new ReviseError(`Relative revision ${relative} can't be the lower end of a range`);
    let starts = upperTargets;
    if (branch !== void 0)
      starts = this.filterForLineage(starts, branch);
    const out = [];
    for (const s of starts) {
      const pos = this.walkSteps(s, steps, void 0, assertRelative);
      if (pos === void 0)
        throw new ReviseError(`Relative revision ${relative} didn't produce ${-steps} migrations`);
      if (pos !== "base" && !out.includes(pos))
        out.push(pos);
    }
    return out;
  }
  // ---------------------------------------------------------------- internals: collecting
  /** Alembic's `_collect_upgrade_revisions`: what `upper` needs that `lower` does not have. */
  collectUpgrade(upper, lower, opts) {
    const lowerIsRelative = typeof lower === "string" && RELATIVE_RE.test(lower);
    const lowerForUpper = typeof lower === "string" ? lowerIsRelative ? [] : this.getRevisions(lower) : lower;
    let targets = typeof upper === "string" ? this.parseUpgradeTarget(lowerForUpper, upper, opts.assertRelative) : [...upper];
    if (typeof lower === "string" && lower.includes("@") && !lowerIsRelative) {
      let branch = lower.slice(0, lower.indexOf("@"));
      const branchRev = this.nodes.get(branch);
      if (branchRev && branchRev.labels.size === 1)
        branch = [...branchRev.labels][0];
      targets = targets.filter((t) => t.labels.has(branch));
    }
    const required = this.ancestorsChecked(targets);
    const currentRevs = lowerIsRelative ? this.relativeLower(targets, lower, opts.assertRelative) : lowerForUpper;
    if (!opts.implicitBase && currentRevs.some((r) => !required.has(r))) {
      throw new RangeNotAncestorError("range");
    }
    const have = this.ancestorsChecked(currentRevs);
    const needs = new Set([...required].filter((n) => !have.has(n)));
    if (opts.inclusive)
      for (const r of currentRevs)
        needs.add(r);
    if (currentRevs.length > 0 && !opts.implicitBase) {
      const above = this.descendants(currentRevs, false);
      for (const n of [...needs])
        if (!above.has(n))
          needs.delete(n);
    }
    return { needs, targets };
  }
  /** Alembic's `_collect_downgrade_revisions`: the applied revisions at or above the target's children. */
  collectDowngrade(current, target, opts) {
    const { branch, target: targetRev, dropFrom } = this.parseDowngradeTarget(current, target, opts.assertRelative);
    let roots;
    if (dropFrom)
      roots = [dropFrom];
    else if (targetRev === void 0)
      roots = this.loadOrdered([...this.nodes.values()].filter((n) => n.down.length === 0));
    else if (opts.inclusive)
      roots = [targetRev];
    else
      roots = targetRev.next.map((id) => this.nodes.get(id));
    if (branch !== void 0 && roots.length > 1) {
      const onBranch = this.ancestors([this.resolveBranch(branch)], false);
      roots = roots.filter((r) => onBranch.has(r));
      if (roots.length === 0)
        throw new ReviseError("Not a valid downgrade target from current heads");
    }
    const drop = this.descendants(roots, true);
    const active = this.ancestors(current, true);
    for (const n of [...drop])
      if (!active.has(n))
        drop.delete(n);
    if (opts.implicitBase) {
      const keep = this.ancestors(roots);
      for (const n of active)
        if (!keep.has(n))
          drop.add(n);
    }
    if (targetRev !== void 0 && drop.size === 0 && !current.includes(targetRev)) {
      throw new RangeNotAncestorError("Nothing to drop");
    }
    return drop;
  }
  // ---------------------------------------------------------------- internals: version table
  /**
   * Replay Alembic's HeadMaintainer over the ordered revisions, starting from
   * the current rows, and record each step's row changes.
   */
  simulate(order, direction, current) {
    const heads = new Set(current.map((n) => n.rev.id));
    return order.map((node) => {
      const { deleteHeads, insertHeads } = direction === "up" ? this.upgradeRows(node, heads) : this.downgradeRows(node, heads);
      for (const id of deleteHeads) {
        if (!heads.delete(id))
          throw new ReviseError(`Internal error: version row ${id} is not present when applying ${node.rev.id}`);
      }
      for (const id of insertHeads) {
        if (heads.has(id))
          throw new ReviseError(`Internal error: version row ${id} is already present when applying ${node.rev.id}`);
        heads.add(id);
      }
      return { revision: node.rev, direction, deleteHeads, insertHeads };
    });
  }
  upgradeRows(node, heads) {
    const id = node.rev.id;
    const present = node.normDown.filter((d) => heads.has(d));
    if (present.length === 0)
      return { deleteHeads: [], insertHeads: [id] };
    if (node.normDown.length > 1 && present.length > 1) {
      const others = [...heads].filter((h) => !node.normDown.includes(h)).map((h) => this.nodes.get(h));
      const implied = others.length > 0 ? this.ancestors(others) : /* @__PURE__ */ new Set();
      const from = present.filter((d) => !implied.has(this.nodes.get(d)));
      return { deleteHeads: from, insertHeads: [id] };
    }
    return { deleteHeads: [present[0]], insertHeads: [id] };
  }
  downgradeRows(node, heads) {
    const id = node.rev.id;
    if (!heads.has(id)) {
      throw new ReviseError(`Can't downgrade ${id}: it is applied but is not a head in the version table (rows: ${[...heads].join(", ")})`);
    }
    if (node.normDown.length === 0)
      return { deleteHeads: [id], insertHeads: [] };
    const to = this.unmergeTo(node, heads);
    return { deleteHeads: [id], insertHeads: to };
  }
  /** Parents that need their own row again once `node` is undone (Alembic's `_unmerge_to_revisions`). */
  unmergeTo(node, heads) {
    const others = [...heads].filter((h) => h !== node.rev.id).map((h) => this.nodes.get(h));
    if (others.length > 0) {
      const implied2 = this.ancestors(others);
      return node.normDown.filter((d) => !implied2.has(this.nodes.get(d)));
    }
    if (node.normDown.length <= 1)
      return [...node.normDown];
    const implied = /* @__PURE__ */ new Set();
    for (const d of node.normDown) {
      const dn = this.nodes.get(d);
      for (const a of this.ancestors([dn]))
        if (a !== dn)
          implied.add(a);
    }
    return node.normDown.filter((d) => !implied.has(this.nodes.get(d)));
  }
};
var MultipleHeadsError = class extends ReviseError {
  argument;
  constructor(argument) {
    super(`Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads`);
    this.argument = argument;
  }
};
function rewordMultipleHeads(err, argument) {
  if (err instanceof MultipleHeadsError && err.argument !== argument && !argument.includes("@")) {
    return new MultipleHeadsError(argument);
  }
  return err;
}
function listCandidates(ids) {
  const shown = ids.slice(0, 10).join(", ");
  return ids.length > 10 ? `${shown}, ... (${ids.length - 10} more)` : shown;
}
function fail(message) {
  throw new ReviseError(message);
}

// dist/script/literal.js
var LiteralSyntaxError = class extends Error {
  kind;
  found;
  constructor(message, kind, found) {
    super(message);
    this.kind = kind;
    this.found = found;
  }
};
function readLiteral(src, pos) {
  const reader = new LiteralReader(src, pos);
  const value = reader.value();
  return { value, end: reader.afterTypeTail() };
}
var ESCAPES = { n: "\n", r: "\r", t: "	", "0": "\0" };
var LiteralReader = class {
  src;
  pos;
  constructor(src, pos) {
    this.src = src;
    this.pos = pos;
  }
  value() {
    this.skipTrivia();
    const ch = this.src[this.pos];
    if (ch === "{")
      return this.object();
    if (ch === "[")
      return this.array();
    if (ch === "'" || ch === '"' || ch === "`")
      return this.string(ch);
    const word = /^(?:true|false|null|undefined|-?\d+(?:\.\d+)?)(?![\w$])/.exec(this.src.slice(this.pos, this.pos + 40));
    if (!word)
      throw this.error("not a literal", "value");
    this.pos += word[0].length;
    switch (word[0]) {
      case "true":
        return true;
      case "false":
        return false;
      case "null":
      case "undefined":
        return null;
      default:
        return Number(word[0]);
    }
  }
  /** Skips `as const` / `as string[]` / `satisfies ...` after the value; returns where the statement goes on. */
  afterTypeTail() {
    this.skipTrivia();
    const tail = /^(?:as|satisfies)\s+[\w\s[\]|<>.,]*?(?=;|\n|$)/.exec(this.src.slice(this.pos, this.pos + 200));
    if (tail)
      this.pos += tail[0].length;
    return this.pos;
  }
  object() {
    this.pos++;
    const out = {};
    for (; ; ) {
      this.skipTrivia();
      const ch = this.src[this.pos];
      if (ch === "}") {
        this.pos++;
        return out;
      }
      let key;
      if (ch === "'" || ch === '"')
        key = this.string(ch);
      else {
        const id = /^[A-Za-z_$][\w$]*/.exec(this.src.slice(this.pos, this.pos + 200));
        if (!id)
          throw this.error("expected a key", "object");
        key = id[0];
        this.pos += key.length;
      }
      this.skipTrivia();
      if (this.src[this.pos] !== ":")
        throw this.error("expected :", "object");
      this.pos++;
      out[key] = this.value();
      this.separator("}", "object");
    }
  }
  array() {
    this.pos++;
    const out = [];
    for (; ; ) {
      this.skipTrivia();
      if (this.src[this.pos] === "]") {
        this.pos++;
        return out;
      }
      if (this.pos >= this.src.length)
        throw this.error("unterminated array", "array");
      out.push(this.value());
      this.separator("]", "array");
    }
  }
  separator(close, kind) {
    this.skipTrivia();
    if (this.src[this.pos] === ",")
      this.pos++;
    else if (this.src[this.pos] !== close)
      throw this.error(`expected , or ${close}`, kind);
  }
  string(quote) {
    let out = "";
    let i = this.pos + 1;
    while (i < this.src.length) {
      const c = this.src[i];
      if (c === quote) {
        this.pos = i + 1;
        return out;
      }
      if (c === "\\") {
        const next = this.src[i + 1] ?? "";
        if (next === "x" || next === "u") {
          const hex = this.src.slice(i + 2, i + (next === "x" ? 4 : 6));
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2 + hex.length;
        } else {
          out += ESCAPES[next] ?? next;
          i += 2;
        }
        continue;
      }
      if (c === "\n" && quote !== "`")
        break;
      if (quote === "`" && c === "$" && this.src[i + 1] === "{")
        break;
      out += c;
      i++;
    }
    throw this.error("unterminated or non-literal string", "string");
  }
  skipTrivia() {
    for (; ; ) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos]))
        this.pos++;
      if (this.src.startsWith("//", this.pos)) {
        const nl = this.src.indexOf("\n", this.pos);
        this.pos = nl < 0 ? this.src.length : nl;
      } else if (this.src.startsWith("/*", this.pos)) {
        const end = this.src.indexOf("*/", this.pos + 2);
        this.pos = end < 0 ? this.src.length : end + 2;
      } else
        return;
    }
  }
  error(message, kind) {
    return new LiteralSyntaxError(message, kind, this.src.slice(this.pos, this.pos + 30).split("\n")[0]);
  }
};

// dist/script/revision.js
var ILLEGAL_ID_CHARS = ["@", "-", "+", ":"];
function checkRevisionId(id, where) {
  const bad = ILLEGAL_ID_CHARS.filter((c) => id.includes(c));
  if (bad.length > 0) {
    throw new ReviseError(`Character(s) '${bad.join(", ")}' not allowed in revision identifier '${id}' (${where})`);
  }
  if (id === "" || /\s/.test(id))
    throw new ReviseError(`Invalid revision identifier '${id}' in ${where}`);
  if (id === "head" || id === "heads" || id === "base" || id === "current") {
    throw new ReviseError(`Revision identifier '${id}' is a reserved word (${where})`);
  }
}
var HEADER_NAMES = ["revision", "downRevision", "branchLabels", "dependsOn"];
var EXPORT_RE = /export\s+const\s+(revision|downRevision|branchLabels|dependsOn)\b\s*(?::[^=;]*)?=/g;
function parseRevisionHeader(source, path) {
  const values = /* @__PURE__ */ new Map();
  EXPORT_RE.lastIndex = 0;
  for (let m = EXPORT_RE.exec(source); m; m = EXPORT_RE.exec(source)) {
    const name = m[1];
    if (values.has(name))
      throw new ReviseError(`${path}: \`${name}\` is exported twice`);
    values.set(name, readHeaderValue(source, m.index + m[0].length, path, name));
  }
  const revision = values.get("revision");
  if (typeof revision !== "string") {
    throw new ReviseError(revision === void 0 ? `${path} is not a revision file: it has no \`export const revision = '<id>'\`` : `${path}: \`revision\` must be a string literal`);
  }
  checkRevisionId(revision, path);
  if (!values.has("downRevision")) {
    throw new ReviseError(`${path}: revision ${revision} has no \`export const downRevision\` (use null for a first revision)`);
  }
  const doc = readDocComment(source);
  const longDoc = doc ?? "";
  const createDate = /^Create Date:[ \t]*(.+)$/m.exec(longDoc)?.[1]?.trim();
  return {
    id: revision,
    downRevisions: toList(values.get("downRevision")),
    branchLabels: toList(values.get("branchLabels")),
    dependsOn: toList(values.get("dependsOn")),
    // Alembic's `doc`: the first paragraph of the docstring.
    message: longDoc.split(/\n[ \t]*\n/)[0].trim(),
    ...createDate ? { createDate } : {},
    path,
    longDoc
  };
}
function toList(value) {
  if (value === void 0 || value === null)
    return [];
  const list = typeof value === "string" ? [value] : value;
  return [...new Set(list.filter((v) => v !== ""))];
}
function readDocComment(source) {
  let i = 0;
  if (source.startsWith("#!"))
    i = source.indexOf("\n") + 1 || source.length;
  for (; ; ) {
    while (i < source.length && /\s/.test(source[i]))
      i++;
    if (source.startsWith("//", i)) {
      i = source.indexOf("\n", i);
      if (i < 0)
        return void 0;
      continue;
    }
    break;
  }
  if (!source.startsWith("/*", i))
    return void 0;
  const end = source.indexOf("*/", i + 2);
  if (end < 0)
    return void 0;
  const body = source.slice(source.startsWith("/**", i) ? i + 3 : i + 2, end);
  const lines = body.split(/\r?\n/).map((line) => line.replace(/^\s*\* ?/, "").replace(/\s+$/, ""));
  return lines.join("\n").trim();
}
function readHeaderValue(source, pos, path, name) {
  let value;
  try {
    value = readLiteral(source, pos).value;
  } catch (err) {
    if (!(err instanceof LiteralSyntaxError))
      throw err;
    if (err.kind === "string")
      throw new ReviseError(`${path}: \`${name}\` has an unterminated or non-literal string`);
    if (err.kind === "array")
      throw new ReviseError(`${path}: \`${name}\` must be an array of string literals`);
    throw notALiteral(path, name, err.found);
  }
  if (value === null || typeof value === "string")
    return value;
  if (Array.isArray(value)) {
    if (value.includes(null))
      throw new ReviseError(`${path}: \`${name}\` may not contain null`);
    if (value.every((v) => typeof v === "string"))
      return value;
    throw new ReviseError(`${path}: \`${name}\` must be an array of string literals`);
  }
  throw notALiteral(path, name, JSON.stringify(value).slice(0, 30));
}
function notALiteral(path, name, found) {
  return new ReviseError(`${path}: \`${name}\` must be a string literal, an array of string literals or null (revision headers are read without running the file), found '${found}'`);
}
function hasAllHeaderExports(source) {
  const seen = /* @__PURE__ */ new Set();
  EXPORT_RE.lastIndex = 0;
  for (let m = EXPORT_RE.exec(source); m; m = EXPORT_RE.exec(source))
    seen.add(m[1]);
  return seen.size === HEADER_NAMES.length;
}

// dist/script/directory.js
var HEAD_BYTES = 4096;
function isRevisionFileName(name) {
  return name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.startsWith(".") && !name.startsWith("#");
}
async function loadScriptDirectory(versionPaths, options = {}) {
  const files = [];
  for (const dir of versionPaths) {
    let names;
    try {
      names = await readdir(dir);
    } catch (err) {
      const code = err.code;
      if (code === "ENOENT") {
        throw new ReviseError(`Path doesn't exist: '${dir}'. Please use 'revise init' to create a new migrations folder.`);
      }
      if (code === "ENOTDIR")
        throw new ReviseError(`Version location '${dir}' is not a folder`);
      throw err;
    }
    names.sort();
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const name of names)
      if (isRevisionFileName(name))
        files.push(prefix + name);
  }
  const buffer = Buffer.allocUnsafe(HEAD_BYTES);
  if (options.cacheDir === void 0)
    return new RevisionMap(files.map((path) => readRevision(path, buffer)));
  return loadWithCache(files, versionPaths, options.cacheDir, buffer);
}
var HEADER_CACHE_VERSION = 4;
function loadWithCache(files, versionPaths, cacheDir, buffer) {
  const key = createHash("sha256").update(versionPaths.join("\0")).digest("hex").slice(0, 16);
  const graphFile = join(cacheDir, `graph-${key}.json`);
  const headersFile = join(cacheDir, `headers-${key}.json`);
  const paths = createHash("sha256").update(files.join("\n")).digest("hex");
  const mtimes = new Array(files.length);
  const sizes = new Array(files.length);
  const numbers = new Float64Array(files.length * 2);
  for (let i = 0; i < files.length; i++) {
    const info = statSync(files[i]);
    numbers[2 * i] = mtimes[i] = info.mtimeMs;
    numbers[2 * i + 1] = sizes[i] = info.size;
  }
  const stamp = createHash("sha256").update(new Uint8Array(numbers.buffer)).digest("hex");
  const known = readJson(graphFile);
  const cachedHeaders = () => readJson(headersFile)?.files ?? {};
  if (known && known.valid && known.paths === paths && known.stamp === stamp) {
    return RevisionMap.deferred(() => readWithCache(files, mtimes, sizes, cachedHeaders(), buffer).revisions, {
      heads: known.heads,
      realHeads: known.realHeads,
      headRevisions: known.headRevisions
    });
  }
  const { revisions, next, changed } = readWithCache(files, mtimes, sizes, cachedHeaders(), buffer);
  let map;
  let failure;
  try {
    map = new RevisionMap(revisions);
  } catch (err) {
    failure = err;
  }
  const summary = {
    version: HEADER_CACHE_VERSION,
    paths,
    stamp,
    valid: map !== void 0,
    ...map ? map.summarize() : { heads: [], realHeads: [], headRevisions: {} }
  };
  try {
    mkdirSync(cacheDir, { recursive: true });
    if (changed || !known)
      writeAtomically(headersFile, JSON.stringify({ version: HEADER_CACHE_VERSION, files: next }));
    writeAtomically(graphFile, JSON.stringify(summary));
  } catch {
  }
  if (!map)
    throw failure;
  return map;
}
function readJson(path) {
  try {
    const value = JSON.parse(readFileSync(path, "utf8"));
    return value.version === HEADER_CACHE_VERSION ? value : void 0;
  } catch {
    return void 0;
  }
}
function writeAtomically(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
function readWithCache(files, mtimes, sizes, cached, buffer) {
  let changed = Object.keys(cached).length !== files.length;
  const next = {};
  const revisions = files.map((path, i) => {
    const hit = cached[path];
    if (hit && hit[0] === mtimes[i] && hit[1] === sizes[i]) {
      next[path] = hit;
      return { ...hit[2], path };
    }
    changed = true;
    const revision = readRevision(path, buffer);
    const { path: _key, ...stored } = revision;
    next[path] = [mtimes[i], sizes[i], stored];
    return revision;
  });
  return { revisions, next, changed };
}
function readRevision(path, buffer = Buffer.allocUnsafe(HEAD_BYTES)) {
  const fd = openSync(path, "r");
  let bytesRead;
  try {
    bytesRead = readSync(fd, buffer, 0, HEAD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const head = buffer.toString("utf8", 0, bytesRead);
  const whole = bytesRead < HEAD_BYTES;
  if (!whole && hasAllHeaderExports(head)) {
    try {
      return parseRevisionHeader(head, path);
    } catch {
    }
  }
  return parseRevisionHeader(whole ? head : readFileSync(path, "utf8"), path);
}
async function isDirectory(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
export {
  isDirectory,
  isRevisionFileName,
  loadScriptDirectory,
  readRevision
};
