import { describe, expect, it } from 'vitest';
import { ReviseError } from '../src/errors.ts';
import { describeRevision, formatRevisionLine } from '../src/script/format.ts';
import { RevisionMap } from '../src/script/graph.ts';
import { applySteps, rev } from './script-helpers.ts';

const ids = (revs: Array<{ id: string }>): string[] => revs.map((r) => r.id);
const stepIds = (steps: Array<{ revision: { id: string } }>): string[] => steps.map((s) => s.revision.id);

// Linear chain l1 <- l2 <- l3 <- l4 <- l5
const L = ['11aa00000001', '22bb00000002', '33cc00000003', '44dd00000004', '55ee00000005'];
const linear = () =>
  new RevisionMap(L.map((id, i) => rev(id, i === 0 ? null : L[i - 1]!, { message: `step ${i + 1}` })));

// Diamond: r1 <- r2 <- (r3, r4) <- r5 (merge) <- r6
const R1 = '1000aaaa0001';
const R2 = '2000bbbb0002';
const R3 = '3000cccc0003';
const R4 = '3001dddd0004';
const R5 = '5000eeee0005';
const R6 = '6000ffff0006';
const diamond = () =>
  new RevisionMap([
    rev(R1, null),
    rev(R2, R1),
    rev(R3, R2, { message: 'left side' }),
    rev(R4, R2, { message: 'right side' }),
    rev(R5, [R3, R4], { message: 'merge' }),
    rev(R6, R5),
  ]);

// Two roots: trunk t1 <- t2 <- t3; labelled branch f1 <- f2 <- f3 with f2 depending on t2.
const T1 = 'a100000000t1';
const T2 = 'a200000000t2';
const T3 = 'a300000000t3';
const F1 = 'b100000000f1';
const F2 = 'b200000000f2';
const F3 = 'b300000000f3';
const twoRoots = () =>
  new RevisionMap([
    rev(T1, null),
    rev(T2, T1),
    rev(T3, T2),
    rev(F1, null, { labels: ['feature'] }),
    rev(F2, F1, { dependsOn: [T2] }),
    rev(F3, F2),
  ]);

function expectError(fn: () => unknown, message: string | RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ReviseError);
  if (typeof message === 'string') expect((caught as Error).message).toBe(message);
  else expect((caught as Error).message).toMatch(message);
}

describe('graph structure', () => {
  it('orders a linear chain base first and finds head and base', () => {
    const map = linear();
    expect(ids(map.all)).toEqual(L);
    expect(ids(map.heads)).toEqual([L[4]]);
    expect(ids(map.bases)).toEqual([L[0]]);
    expect(map.branchPoints).toEqual([]);
  });

  it('knows branch points, merge points and heads of the diamond', () => {
    const map = diamond();
    expect(map.headIds).toEqual([R6]);
    expect(ids(map.branchPoints)).toEqual([R2]);
    expect(map.isMergePoint(R5)).toBe(true);
    expect(map.children(R2).sort()).toEqual([R3, R4]);
    const order = ids(map.all);
    expect(order[0]).toBe(R1);
    expect(order.at(-1)).toBe(R6);
    for (const r of map.all) for (const d of r.downRevisions) expect(order.indexOf(d)).toBeLessThan(order.indexOf(r.id));
  });

  it('tells real heads from effective heads with dependsOn', () => {
    const map = twoRoots();
    expect(map.headIds.sort()).toEqual([F3, T3].sort());
    expect(map.realHeadIds.sort()).toEqual([F3, T3].sort());
    expect(map.baseIds).toEqual([T1, F1]);
    const order = ids(map.all);
    expect(order.indexOf(T2)).toBeLessThan(order.indexOf(F2));
    // An effective head: a head through downRevision that another revision depends on.
    const m2 = new RevisionMap([rev(T1, null), rev(F1, null, { dependsOn: [T1] })]);
    expect(m2.isHead(T1)).toBe(false === m2.isRealHead(T1));
    expect(m2.isEffectiveHead(T1)).toBe(true);
    expect(m2.realHeadIds).toEqual([F1]);
  });

  it('propagates branch labels along the branch', () => {
    const map = new RevisionMap([
      rev(R1, null),
      rev(R2, R1),
      rev(R3, R2, { labels: ['left'] }),
      rev(R4, R2),
      rev('7000aaaa0007', R3),
    ]);
    expect(map.branchLabelsOf('7000aaaa0007')).toEqual(['left']);
    expect(map.branchLabelsOf(R3)).toEqual(['left']);
    // Stops at the branch point.
    expect(map.branchLabelsOf(R2)).toEqual([]);
    expect(map.branchLabelsOf(R4)).toEqual([]);
  });
});

