import { createRequire } from 'node:module';
import type { Kysely } from 'kysely';
import type { DataStatementRunner } from './kysely-dialect.js';
import type { Dialect } from '../dialect/types.js';

// Kysely is 263 ES modules (~100 ms to load), and every generated revision
// calls `op.data()` even when its hook is the empty skeleton that never
// touches the handle. So the handle is made, and Kysely loaded, on first use.

type KyselyDialectModule = typeof import('./kysely-dialect.js');

let loaded: KyselyDialectModule | undefined;

/**
 * The module that builds the handle, loaded synchronously where Node can
 * `require()` an ES module (20.19+): the very instance `import` gives, so a
 * hook's own `import { sql } from 'kysely'` and the handle share one Kysely.
 */
function kyselyDialect(): KyselyDialectModule {
  loaded ??= createRequire(import.meta.url)('./kysely-dialect.js') as KyselyDialectModule;
  return loaded;
}

/** Load it now, the ES-module way (Node without `require(esm)`, or a caller about to use it anyway). */
export async function preloadKyselyDialect(): Promise<KyselyDialectModule> {
  loaded ??= await import('./kysely-dialect.js');
  return loaded;
}

// Node before 20.19 cannot require() an ES module, and run from TypeScript source (tests) there is
// no built sibling to require: then it is loaded with this module, as it always was.
const requireEsm = (process.features as { require_module?: boolean }).require_module === true;
if (!requireEsm || import.meta.url.endsWith('.ts')) await preloadKyselyDialect();

/**
 * A Kysely handle that costs nothing until a property is read. Methods are
 * bound to the real instance (Kysely keeps its state in private fields, which
 * a Proxy receiver cannot reach) and kept, so `db.selectFrom === db.selectFrom`.
 */
export function lazyRevisionDb(dialect: Pick<Dialect, 'name' | 'dataCompiler'>, runner: DataStatementRunner): Kysely<any> {
  let real: Kysely<any> | undefined;
  const target = (): Kysely<any> => (real ??= kyselyDialect().createRevisionDb<any>(dialect, runner));
  const bound = new Map<PropertyKey, { method: Function; fn: Function }>();
  return new Proxy({} as Kysely<any>, {
    get(_, prop) {
      const db = target();
      const value = Reflect.get(db, prop, db) as unknown;
      // A getter's result (`db.fn`, itself a function with methods on it) is returned as it is; methods are bound.
      if (typeof value !== 'function' || isGetter(db, prop)) return value;
      let entry = bound.get(prop);
      if (entry?.method !== value) {
        entry = { method: value, fn: value.bind(db) };
        bound.set(prop, entry);
      }
      return entry.fn;
    },
    has: (_, prop) => Reflect.has(target(), prop),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
    set: (_, prop, value) => Reflect.set(target(), prop, value),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, prop) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), prop);
      // A proxy may report a property only as configurable when its (empty) target lacks it.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}

/** Whether `prop` is an accessor on `object` or its prototypes. */
function isGetter(object: object, prop: PropertyKey): boolean {
  for (let o: object | null = object; o !== null; o = Reflect.getPrototypeOf(o)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(o, prop);
    if (descriptor) return descriptor.get !== undefined;
  }
  return false;
}
