import { ReviseError } from '../errors.js';
import type { Revision } from './revision.js';

/**
 * One revision to run, plus how the `alembic_version` table changes when it
 * commits: delete the rows in `deleteHeads`, insert the rows in
 * `insertHeads` (one delete + one insert is Alembic's UPDATE). The table
 * holds one row per head, exactly as Alembic's HeadMaintainer keeps it.
 */
export interface MigrationStep {
  revision: Revision;
  direction: 'up' | 'down';
  deleteHeads: string[];
  insertHeads: string[];
}

/** Row changes that move the version table to the stamped revisions, without running anything. */
export interface StampPlan {
  delete: string[];
  insert: string[];
}

/** A requested range whose ends are not on one line of ancestry (Alembic's RangeNotAncestorError). */
class RangeNotAncestorError extends ReviseError {}

interface Node {
  rev: Revision;
  /** Position in load order (sorted file names); breaks ties so output is stable. */
  order: number;
  /** Ids of `downRevision`. */
  down: string[];
  /** `dependsOn` resolved to ids. */
  deps: string[];
  /** `down` + the deps not already implied by an ancestor's deps (Alembic's `_normalized_down_revisions`). */
  normDown: string[];
  /** Children through `downRevision` only. */
  next: string[];
  /** Children through `downRevision` or `dependsOn`. */
  allNext: string[];
  /** Branch labels, propagated along the branch like Alembic does. */
  labels: Set<string>;
}

/** `<label>@<symbol><+|-N>`, `<symbol>+N`, `+N`, `-N`, `<label>@-N` (Alembic's `_relative_destination`). */
const RELATIVE_RE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

type Pos = Node | 'base';

/** The labels of every unlabelled node: one shared empty set, replaced (never filled) by `addLabel`. */
const NO_LABELS: Set<string> = new Set();

function addLabel(node: Node, label: string): void {
  if (node.labels === NO_LABELS) node.labels = new Set();
  node.labels.add(label);
}

/**
 * What a graph that validated before is known by: its heads (load order), its
 * real heads, and each head's revision and propagated branch labels. Enough
 * to answer `heads`, `current` at head and a no-op `upgrade` without the graph.
 */
export interface GraphSummary {
  heads: string[];
  realHeads: string[];
  headRevisions: Record<string, { rev: Revision; labels: string[] }>;
}

/**
 * The revision graph of a script directory (Alembic's RevisionMap): lookups,
 * target resolution, and the plans for upgrade, downgrade and stamp.
 */
export class RevisionMap {
  private readonly _nodes = new Map<string, Node>();
  private readonly _labelOwner = new Map<string, Node>();
  private _orderedIds: string[] = [];
  private readonly _topoIndex = new Map<string, number>();
  /** Sorted ids, for prefix lookups by binary search. */
  private _sortedIds: string[] = [];
  private built = false;
  private load: (() => Revision[]) | undefined;
  private summary: GraphSummary | undefined;

  constructor(revisions: Revision[]) {
    this.build(revisions);
  }

  /**
   * A graph known to be valid (the same files loaded cleanly before), whose
   * heads are already known: nothing is read or indexed until something needs
   * more than the heads, so a no-op `upgrade head` costs no graph at all.
   */
  static deferred(load: () => Revision[], summary: GraphSummary): RevisionMap {
    const map = new RevisionMap([]);
    map.built = false;
    map.load = load;
    map.summary = summary;
    return map;
  }

  private ensureBuilt(): void {
    if (this.built) return;
    const load = this.load!;
    this.load = undefined;
    this.summary = undefined;
    this.build(load());
  }

  private get nodes(): Map<string, Node> {
    if (!this.built) this.ensureBuilt();
    return this._nodes;
  }

  private get labelOwner(): Map<string, Node> {
    if (!this.built) this.ensureBuilt();
    return this._labelOwner;
  }

  private get orderedIds(): string[] {
    if (!this.built) this.ensureBuilt();
    return this._orderedIds;
  }

  private get topoIndex(): Map<string, number> {
    if (!this.built) this.ensureBuilt();
    return this._topoIndex;
  }

  private get sortedIds(): string[] {
    if (!this.built) this.ensureBuilt();
    return this._sortedIds;
  }