describe('validation errors', () => {
  it('rejects a duplicate id naming both files', () => {
    const a = { ...rev(R1, null), path: '/v/one.ts' };
    const b = { ...rev(R1, null), path: '/v/two.ts' };
    expectError(() => new RevisionMap([a, b]), `Revision ${R1} is present more than once: /v/one.ts and /v/two.ts`);
  });

  it('rejects a missing parent and a missing dependency', () => {
    expectError(() => new RevisionMap([rev(R2, R1)]), `Revision ${R1} referenced from ${R2} (/versions/${R2}_x.ts) is not present`);
    expectError(
      () => new RevisionMap([rev(R1, null), rev(R2, R1, { dependsOn: ['nope'] })]),
      /Revision nope referenced from 2000bbbb0002 .* as a dependency is not present/,
    );
  });

  it('detects cycles, self loops and dependency cycles', () => {
    expectError(() => new RevisionMap([rev('aaaa', 'bbbb'), rev('bbbb', 'aaaa')]), 'Cycle is detected in revisions (aaaa, bbbb)');
    expectError(
      () => new RevisionMap([rev('base', null), rev('aaaa', ['base', 'cccc']), rev('bbbb', 'aaaa'), rev('cccc', 'bbbb')]),
      'Cycle is detected in revisions (aaaa, bbbb, cccc)',
    );
    expectError(() => new RevisionMap([rev('aaaa', 'aaaa')]), 'Self-loop is detected in revisions (aaaa)');
    expectError(
      () => new RevisionMap([rev('aaaa', null, { dependsOn: ['bbbb'] }), rev('bbbb', 'aaaa')]),
      'Dependency cycle is detected in revisions (aaaa, bbbb)',
    );
  });

  it('rejects a branch label used twice', () => {
    expectError(
      () => new RevisionMap([rev(R1, null, { labels: ['x'] }), rev(R2, R1, { labels: ['x'] })]),
      `Branch name 'x' in revision ${R2} already used by revision ${R1}`,
    );
  });
});