  /** Index and validate the revisions (Alembic's checks at load): what the constructor did before it could be deferred. */
  private build(revisions: Revision[]): void {
    this.built = true;
    revisions.forEach((rev, order) => {
      const existing = this._nodes.get(rev.id);
      if (existing) {
        throw new ReviseError(`Revision ${rev.id} is present more than once: ${existing.rev.path} and ${rev.path}`);
      }
      if (rev.downRevisions.includes(rev.id)) throw new ReviseError(`Self-loop is detected in revisions (${rev.id})`);
      this._nodes.set(rev.id, {
        rev,
        order,
        // Shared, not copied, in the common case: thousands of nodes, and none of these arrays is mutated.
        down: rev.downRevisions.length <= 1 ? rev.downRevisions : [...new Set(rev.downRevisions)],
        deps: [],
        normDown: [],
        next: [],
        allNext: [],
        labels: rev.branchLabels.length > 0 ? new Set(rev.branchLabels) : NO_LABELS,
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
        ...new Set(
          node.rev.dependsOn.map((dep) => {
            const target = this._labelOwner.get(dep) ?? this._nodes.get(dep) ?? this.uniquePrefix(dep);
            if (!target) {
              throw new ReviseError(
                `Revision ${dep} referenced from ${node.rev.id} (${node.rev.path}) as a dependency is not present`,
              );
            }
            if (target === node) throw new ReviseError(`Dependency self-loop is detected in revisions (${node.rev.id})`);
            return target.rev.id;
          }),
        ),
      ];
    }

    for (const node of this._nodes.values()) {
      for (const down of node.down) this._nodes.get(down)!.next.push(node.rev.id);
      const parents = node.deps.length === 0 ? node.down : new Set([...node.down, ...node.deps]);
      for (const down of parents) this._nodes.get(down)!.allNext.push(node.rev.id);
    }

    this.detectCycles((n) => n.down, (n) => n.next, 'Cycle');
    if (revisions.some((r) => r.dependsOn.length > 0)) {
      this.detectCycles((n) => [...new Set([...n.down, ...n.deps])], (n) => n.allNext, 'Dependency cycle');
    }

    // A dependency already brought in by an ancestor's dependency is not a direct "down" of this revision.
    for (const node of this._nodes.values()) {
      let deps = node.deps;
      if (deps.length === 0) {
        node.normDown = node.down;
        continue;
      }
      const implied = new Set<string>();
      for (const anc of this.walk([node], (n) => n.down)) if (anc !== node) for (const d of anc.deps) implied.add(d);
      deps = deps.filter((d) => !implied.has(d));
      node.normDown = [...new Set([...node.down, ...deps])];
    }

    this._orderedIds = this.topologicalOrder();
    this._orderedIds.forEach((id, i) => this._topoIndex.set(id, i));
    this.propagateLabels();
  }

  /** What `deferred` needs to stand in for this graph next time (see GraphSummary). */
  summarize(): GraphSummary {
    const heads = this.headIds;
    const headRevisions: GraphSummary['headRevisions'] = {};
    for (const id of heads) headRevisions[id] = { rev: this.nodes.get(id)!.rev, labels: this.branchLabelsOf(id) };
    return { heads, realHeads: this.realHeadIds, headRevisions };
  }

  /** Deferred graph only: the summary's entry for a head, so head-level questions need no graph. */
  private knownHead(id: string): { rev: Revision; labels: string[] } | undefined {
    return this.summary && Object.hasOwn(this.summary.headRevisions, id) ? this.summary.headRevisions[id] : undefined;
  }

  // ---------------------------------------------------------------- lookups

  /** The revision with exactly this id. */
  get(id: string): Revision | undefined {
    const known = this.knownHead(id);
    if (known) return known.rev;
    return this.nodes.get(id)?.rev;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Every revision, topologically ordered: each after its down revisions and dependencies (base first). */
  get all(): Revision[] {
    return this.orderedIds.map((id) => this.nodes.get(id)!.rev);
  }

  /** Revisions nothing builds on through `downRevision` (Alembic's `heads`), in load order. */
  get heads(): Revision[] {
    if (this.summary) return this.summary.heads.map((id) => this.summary!.headRevisions[id]!.rev);
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.next.length === 0)).map((n) => n.rev);
  }

  get headIds(): string[] {
    if (this.summary) return [...this.summary.heads];
    return this.heads.map((r) => r.id);
  }

  /** Revisions with no `downRevision` (Alembic's `bases`). */
  get bases(): Revision[] {
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.down.length === 0)).map((n) => n.rev);
  }

  get baseIds(): string[] {
    return this.bases.map((r) => r.id);
  }

  /** Revisions that more than one revision names as `downRevision`. */
  get branchPoints(): Revision[] {
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.next.length > 1)).map((n) => n.rev);
  }

  /** Heads that are not a dependency of any other revision either (Alembic's `_real_heads`, what `heads` targets). */
  get realHeadIds(): string[] {
    if (this.summary) return [...this.summary.realHeads];
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.allNext.length === 0)).map((n) => n.rev.id);
  }

  /** Nothing builds on it, through downRevision or dependsOn (what `heads` targets). */
  isRealHead(id: string): boolean {
    if (this.knownHead(id)) return this.summary!.realHeads.includes(id);
    return this.node(id).allNext.length === 0;
  }

  isHead(id: string): boolean {
    if (this.knownHead(id)) return true;
    return this.node(id).next.length === 0;
  }

  /** A head through `downRevision` that some other revision still depends on (Alembic's "effective head"). */
  isEffectiveHead(id: string): boolean {
    if (this.knownHead(id)) return !this.summary!.realHeads.includes(id);
    const n = this.node(id);
    return n.next.length === 0 && n.allNext.length > 0;
  }

  isBranchPoint(id: string): boolean {
    if (this.knownHead(id)) return false;
    return this.node(id).next.length > 1;
  }

  isMergePoint(id: string): boolean {
    const known = this.knownHead(id);
    if (known) return new Set(known.rev.downRevisions).size > 1;
    return this.node(id).down.length > 1;
  }

  /** Ids of the revisions whose `downRevision` names this one. */
  children(id: string): string[] {
    if (this.knownHead(id)) return [];
    return [...this.node(id).next];
  }

  /** Branch labels of a revision: its own plus those propagated along its branch. */
  branchLabelsOf(id: string): string[] {
    const known = this.knownHead(id);
    if (known) return [...known.labels];
    return [...this.node(id).labels].sort();
  }

  /** The file of a revision, by id, unique prefix or branch label. */
  pathOf(identifier: string): string {
    return this.resolve(identifier).path;
  }

  /**
   * One revision from a full id, a unique id prefix, a branch label, `head`,
   * `<label>@head`, `<label>@<rev>` or a relative form (`head-1`, `<rev>+2`).
   * `base` and several heads are errors here; see `resolveMany`.
   */
  resolve(identifier: string): Revision {
    const match = RELATIVE_RE.exec(identifier);
    let pos: Pos | undefined;
    if (match && match[2] !== undefined) {
      const [, label, symbol, relative] = match;
      const steps = Number(relative);
      const start = this.getRevision(label && steps < 0 ? `${label}@${symbol}` : symbol!) ?? 'base';
      pos = this.walkSteps(start, steps, steps > 0 ? label : undefined, true);
      if (pos === undefined) throw new ReviseError(`Relative revision ${relative} didn't produce ${Math.abs(steps)} migrations`);
    } else {
      pos = this.getRevision(identifier) ?? 'base';
    }
    if (pos === 'base') throw new ReviseError(`'${identifier}' refers to base, not to a revision`);
    return pos.rev;
  }

  /** Zero or more revisions for a target: `heads`, `base` (none), `<label>@heads`, or anything `resolve` takes. */
  resolveMany(identifier: string): Revision[] {
    return this.getRevisions(identifier).map((n) => n.rev);
  }

  /**
   * The revisions the database effectively is at: the given heads plus their
   * ancestors, reduced to the tips (Alembic's `get_all_current`, used by `current`).
   */
  allCurrent(current: string[]): Revision[] {
    // The database at one real head: that head is all there is to show.
    if (current.length === 1 && this.knownHead(current[0]!) && this.summary!.realHeads.includes(current[0]!)) {
      return [this.knownHead(current[0]!)!.rev];
    }
    return this.allCurrentNodes(this.currentNodes(current)).map((n) => n.rev);
  }

  /**
   * Parents of a new revision (`revise revision --head`): Alembic's checks for
   * several heads and for a non-head parent without `--splice`.
   */
  parentsForNewRevision(head = 'head', splice = false): string[] {
    let nodes: Node[];
    try {
      nodes = this.getRevisions(head);
    } catch (err) {
      if (err instanceof MultipleHeadsError) {
        throw new ReviseError(
          'Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.',
        );
      }
      throw err;
    }
    if (new Set(nodes).size !== nodes.length) throw new ReviseError('Duplicate head revisions specified');
    if (!splice) {
      for (const n of nodes) {
        if (n.next.length > 0) {
          throw new ReviseError(
            `Revision ${n.rev.id} is not a head revision; please specify --splice to create a new branch from this revision`,
          );
        }
      }
    }
    return nodes.map((n) => n.rev.id);
  }

  /** `--depends-on` values for a new revision: branch labels kept as written, prefixes expanded to full ids. */
  resolveDependsOn(values: string[]): string[] {
    return values.map((value) => (this.labelOwner.has(value) ? value : this.resolve(value).id));
  }

  // ---------------------------------------------------------------- plans

  /** The revisions to run, oldest first, to bring `current` (the version table rows) up to `target`. */
  planUpgrade(current: string[], target: string): MigrationStep[] {
    if (this.summary && this.atTarget(current, target)) return [];
    const currentNodes = this.currentNodes(current);
    let needs: Set<Node>;
    try {
      needs = this.collectUpgrade(target, currentNodes, { inclusive: false, implicitBase: true, assertRelative: true }).needs;
    } catch (err) {
      if (err instanceof RangeNotAncestorError) {
        throw new ReviseError(`Destination ${target} is not a valid upgrade target from current head(s)`);
      }
      throw rewordMultipleHeads(err, target);
    }
    const order = this.sortBaseFirst(needs);
    return this.simulate(order, 'up', currentNodes);
  }

  /** The revisions to undo, newest first, to bring `current` down to `target`. */
  planDowngrade(current: string[], target: string): MigrationStep[] {
    const currentNodes = this.currentNodes(current);
    let drop: Set<Node>;
    try {
      drop = this.collectDowngrade(currentNodes, target, { inclusive: false, implicitBase: false, assertRelative: true });
    } catch (err) {
      if (err instanceof RangeNotAncestorError) {
        throw new ReviseError(`Destination ${target} is not a valid downgrade target from current head(s)`);
      }
      throw rewordMultipleHeads(err, target);
    }
    const order = this.sortBaseFirst(drop).reverse();
    return this.simulate(order, 'down', currentNodes);
  }

  /**
   * Version table changes for `stamp <targets...>` (Alembic's `_stamp_revs`
   * applied by its HeadMaintainer). `base` (or no target) removes the rows of
   * the matching lineages.
   */
  planStamp(current: string[], targets: string[]): StampPlan {
    const heads = this.currentNodes(current);
    const wanted = targets.length === 0 ? ['base'] : targets;
    const rows = new Set(heads.map((n) => n.rev.id));
    try {
      for (const target of wanted) {
        // Current rows on the same line of ancestry as the target are the ones it replaces.
        const lineage = this.filterForLineage(heads, target, true);
        const dests = this.getRevisions(target);
        if (dests.length === 0) {
          for (const n of lineage) rows.delete(n.rev.id);
          continue;
        }
        for (const dest of dests) {
          const related = lineage.filter((h) => this.sharesLineage(h, [dest], true));
          if (related.includes(dest)) continue; // already stamped
          for (const n of related) rows.delete(n.rev.id);
          rows.add(dest.rev.id);
        }
      }
    } catch (err) {
      if (err instanceof MultipleHeadsError) throw new ReviseError('Multiple heads are present; please specify a single target revision');
      throw err;
    }
    const before = new Set(heads.map((n) => n.rev.id));
    return {
      delete: [...before].filter((id) => !rows.has(id)),
      insert: [...rows].filter((id) => !before.has(id)),
    };
  }

  /**
   * Revisions of `alembic history [range]`, newest first. `range` is
   * `start:end` with either end optional; `current` in it stands for the
   * database's heads, which the caller passes as `current`.
   */
  history(range?: string, current?: string[]): Revision[] {
    let lower: string | Node[] = 'base';
    let upper: string | Node[] = 'heads';
    let start = 'base';
    let end = 'heads';
    if (range !== undefined) {
      const parts = range.trim().split(':');
      if (parts.length !== 2) throw new ReviseError('History range requires [start]:[end], [start]:, or :[end]');
      start = parts[0] || 'base';
      end = parts[1] || 'heads';
      const currentNodes = (): Node[] => {
        if (current === undefined) throw new ReviseError("'current' in a history range needs the database's current revision");
        return this.currentNodes(current);
      };
      lower = start === 'current' ? currentNodes() : start;
      upper = end === 'current' ? currentNodes() : end;
    }
    try {
      const { needs } = this.collectUpgrade(upper, lower, { inclusive: true, implicitBase: false, assertRelative: false });
      return this.sortBaseFirst(needs)
        .reverse()
        .map((n) => n.rev);
    } catch (err) {
      if (err instanceof RangeNotAncestorError) {
        throw new ReviseError(
          `Requested range ${start}:${end} does not refer to ancestor/descendant revisions along the same branch`,
        );
      }
      throw rewordMultipleHeads(err, end);
    }
  }

  /**
   * Deferred graph only: is `current` exactly what `head` / `heads` names?
   * Then nothing is needed above it, whatever the graph in between.
   */
  private atTarget(current: string[], target: string): boolean {
    const summary = this.summary!;
    let targets: string[];
    if (target === 'heads') targets = summary.realHeads;
    else if (target === 'head' && summary.heads.length === 1) targets = summary.heads;
    else return false;
    const rows = new Set(current);
    return rows.size === targets.length && targets.every((id) => rows.has(id));
  }

  // ---------------------------------------------------------------- internals: graph walks

  private node(identifier: string): Node {
    const n = this.nodes.get(identifier);
    if (n) return n;
    return this.getRevision(identifier) ?? fail(`'${identifier}' refers to base, not to a revision`);
  }

  private loadOrdered(nodes: Node[]): Node[] {
    return nodes.sort((a, b) => a.order - b.order);
  }

  /** Everything reachable from `start` (included) through `edges`. */
  private walk(start: Iterable<Node>, edges: (n: Node) => string[]): Set<Node> {
    const seen = new Set<Node>();
    const todo = [...start];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const id of edges(n)) todo.push(this.nodes.get(id)!);
    }
    return seen;
  }

  private ancestors(start: Iterable<Node>, includeDeps = true): Set<Node> {
    return this.walk(start, includeDeps ? (n) => n.normDown : (n) => n.down);
  }

  private descendants(start: Iterable<Node>, includeDeps = true): Set<Node> {
    return this.walk(start, includeDeps ? (n) => n.allNext : (n) => n.next);
  }

  /** Ancestors of several targets, refusing targets that are ancestors of each other (Alembic's `check=True`). */
  private ancestorsChecked(targets: Node[]): Set<Node> {
    if (targets.length > 1) {
      for (const t of targets) {
        const overlaps = [...this.ancestors([t])].filter((a) => a !== t && targets.includes(a));
        if (overlaps.length > 0) {
          throw new ReviseError(
            `Requested revision ${t.rev.id} overlaps with other requested revisions ${overlaps.map((o) => o.rev.id).join(', ')}`,
          );
        }
      }
    }
    return this.ancestors(targets);
  }

  private detectCycles(parents: (n: Node) => string[], children: (n: Node) => string[], kind: string): void {
    // Kahn's algorithm: whatever cannot be ordered sits on (or above) a cycle.
    const pending = new Map<Node, number>();
    const ready: Node[] = [];
    for (const n of this.nodes.values()) {
      const count = parents(n).length;
      pending.set(n, count);
      if (count === 0) ready.push(n);
    }
    let done = 0;
    while (ready.length > 0) {
      const n = ready.pop()!;
      done++;
      for (const id of children(n)) {
        const child = this.nodes.get(id)!;
        const left = pending.get(child)! - 1;
        pending.set(child, left);
        if (left === 0) ready.push(child);
      }
    }
    if (done < this.nodes.size) {
      const stuck = [...pending].filter(([, left]) => left > 0).map(([n]) => n.rev.id);
      throw new ReviseError(`${kind} is detected in revisions (${stuck.sort().join(', ')})`);
    }
  }

  /**
   * Depth-first post-order from the heads: every revision after its parents,
   * and one branch finished before the next starts. Heads and parents are
   * visited last-first so the reversed order lists the first head first.
   */
  private topologicalOrder(): string[] {
    const out: string[] = [];
    const state = new Map<Node, 'open' | 'done'>();
    const roots = this.loadOrdered([...this.nodes.values()].filter((n) => n.allNext.length === 0)).reverse();
    for (const root of roots) {
      // `i` counts the parents down: last parent first, without copying and reversing each list.
      const stack: Array<{ node: Node; i: number }> = [];
      const push = (node: Node): void => {
        state.set(node, 'open');
        stack.push({ node, i: node.normDown.length });
      };
      if (state.has(root)) continue;
      push(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.i > 0) {
          const parent = this.nodes.get(top.node.normDown[--top.i]!)!;
          if (!state.has(parent)) push(parent);
        } else {
          stack.pop();
          state.set(top.node, 'done');
          out.push(top.node.rev.id);
        }
      }
    }
    return out;
  }

  private sortBaseFirst(nodes: Iterable<Node>): Node[] {
    return [...nodes].sort((a, b) => this.topoIndex.get(a.rev.id)! - this.topoIndex.get(b.rev.id)!);
  }

  /** Labels apply to the labelled revision's descendants and down its branch to the branch point. */
  private propagateLabels(): void {
    for (const owner of this.labelOwner.values()) {
      const labels = owner.rev.branchLabels;
      for (const n of this.descendants([owner], false)) for (const l of labels) addLabel(n, l);
      let parent: Node | undefined = owner.down.length === 1 ? this.nodes.get(owner.down[0]!) : undefined;
      while (parent && parent.allNext.length <= 1 && parent.down.length <= 1) {
        for (const l of labels) addLabel(parent, l);
        parent = parent.down.length === 1 ? this.nodes.get(parent.down[0]!) : undefined;
      }
    }
  }

  // ---------------------------------------------------------------- internals: identifiers

  private uniquePrefix(prefix: string): Node | undefined {
    const matches = this.prefixMatches(prefix);
    if (matches.length > 1) {
      throw new ReviseError(`Multiple revisions start with '${prefix}': ${listCandidates(matches)}`);
    }
    return matches.length === 1 ? this.nodes.get(matches[0]!) : undefined;
  }

  private prefixMatches(prefix: string): string[] {
    if (prefix === '') return [];
    let lo = 0;
    let hi = this.sortedIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedIds[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.sortedIds.length && this.sortedIds[i]!.startsWith(prefix); i++) out.push(this.sortedIds[i]!);
    return out;
  }

  /** Alembic's `_resolve_revision_number`: `heads`/`head`/`base` expanded, with the branch part split off. */
  private resolveNumber(identifier: string): { ids: string[]; branch?: string } {
    let id = identifier;
    let branch: string | undefined;
    const at = identifier.indexOf('@');
    if (at >= 0) {
      branch = identifier.slice(0, at);
      id = identifier.slice(at + 1);
    }
    if (id === 'heads') {
      return { ids: branch ? this.filterForLineage(this.headNodes(), branch).map((n) => n.rev.id) : this.realHeadIds, branch };
    }
    if (id === 'head') {
      const head = this.currentHead(branch);
      return { ids: head ? [head.rev.id] : [], branch };
    }
    if (id === 'base' || id === '') return { ids: [], branch };
    return { ids: [id], branch };
  }

  private headNodes(): Node[] {
    return this.loadOrdered([...this.nodes.values()].filter((n) => n.next.length === 0));
  }

  private currentHead(branch?: string): Node | undefined {
    let heads = this.headNodes();
    if (branch) heads = this.filterForLineage(heads, branch);
    if (heads.length > 1) throw new MultipleHeadsError(branch ? `${branch}@head` : 'head');
    return heads[0];
  }

  /** Alembic's `get_revisions`: zero (base) or more revisions. */
  private getRevisions(identifier: string): Node[] {
    const { ids, branch } = this.resolveNumber(identifier);
    if (ids.length === 1 && /^-\d+$/.test(ids[0]!)) {
      // `<label>@-N` / `-N` outside of a plan: N below each (label's) head.
      const steps = Number(ids[0]);
      let heads = this.headNodes();
      if (branch !== undefined) heads = heads.filter((h) => h.labels.has(branch));
      return heads.flatMap((h) => {
        const pos = this.walkSteps(h, steps, undefined, true);
        if (pos === undefined) throw new ReviseError(`Relative revision ${ids[0]} didn't produce ${-steps} migrations`);
        return pos === 'base' ? [] : [pos];
      });
    }
    return ids.map((id) => this.revisionForIdent(id, branch));
  }

  /** Alembic's `get_revision`: one revision, or undefined for base. */
  private getRevision(identifier: string): Node | undefined {
    const { ids, branch } = this.resolveNumber(identifier);
    if (ids.length > 1) throw new MultipleHeadsError(identifier);
    return ids.length === 0 ? undefined : this.revisionForIdent(ids[0]!, branch);
  }

  private resolveBranch(label: string): Node {
    const owner = this.labelOwner.get(label);
    if (owner) return owner;
    try {
      return this.revisionForIdent(label);
    } catch {
      throw new ReviseError(`No such branch: '${label}'`);
    }
  }

  /** An id, label or unique prefix; with `branch`, it must be on that branch's line. */
  private revisionForIdent(id: string, branch?: string): Node {
    const branchRev = branch ? this.resolveBranch(branch) : undefined;
    let node = this.nodes.get(id) ?? this.labelOwner.get(id);
    if (!node) {
      let matches = this.prefixMatches(id).map((m) => this.nodes.get(m)!);
      if (branchRev && matches.length > 1) matches = matches.filter((m) => this.sharesLineage(m, [branchRev]));
      if (matches.length > 1) {
        throw new ReviseError(`Multiple revisions start with '${id}': ${listCandidates(matches.map((m) => m.rev.id))}`);
      }
      if (matches.length === 0) throw new ReviseError(`Can't locate revision identified by '${id}'`);
      node = matches[0]!;
    }
    if (branchRev && !this.sharesLineage(node, [branchRev])) {
      throw new ReviseError(`Revision ${node.rev.id} is not a member of branch '${branch}'`);
    }
    return node;
  }

  private sharesLineage(target: Node, against: Node[], includeDeps = false): boolean {
    if (against.length === 0) return true;
    const related = this.ancestors([target], includeDeps);
    for (const n of this.descendants([target], includeDeps)) related.add(n);
    return against.some((a) => related.has(a));
  }

  /** The targets on the same line of ancestry as `checkAgainst` (a label, id, `label@head`, ...). */
  private filterForLineage(targets: Node[], checkAgainst: string, includeDeps = false): Node[] {
    const { ids, branch } = this.resolveNumber(checkAgainst);
    const against: Node[] = [];
    if (branch) against.push(this.resolveBranch(branch));
    for (const id of ids) against.push(this.revisionForIdent(id));
    return targets.filter((t) => this.sharesLineage(t, against, includeDeps));
  }

  /** Version-table rows as revisions; a row no file knows means the database is ahead of this code. */
  private currentNodes(current: string[]): Node[] {
    const out: Node[] = [];
    for (const id of current) {
      const node = this.nodes.get(id);
      if (!node) {
        throw new ReviseError(
          `Can't locate revision identified by '${id}': the database is stamped with a revision that no revision file has (the database is ahead of this code?)`,
        );
      }
      if (!out.includes(node)) out.push(node);
    }
    return out;
  }

  private allCurrentNodes(current: Node[]): Node[] {
    const all = this.ancestors(current);
    // Keep only the tips: drop anything below another member.
    return this.sortBaseFirst(all).filter((n) => !n.next.some((c) => all.has(this.nodes.get(c)!)));
  }

  // ---------------------------------------------------------------- internals: relative walks

  /**
   * Walk `steps` revisions up (> 0) or down (< 0) from `start` (Alembic's
   * `_walk`). Up-walks may be narrowed to a branch. Returns undefined when the
   * walk runs off the graph and `noOverwalk` is set; otherwise stops at the edge.
   */
  private walkSteps(start: Pos, steps: number, branch: string | undefined, noOverwalk: boolean): Pos | undefined {
    let pos: Pos = start;
    for (let i = 0; i < Math.abs(steps); i++) {
      let options: Pos[];
      if (steps > 0) {
        const up = pos === 'base' ? this.loadOrdered([...this.nodes.values()].filter((n) => n.down.length === 0)) : pos.next.map((id) => this.nodes.get(id)!);
        options = branch ? this.filterForLineage(up, branch) : up;
      } else {
        options = pos === 'base' ? [] : pos.down.length === 0 ? ['base'] : pos.down.map((id) => this.nodes.get(id)!);
      }
      if (options.length === 0) return noOverwalk ? undefined : pos;
      if (options.length > 1) {
        const names = options.map((o) => (o === 'base' ? 'base' : o.rev.id)).join(', ');
        const from = pos === 'base' ? 'base' : pos.rev.id;
        throw new ReviseError(
          `Ambiguous walk: ${from} ${steps > 0 ? 'has several next revisions' : 'has several parents'} (${names}); use a revision id or '<branchname>@${steps > 0 ? '+' : '-'}${Math.abs(steps)}'`,
        );
      }
      pos = options[0]!;
    }
    return pos;
  }

  /** Alembic's `_parse_downgrade_target`: the branch (if named) and the revision to go down to (undefined = base). */
  private parseDowngradeTarget(
    current: Node[],
    target: string,
    assertRelative: boolean,
  ): { branch?: string; target: Node | undefined; dropFrom?: Node } {
    const match = RELATIVE_RE.exec(target);
    if (match) {
      let [, branch, symbol] = match;
      const relative = match[3]!;
      const steps = Number(relative);
      if (steps >= 0) {
        if (symbol === undefined) throw new ReviseError(`Relative revision ${relative} didn't produce ${Math.abs(steps)} migrations`);
        const pos = this.walkSteps(this.getRevision(symbol) ?? 'base', steps, branch, assertRelative);
        if (pos === undefined) throw new ReviseError(`Relative revision ${relative} from ${symbol} walked too far`);
        return { branch, target: pos === 'base' ? undefined : pos };
      }
      const fromCurrent = symbol === undefined;
      if (fromCurrent) {
        if (branch !== undefined) {
          let onBranch = this.filterForLineage(current, branch);
          if (onBranch.length === 0) onBranch = this.filterForLineage(this.allCurrentNodes(current), branch);
          if (onBranch.length !== 1) {
            throw new ReviseError(
              onBranch.length === 0
                ? `Relative revision ${relative} didn't produce ${-steps} migrations: no current revision is on branch '${branch}'`
                : `Several current revisions are on branch '${branch}': ${onBranch.map((n) => n.rev.id).join(', ')}`,
            );
          }
          symbol = onBranch[0]!.rev.id;
        } else {
          if (current.length === 0) throw new ReviseError(`Relative revision ${relative} didn't produce ${-steps} migrations`);
          if (current.length > 1) {
            throw new ReviseError(
              `downgrade ${relative} from multiple heads is ambiguous (${current.map((n) => n.rev.id).join(', ')}); use '<branchname>@${relative}' or a revision id`,
            );
          }
          symbol = current[0]!.rev.id;
          // Restrict the downgrade to the branch of that head.
          branch = symbol;
        }
      }
      const start = this.getRevision(branch === undefined ? symbol! : `${branch}@${symbol}`) ?? 'base';
      // Walk to the last revision to undo and drop from there (inclusive): the same revisions as
      // Alembic's "children of the target", but a merge point as that last revision is not ambiguous.
      const last = this.walkSteps(start, steps + 1, undefined, assertRelative);
      if (last === undefined || last === 'base') {
        throw new ReviseError(
          fromCurrent
            ? `Relative revision ${relative} didn't produce ${-steps} migrations`
            : `Relative revision ${relative} from ${symbol} walked too far`,
        );
      }
      const below = last.down.length === 1 ? this.nodes.get(last.down[0]!) : undefined;
      return { branch, target: below, dropFrom: last };
    }
    const at = target.lastIndexOf('@');
    const branch = at > 0 ? target.slice(0, at) : undefined;
    const symbol = at >= 0 ? target.slice(at + 1) : target;
    // `label@head` names that branch's head; other symbols stand on their own.
    const resolved = branch && (symbol === 'head' || symbol === 'heads') ? this.getRevision(`${branch}@head`) : this.getRevision(symbol);
    return { branch, target: resolved };
  }

  /** Alembic's `_parse_upgrade_target`: the revisions an upgrade (or history upper end) aims at. */
  private parseUpgradeTarget(current: Node[], target: string, assertRelative: boolean): Node[] {
    const match = RELATIVE_RE.exec(target);
    if (!match) return this.getRevisions(target);
    const [, branch, symbol, relative] = match;
    const steps = Number(relative);
    const tooFar = (): never => fail(`Relative revision ${relative} didn't produce ${Math.abs(steps)} migrations`);
    if (steps > 0) {
      if (symbol !== undefined) {
        const pos = this.walkSteps(this.getRevision(symbol) ?? 'base', steps, branch, assertRelative);
        if (pos === undefined) return tooFar();
        return pos === 'base' ? [] : [pos];
      }
      let starts: Pos[] = current.length > 0 ? current : ['base'];
      if (branch !== undefined) {
        let onBranch: Pos[] = this.filterForLineage(current, branch);
        if (onBranch.length === 0) {
          // The branch has no current head: continue from its newest applied revision, or from base.
          const active = this.filterForLineage([...this.ancestors(current)], branch);
          const below = new Set(active.flatMap((n) => n.normDown));
          onBranch = active.filter((n) => !below.has(n.rev.id));
          if (onBranch.length === 0) onBranch = ['base'];
        }
        starts = onBranch;
      }
      if (starts.length > 1) throw new ReviseError('Ambiguous upgrade from multiple current revisions');
      const pos = this.walkSteps(starts[0]!, steps, branch, assertRelative);
      if (pos === undefined) return tooFar();
      return pos === 'base' ? [] : [pos];
    }
    if (symbol === undefined) return tooFar();
    const start = this.getRevision(branch === undefined ? symbol : `${branch}@${symbol}`) ?? 'base';
    const pos = this.walkSteps(start, steps, undefined, assertRelative);
    if (pos === undefined) return tooFar();
    return pos === 'base' ? [] : [pos];
  }

  /** The lower end of a range written relative to its upper end (`-3:` in history). */
  private relativeLower(upperTargets: Node[], lower: string, assertRelative: boolean): Node[] {
    const match = RELATIVE_RE.exec(lower)!;
    const [, branch, symbol, relative] = match;
    const steps = Number(relative);
    if (symbol !== undefined) {
      const start = this.getRevision(branch === undefined ? symbol : `${branch}@${symbol}`) ?? 'base';
      const pos = this.walkSteps(start, steps, steps > 0 ? branch : undefined, assertRelative);
      if (pos === undefined) throw new ReviseError(`Relative revision ${relative} from ${symbol} walked too far`);
      return pos === 'base' ? [] : [pos];
    }
    if (steps > 0) throw new ReviseError(`Relative revision ${relative} can't be the lower end of a range`);
    let starts = upperTargets;
    if (branch !== undefined) starts = this.filterForLineage(starts, branch);
    const out: Node[] = [];
    for (const s of starts) {
      const pos = this.walkSteps(s, steps, undefined, assertRelative);
      if (pos === undefined) throw new ReviseError(`Relative revision ${relative} didn't produce ${-steps} migrations`);
      if (pos !== 'base' && !out.includes(pos)) out.push(pos);
    }
    return out;
  }

  // ---------------------------------------------------------------- internals: collecting

  /** Alembic's `_collect_upgrade_revisions`: what `upper` needs that `lower` does not have. */
  private collectUpgrade(
    upper: string | Node[],
    lower: string | Node[],
    opts: { inclusive: boolean; implicitBase: boolean; assertRelative: boolean },
  ): { needs: Set<Node>; targets: Node[] } {
    const lowerIsRelative = typeof lower === 'string' && RELATIVE_RE.test(lower);
    // A relative upper end counts from the lower end; a relative lower end counts from the upper end.
    const lowerForUpper = typeof lower === 'string' ? (lowerIsRelative ? [] : this.getRevisions(lower)) : lower;
    let targets =
      typeof upper === 'string' ? this.parseUpgradeTarget(lowerForUpper, upper, opts.assertRelative) : [...upper];

    if (typeof lower === 'string' && lower.includes('@') && !lowerIsRelative) {
      // `<branch>@...` as the lower end: only that branch's targets.
      let branch = lower.slice(0, lower.indexOf('@'));
      const branchRev = this.nodes.get(branch);
      if (branchRev && branchRev.labels.size === 1) branch = [...branchRev.labels][0]!;
      targets = targets.filter((t) => t.labels.has(branch));
    }

    const required = this.ancestorsChecked(targets);
    const currentRevs = lowerIsRelative ? this.relativeLower(targets, lower as string, opts.assertRelative) : lowerForUpper;
    if (!opts.implicitBase && currentRevs.some((r) => !required.has(r))) {
      throw new RangeNotAncestorError('range');
    }
    const have = this.ancestorsChecked(currentRevs);
    const needs = new Set([...required].filter((n) => !have.has(n)));
    if (opts.inclusive) for (const r of currentRevs) needs.add(r);
    if (currentRevs.length > 0 && !opts.implicitBase) {
      const above = this.descendants(currentRevs, false);
      for (const n of [...needs]) if (!above.has(n)) needs.delete(n);
    }
    return { needs, targets };
  }

  /** Alembic's `_collect_downgrade_revisions`: the applied revisions at or above the target's children. */
  private collectDowngrade(
    current: Node[],
    target: string,
    opts: { inclusive: boolean; implicitBase: boolean; assertRelative: boolean },
  ): Set<Node> {
    const { branch, target: targetRev, dropFrom } = this.parseDowngradeTarget(current, target, opts.assertRelative);
    let roots: Node[];
    if (dropFrom) roots = [dropFrom];
    else if (targetRev === undefined) roots = this.loadOrdered([...this.nodes.values()].filter((n) => n.down.length === 0));
    else if (opts.inclusive) roots = [targetRev];
    else roots = targetRev.next.map((id) => this.nodes.get(id)!);

    if (branch !== undefined && roots.length > 1) {
      const onBranch = this.ancestors([this.resolveBranch(branch)], false);
      roots = roots.filter((r) => onBranch.has(r));
      if (roots.length === 0) throw new ReviseError('Not a valid downgrade target from current heads');
    }

    const drop = this.descendants(roots, true);
    const active = this.ancestors(current, true);
    for (const n of [...drop]) if (!active.has(n)) drop.delete(n);
    if (opts.implicitBase) {
      const keep = this.ancestors(roots);
      for (const n of active) if (!keep.has(n)) drop.add(n);
    }
    if (targetRev !== undefined && drop.size === 0 && !current.includes(targetRev)) {
      throw new RangeNotAncestorError('Nothing to drop');
    }
    return drop;
  }

  // ---------------------------------------------------------------- internals: version table

  /**
   * Replay Alembic's HeadMaintainer over the ordered revisions, starting from
   * the current rows, and record each step's row changes.
   */
  private simulate(order: Node[], direction: 'up' | 'down', current: Node[]): MigrationStep[] {
    const heads = new Set(current.map((n) => n.rev.id));
    return order.map((node) => {
      const { deleteHeads, insertHeads } = direction === 'up' ? this.upgradeRows(node, heads) : this.downgradeRows(node, heads);
      for (const id of deleteHeads) {
        if (!heads.delete(id)) throw new ReviseError(`Internal error: version row ${id} is not present when applying ${node.rev.id}`);
      }
      for (const id of insertHeads) {
        if (heads.has(id)) throw new ReviseError(`Internal error: version row ${id} is already present when applying ${node.rev.id}`);
        heads.add(id);
      }
      return { revision: node.rev, direction, deleteHeads, insertHeads };
    });
  }

  private upgradeRows(node: Node, heads: Set<string>): { deleteHeads: string[]; insertHeads: string[] } {
    const id = node.rev.id;
    const present = node.normDown.filter((d) => heads.has(d));
    // A base, or none of its parents has a row: a new branch row.
    if (present.length === 0) return { deleteHeads: [], insertHeads: [id] };
    if (node.normDown.length > 1 && present.length > 1) {
      // Merge: the parents' rows collapse into one, except rows still implied by another head.
      const others = [...heads].filter((h) => !node.normDown.includes(h)).map((h) => this.nodes.get(h)!);
      const implied = others.length > 0 ? this.ancestors(others) : new Set<Node>();
      const from = present.filter((d) => !implied.has(this.nodes.get(d)!));
      return { deleteHeads: from, insertHeads: [id] };
    }
    // Plain step (also a dependent whose dependency had the row): update that row.
    return { deleteHeads: [present[0]!], insertHeads: [id] };
  }

  private downgradeRows(node: Node, heads: Set<string>): { deleteHeads: string[]; insertHeads: string[] } {
    const id = node.rev.id;
    if (!heads.has(id)) {
      throw new ReviseError(`Can't downgrade ${id}: it is applied but is not a head in the version table (rows: ${[...heads].join(', ')})`);
    }
    if (node.normDown.length === 0) return { deleteHeads: [id], insertHeads: [] };
    const to = this.unmergeTo(node, heads);
    // Nothing to go back to that another head does not already imply: just drop the row.
    return { deleteHeads: [id], insertHeads: to };
  }

  /** Parents that need their own row again once `node` is undone (Alembic's `_unmerge_to_revisions`). */
  private unmergeTo(node: Node, heads: Set<string>): string[] {
    const others = [...heads].filter((h) => h !== node.rev.id).map((h) => this.nodes.get(h)!);
    if (others.length > 0) {
      const implied = this.ancestors(others);
      return node.normDown.filter((d) => !implied.has(this.nodes.get(d)!));
    }
    if (node.normDown.length <= 1) return [...node.normDown];
    const implied = new Set<Node>();
    for (const d of node.normDown) {
      const dn = this.nodes.get(d)!;
      for (const a of this.ancestors([dn])) if (a !== dn) implied.add(a);
    }
    return node.normDown.filter((d) => !implied.has(this.nodes.get(d)!));
  }
}

class MultipleHeadsError extends ReviseError {
  constructor(readonly argument: string) {
    super(
      `Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads`,
    );
  }
}

/** Alembic reports several heads in terms of the argument the user typed. */
function rewordMultipleHeads(err: unknown, argument: string): unknown {
  if (err instanceof MultipleHeadsError && err.argument !== argument && !argument.includes('@')) {
    return new MultipleHeadsError(argument);
  }
  return err;
}

/** Up to ten candidates, then how many more. */
function listCandidates(ids: string[]): string {
  const shown = ids.slice(0, 10).join(', ');
  return ids.length > 10 ? `${shown}, ... (${ids.length - 10} more)` : shown;
}

function fail(message: string): never {
  throw new ReviseError(message);
}