describe('resolving identifiers', () => {
  it('resolves full ids, unique prefixes, labels and paths', () => {
    const map = diamond();
    expect(map.resolve(R5).id).toBe(R5);
    expect(map.resolve('5').id).toBe(R5);
    expect(map.resolve('3000').id).toBe(R3);
    expect(map.resolve('head').id).toBe(R6);
    expect(map.pathOf('6000')).toBe(`/versions/${R6}_x.ts`);
    expect(twoRoots().resolve('feature').id).toBe(F1);
  });

  it('lists the candidates of an ambiguous prefix', () => {
    expectError(() => diamond().resolve('300'), `Multiple revisions start with '300': ${R3}, ${R4}`);
  });

  it('reports an unknown revision like Alembic', () => {
    expectError(() => diamond().resolve('zzz'), "Can't locate revision identified by 'zzz'");
  });

  it('refuses head with several heads, with Alembic’s message', () => {
    expectError(
      () => twoRoots().resolve('head'),
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
    expectError(
      () => twoRoots().planUpgrade([], 'head'),
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
  });

  it('resolves the symbolic and relative forms', () => {
    const map = twoRoots();
    expect(ids(map.resolveMany('heads')).sort()).toEqual([F3, T3].sort());
    expect(map.resolveMany('base')).toEqual([]);
    expect(map.resolve('feature@head').id).toBe(F3);
    expect(ids(map.resolveMany('feature@heads'))).toEqual([F3]);
    expect(map.resolve(`${T3}-1`).id).toBe(T2);
    expect(map.resolve(`${T1}+2`).id).toBe(T3);
    expect(map.resolve('feature@head-2').id).toBe(F1);
    expect(linear().resolve('head-1').id).toBe(L[3]);
    expectError(() => map.resolve(`${T1}+5`), "Relative revision +5 didn't produce 5 migrations");
    expectError(() => map.resolve(`feature@${T3}`), `Revision ${T3} is not a member of branch 'feature'`);
  });

  it('refuses a database row no file knows', () => {
    expectError(
      () => linear().planUpgrade(['deadbeef0000'], 'head'),
      "Can't locate revision identified by 'deadbeef0000': the database is stamped with a revision that no revision file has (the database is ahead of this code?)",
    );
  });
});

describe('upgrade and downgrade plans on a linear chain', () => {
  it('upgrades from base to head, one row updated per step', () => {
    const steps = linear().planUpgrade([], 'head');
    expect(stepIds(steps)).toEqual(L);
    expect(steps[0]).toMatchObject({ direction: 'up', deleteHeads: [], insertHeads: [L[0]] });
    expect(steps[1]).toMatchObject({ deleteHeads: [L[0]], insertHeads: [L[1]] });
    expect(applySteps([], steps).rows).toEqual([L[4]]);
  });

  it('handles absolute, relative and prefix targets', () => {
    const map = linear();
    expect(stepIds(map.planUpgrade([L[1]!], 'heads'))).toEqual(L.slice(2));
    expect(stepIds(map.planUpgrade([L[1]!], '+2'))).toEqual([L[2], L[3]]);
    expect(stepIds(map.planUpgrade([], '+1'))).toEqual([L[0]]);
    expect(stepIds(map.planUpgrade([L[0]!], '33cc'))).toEqual([L[1], L[2]]);
    expect(stepIds(map.planUpgrade([L[0]!], `${L[0]}+3`))).toEqual([L[1], L[2], L[3]]);
    expect(stepIds(map.planUpgrade([], 'head-1'))).toEqual(L.slice(0, 4));
    expect(map.planUpgrade([L[4]!], 'head')).toEqual([]);
    // Already past the target: nothing to do, like Alembic.
    expect(map.planUpgrade([L[4]!], L[2]!)).toEqual([]);
    expectError(() => map.planUpgrade([L[3]!], '+3'), "Relative revision +3 didn't produce 3 migrations");
    expectError(() => map.planUpgrade([L[3]!], '-1'), "Relative revision -1 didn't produce 1 migrations");
  });

  it('downgrades by relative steps, to a revision and to base', () => {
    const map = linear();
    const minusTwo = map.planDowngrade([L[4]!], '-2');
    expect(stepIds(minusTwo)).toEqual([L[4], L[3]]);
    expect(minusTwo.every((s) => s.direction === 'down')).toBe(true);
    expect(applySteps([L[4]!], minusTwo).rows).toEqual([L[2]]);
    expect(stepIds(map.planDowngrade([L[4]!], L[1]!))).toEqual([L[4], L[3], L[2]]);
    expect(stepIds(map.planDowngrade([L[4]!], `${L[4]}-1`))).toEqual([L[4]]);
    const toBase = map.planDowngrade([L[2]!], 'base');
    expect(stepIds(toBase)).toEqual([L[2], L[1], L[0]]);
    expect(toBase.at(-1)).toMatchObject({ deleteHeads: [L[0]], insertHeads: [] });
    expect(applySteps([L[2]!], toBase).rows).toEqual([]);
    expect(map.planDowngrade([L[2]!], L[2]!)).toEqual([]);
    expect(map.planDowngrade([], 'base')).toEqual([]);
  });

  it('refuses to go below base or past the end', () => {
    const map = linear();
    expectError(() => map.planDowngrade([L[1]!], '-3'), "Relative revision -3 didn't produce 3 migrations");
    expectError(() => map.planDowngrade([], '-1'), "Relative revision -1 didn't produce 1 migrations");
    expectError(() => map.planDowngrade([L[1]!], '+1'), "Relative revision +1 didn't produce 1 migrations");
    expectError(() => map.planDowngrade([L[1]!], L[3]!), `Destination ${L[3]} is not a valid downgrade target from current head(s)`);
  });
});

describe('version table steps on the diamond', () => {
  it('walks up step by step: branch adds a row, merge collapses rows', () => {
    const map = diamond();
    const steps = map.planUpgrade([], 'head');
    const { rows, after } = applySteps([], steps);
    expect(rows).toEqual([R6]);
    expect(after.get(R1)).toEqual([R1]);
    expect(after.get(R2)).toEqual([R2]);
    const order = stepIds(steps);
    const [first, second] = order.indexOf(R3) < order.indexOf(R4) ? [R3, R4] : [R4, R3];
    expect(after.get(first)).toEqual([first]);
    expect(after.get(second)).toEqual([R3, R4]);
    expect(after.get(R5)).toEqual([R5]);
    const merge = steps.find((s) => s.revision.id === R5)!;
    expect(merge.deleteHeads.sort()).toEqual([R3, R4]);
    expect(merge.insertHeads).toEqual([R5]);
  });

  it('walks up one revision at a time with +1', () => {
    const map = diamond();
    let rows: string[] = [];
    for (const expected of [[R1], [R2]]) {
      const steps = map.planUpgrade(rows, '+1');
      expect(steps).toHaveLength(1);
      rows = applySteps(rows, steps).rows;
      expect(rows).toEqual(expected);
    }
    // From the branch point, +1 is ambiguous: Alembic asks for a branch.
    expectError(() => map.planUpgrade([R2], '+1'), /Ambiguous walk/);
    const left = map.planUpgrade([R2], '3000@+1');
    expect(stepIds(left)).toEqual([R3]);
    rows = applySteps(rows, left).rows;
    expect(rows).toEqual([R3]);
    const right = map.planUpgrade(rows, '3001@+1');
    expect(stepIds(right)).toEqual([R4]);
    rows = applySteps(rows, right).rows;
    expect(rows).toEqual([R3, R4]);
    expect(stepIds(map.planUpgrade(rows, R5))).toEqual([R5]);
    rows = applySteps(rows, map.planUpgrade(rows, R5)).rows;
    expect(rows).toEqual([R5]);
    rows = applySteps(rows, map.planUpgrade(rows, '+1')).rows;
    expect(rows).toEqual([R6]);
    // And back down, one at a time, to base.
    const downs: string[][] = [];
    while (rows.length > 0) {
      const target = rows.length > 1 ? `${rows[0]!.slice(0, 4)}@-1` : '-1';
      rows = applySteps(rows, map.planDowngrade(rows, target)).rows;
      downs.push(rows);
    }
    expect(downs).toEqual([[R5], [R3, R4], [R4], [R2], [R1], []]);
  });

  it('upgrades the other branch from a half-applied diamond', () => {
    const map = diamond();
    const steps = map.planUpgrade([R3], 'heads');
    expect(stepIds(steps)).toEqual([R4, R5, R6]);
    expect(steps[0]).toMatchObject({ deleteHeads: [], insertHeads: [R4] });
    expect(applySteps([R3], steps).after.get(R4)).toEqual([R3, R4]);
    expect(applySteps([R3], steps).rows).toEqual([R6]);
  });

  it('walks down to base: the merge splits into two rows, then they join', () => {
    const map = diamond();
    const steps = map.planDowngrade([R6], 'base');
    const { rows, after } = applySteps([R6], steps);
    expect(rows).toEqual([]);
    expect(after.get(R6)).toEqual([R5]);
    expect(after.get(R5)).toEqual([R3, R4]);
    const unmerge = steps.find((s) => s.revision.id === R5)!;
    expect(unmerge.deleteHeads).toEqual([R5]);
    expect(unmerge.insertHeads.sort()).toEqual([R3, R4]);
    const order = stepIds(steps);
    const [first, second] = order.indexOf(R3) < order.indexOf(R4) ? [R3, R4] : [R4, R3];
    // The first side goes away without a replacement (the other still implies r2) ...
    expect(steps.find((s) => s.revision.id === first)).toMatchObject({ deleteHeads: [first], insertHeads: [] });
    expect(after.get(first)).toEqual([second]);
    // ... the second brings r2 back.
    expect(after.get(second)).toEqual([R2]);
    expect(after.get(R2)).toEqual([R1]);
    expect(after.get(R1)).toEqual([]);
  });

  it('downgrades one side of the branch with <rev>@-1 and refuses a bare -1 from two heads', () => {
    const map = diamond();
    const steps = map.planDowngrade([R3, R4], '3000@-1');
    expect(stepIds(steps)).toEqual([R3]);
    expect(applySteps([R3, R4], steps).rows).toEqual([R4]);
    expectError(() => map.planDowngrade([R3, R4], '-1'), /downgrade -1 from multiple heads is ambiguous/);
    // Downgrading to the branch point undoes both sides.
    const both = map.planDowngrade([R3, R4], R2);
    expect(stepIds(both).sort()).toEqual([R3, R4]);
    expect(applySteps([R3, R4], both).rows).toEqual([R2]);
    // Below the merge but above the branch point: both sides stay.
    expect(applySteps([R6], map.planDowngrade([R6], R3)).rows).toEqual([R3, R4]);
  });
});

describe('labels and dependsOn', () => {
  it('upgrades a labelled branch together with what it depends on; the dependency keeps no row', () => {
    const map = twoRoots();
    const steps = map.planUpgrade([], 'feature@head');
    expect(stepIds(steps).sort()).toEqual([F1, F2, F3, T1, T2].sort());
    const order = stepIds(steps);
    expect(order.indexOf(T2)).toBeLessThan(order.indexOf(F2));
    const { rows, after } = applySteps([], steps);
    expect(after.get(F2)).toEqual([F2]);
    expect(rows).toEqual([F3]);
    // Then the trunk head gets its own row.
    const rest = map.planUpgrade([F3], 'heads');
    expect(stepIds(rest)).toEqual([T3]);
    expect(rest[0]).toMatchObject({ deleteHeads: [], insertHeads: [T3] });
  });

  it('handles label@+N, label@base, label@-N and the label alone', () => {
    const map = twoRoots();
    expect(stepIds(map.planUpgrade([], 'feature@+1'))).toEqual([F1]);
    expect(stepIds(map.planUpgrade([F1], 'feature@+1')).sort()).toEqual([F2, T1, T2].sort());
    expectError(() => map.planUpgrade([], '+1'), /Ambiguous walk/);
    expect(stepIds(map.planUpgrade([], 'feature'))).toEqual([F1]);

    const both = [F3, T3];
    const minusOne = map.planDowngrade(both, 'feature@-1');
    expect(stepIds(minusOne)).toEqual([F3]);
    expect(applySteps(both, minusOne).rows).toEqual([F2, T3].sort());

    const featureBase = map.planDowngrade(both, 'feature@base');
    expect(stepIds(featureBase)).toEqual([F3, F2, F1]);
    const { rows, after } = applySteps(both, featureBase);
    expect(after.get(F2)).toEqual([F1, T3].sort());
    expect(rows).toEqual([T3]);
  });

  it('handles label@head-N, label@heads and <rev>@+N on downgrade and upgrade', () => {
    const map = twoRoots();
    const steps = map.planDowngrade([F3, T3], 'feature@head-1');
    expect(stepIds(steps)).toEqual([F3]);
    expect(stepIds(map.planUpgrade([T3], 'feature@heads')).sort()).toEqual([F1, F2, F3].sort());
    expect(stepIds(map.planUpgrade([F1], `${F1}+1`)).sort()).toEqual([F2, T1, T2].sort());
    expectError(() => map.planDowngrade([F3, T3], 'feature@-4'), "Relative revision -4 didn't produce 4 migrations");
    expectError(() => map.planDowngrade([T3], 'feature@-1'), /no current revision is on branch 'feature'/);
    expectError(() => map.planUpgrade([], 'nosuch@head'), "Can't locate revision identified by 'nosuch'");
  });

  it('downgrading the dependency takes its dependents with it', () => {
    const map = twoRoots();
    const steps = map.planDowngrade([F3, T3], T1);
    expect(stepIds(steps).sort()).toEqual([F2, F3, T2, T3].sort());
    expect(applySteps([F3, T3], steps).rows).toEqual([F1, T1].sort());
    // The trunk alone: t3 goes, and t2 stays implied by f3's dependency (no row of its own).
    const trunk = map.planDowngrade([F3, T3], T2);
    expect(stepIds(trunk)).toEqual([T3]);
    expect(trunk[0]).toMatchObject({ deleteHeads: [T3], insertHeads: [] });
  });
});

describe('stamp', () => {
  it('stamps heads, base and revisions as row changes', () => {
    const map = diamond();
    expect(map.planStamp([], ['head'])).toEqual({ delete: [], insert: [R6] });
    expect(map.planStamp([R6], ['base'])).toEqual({ delete: [R6], insert: [] });
    expect(map.planStamp([R6], [])).toEqual({ delete: [R6], insert: [] });
    expect(map.planStamp([R6], ['heads'])).toEqual({ delete: [], insert: [] });
    expect(map.planStamp([R3, R4], [R2])).toEqual({ delete: [R3, R4], insert: [R2] });
    expect(map.planStamp([R3], [R4])).toEqual({ delete: [], insert: [R4] });
    expect(map.planStamp([R3, R4], ['6000'])).toEqual({ delete: [R3, R4], insert: [R6] });
  });

  it('stamps one lineage of a two-root project', () => {
    const map = twoRoots();
    expect(map.planStamp([T3], ['feature@head'])).toEqual({ delete: [], insert: [F3] });
    expect(map.planStamp([F3, T3], ['feature@base'])).toEqual({ delete: [F3], insert: [] });
    expect(map.planStamp([], ['heads']).insert.sort()).toEqual([F3, T3].sort());
    expectError(() => map.planStamp([], ['head']), 'Multiple heads are present; please specify a single target revision');
  });
});

describe('history', () => {
  it('lists newest first for every range form', () => {
    const map = linear();
    const rev = [...L].reverse();
    expect(ids(map.history())).toEqual(rev);
    expect(ids(map.history('base:head'))).toEqual(rev);
    expect(ids(map.history(':head'))).toEqual(rev);
    expect(ids(map.history(`${L[1]}:${L[3]}`))).toEqual([L[3], L[2], L[1]]);
    expect(ids(map.history(':33cc'))).toEqual([L[2], L[1], L[0]]);
    expect(ids(map.history('44dd:'))).toEqual([L[4], L[3]]);
    expect(ids(map.history('-2:'))).toEqual([L[4], L[3], L[2]]);
    expect(ids(map.history('-10:'))).toEqual(rev);
    expect(ids(map.history('current:', [L[2]!]))).toEqual([L[4], L[3], L[2]]);
    expect(ids(map.history(':current', [L[1]!]))).toEqual([L[1], L[0]]);
    expect(ids(map.history(':current', []))).toEqual([]);
    expectError(() => map.history('abc'), 'History range requires [start]:[end], [start]:, or :[end]');
    expectError(
      () => map.history(`${L[3]}:${L[1]}`),
      `Requested range ${L[3]}:${L[1]} does not refer to ancestor/descendant revisions along the same branch`,
    );
    expectError(() => map.history('current:'), /needs the database's current revision/);
  });

  it('lists both sides of the diamond once, newest first', () => {
    const map = diamond();
    const order = ids(map.history());
    expect(order).toHaveLength(6);
    expect(order[0]).toBe(R6);
    expect(order[1]).toBe(R5);
    expect(order.at(-1)).toBe(R1);
    expect(ids(twoRoots().history(':feature@head')).sort()).toEqual([F1, F2, F3, T1, T2].sort());
  });
});

describe('formatting like Alembic', () => {
  it('formats history lines', () => {
    const map = diamond();
    const r6 = map.get(R6)!;
    expect(formatRevisionLine(r6, { isHead: true })).toBe(`${R5} -> ${R6} (head), revision ${R6}`);
    expect(formatRevisionLine(map.get(R1)!, {})).toBe(`<base> -> ${R1}, revision ${R1}`);
    expect(describeRevision(map, map.get(R5)!)).toBe(`${R3}, ${R4} -> ${R5} (mergepoint), merge`);
    expect(describeRevision(map, map.get(R2)!, { current: [R2] })).toBe(`${R1} -> ${R2} (current) (branchpoint), revision ${R2}`);
    expect(describeRevision(map, r6, { includeParents: false, includeDoc: false, treeIndicators: false })).toBe(`${R6} (head)`);
    const tr = twoRoots();
    expect(describeRevision(tr, tr.get(F2)!)).toBe(`${F1} (${T2}) -> ${F2} (feature), revision ${F2}`);
  });

  it('formats the verbose block', () => {
    const map = diamond();
    const r2 = { ...map.get(R2)!, longDoc: `add things\n\nRevision ID: ${R2}\nRevises: ${R1}` };
    const text = describeRevision(map, r2, { verbose: true });
    expect(text).toBe(
      `Rev: ${R2} (branchpoint)\nParent: ${R1}\nBranches into: ${map.children(R2).join(', ')}\nPath: /versions/${R2}_x.ts\n\n` +
        `    add things\n    \n    Revision ID: ${R2}\n    Revises: ${R1}\n`,
    );
    const merge = describeRevision(map, map.get(R5)!, { verbose: true });
    expect(merge.split('\n').slice(0, 2)).toEqual([`Rev: ${R5} (mergepoint)`, `Merges: ${R3}, ${R4}`]);
    expect(describeRevision(map, map.get(R6)!, { verbose: true }).startsWith(`Rev: ${R6} (head)\nParent: ${R5}\n`)).toBe(true);
  });
});

describe('new revision helpers', () => {
  it('picks parents like `alembic revision`', () => {
    expect(diamond().parentsForNewRevision()).toEqual([R6]);
    expect(new RevisionMap([]).parentsForNewRevision()).toEqual([]);
    expectError(() => twoRoots().parentsForNewRevision(), /^Multiple heads are present; please specify the head revision/);
    expect(twoRoots().parentsForNewRevision('heads').sort()).toEqual([F3, T3].sort());
    expectError(() => diamond().parentsForNewRevision(R2), `Revision ${R2} is not a head revision; please specify --splice to create a new branch from this revision`);
    expect(diamond().parentsForNewRevision('2000', true)).toEqual([R2]);
    expect(twoRoots().resolveDependsOn(['feature', 'a2'])).toEqual(['feature', T2]);
  });

  it('finds the effective current revisions', () => {
    expect(ids(diamond().allCurrent([R3, R4])).sort()).toEqual([R3, R4]);
    // t2 is applied as f2's dependency and has no row, but is a tip of its own line.
    expect(ids(twoRoots().allCurrent([F3])).sort()).toEqual([T2, F3].sort());
    expect(ids(linear().allCurrent([L[2]!]))).toEqual([L[2]]);
  });
});
