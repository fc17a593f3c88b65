/**
 * shop: products and orders
 *
 * Revision ID: 50eae45472c2
 * Revises: d9ba22348c43
 * Create Date: 2026-11-24 18:59:14.146000
 */
import type { Generated, MigrationOps, RevisionDb } from 'prisma-revise';

export const revision = '50eae45472c2';
export const downRevision: string | string[] | null = 'd9ba22348c43';
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

/** Prisma names -> database names of what this revision touches; read (never run) by the next autogenerate to tell @map renames from drops. */
export const prismaNames = {
  Order: {
    table: 'orders',
    columns: {
      id: 'id',
      status: 'status',
      totalCents: 'total_cents',
      placedAt: 'placed_at',
      customerId: 'customer_id',
    },
  },
  OrderItem: {
    table: 'order_items',
    columns: { orderId: 'order_id', productId: 'product_id', quantity: 'quantity', unitPriceCents: 'unit_price_cents' },
  },
  OrderStatus: {
    enum: 'OrderStatus',
    values: { PENDING: 'pending', PAID: 'paid', SHIPPED: 'shipped', CANCELLED: 'cancelled' },
  },
  Product: {
    table: 'products',
    columns: { id: 'id', sku: 'sku', name: 'name', priceCents: 'price_cents', stock: 'stock', active: 'active' },
  },
} as const;

export async function upgrade(op: MigrationOps): Promise<void> {
  await op.createTable({
    name: 'products',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'sku', type: 'TEXT', nullable: false },
      { name: 'name', type: 'TEXT', nullable: false },
      { name: 'price_cents', type: 'INTEGER', nullable: false },
      { name: 'stock', type: 'INTEGER', nullable: false, default: '0' },
      { name: 'active', type: 'BOOLEAN', nullable: false, default: 'true' },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [
      { name: 'products_sku_key', columns: ['sku'], unique: true },
      { name: 'products_active_name_idx', columns: ['active', 'name'] },
    ],
  });
  await op.createTable({
    name: 'orders',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'status', type: 'TEXT', nullable: false, default: "'pending'" },
      { name: 'total_cents', type: 'INTEGER', nullable: false, default: '0' },
      { name: 'placed_at', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
      { name: 'customer_id', type: 'INTEGER', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [
      { name: 'orders_customer_id_placed_at_idx', columns: ['customer_id', { name: 'placed_at', sort: 'DESC' }] },
      { name: 'orders_status_idx', columns: ['status'] },
    ],
    foreignKeys: [
      { name: 'orders_customer_id_fkey', columns: ['customer_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    ],
  });
  await op.createTable({
    name: 'order_items',
    columns: [
      { name: 'order_id', type: 'INTEGER', nullable: false },
      { name: 'product_id', type: 'INTEGER', nullable: false },
      { name: 'quantity', type: 'INTEGER', nullable: false, default: '1' },
      { name: 'unit_price_cents', type: 'INTEGER', nullable: false },
    ],
    primaryKey: { columns: ['order_id', 'product_id'] },
    indexes: [{ name: 'order_items_product_id_idx', columns: ['product_id'] }],
    foreignKeys: [
      { name: 'order_items_order_id_fkey', columns: ['order_id'], referencedTable: 'orders', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
      { name: 'order_items_product_id_fkey', columns: ['product_id'], referencedTable: 'products', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    ],
  });
  await upgradeData(op, op.data<UpgradeTables>());
}

export async function downgrade(op: MigrationOps): Promise<void> {
  // no additive steps
  await downgradeData(op, op.data<DowngradeTables>());
  // WARNING: drops table "order_items" and all of its rows
  await op.dropTable('order_items');
  // WARNING: drops table "orders" and all of its rows
  await op.dropTable('orders');
  // WARNING: drops table "products" and all of its rows
  await op.dropTable('products');
}

/**
 * Data migration for upgrade: runs after the additive schema steps above and
 * before the destructive ones, in this revision's transaction. New columns and
 * tables already exist here; dropped ones are still there to copy from.
 * `db` is a Kysely query builder typed by UpgradeTables below (the tables as
 * they are at this point of this revision, never the app's current models),
 * e.g. `await db.updateTable('User').set({ role: 'USER' }).where('role', 'is', null).execute()`.
 * Large tables: `await op.batched({ table, key: 'id' }, (chunk) => db.updateTable(...).where(chunk.where).execute())`.
 * Raw SQL with bound parameters: `op.query(sql, params)` / `op.execute(sql, params)`.
 */
async function upgradeData(op: MigrationOps, db: RevisionDb<UpgradeTables>): Promise<void> {}

/**
 * Data migration for downgrade: the same, in reverse. Runs after the steps that
 * restore dropped columns and tables and before the ones that remove what the
 * upgrade added, in this revision's transaction; `db` is typed by DowngradeTables.
 */
async function downgradeData(op: MigrationOps, db: RevisionDb<DowngradeTables>): Promise<void> {}

/**
 * Tables as upgradeData() sees them, frozen when this revision was written.
 */
interface UpgradeTables {
  products: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    sku: string; // TEXT, NOT NULL
    name: string; // TEXT, NOT NULL
    price_cents: number; // INTEGER, NOT NULL
    stock: Generated<number>; // INTEGER, NOT NULL, default 0
    active: Generated<number>; // BOOLEAN, NOT NULL, default true
  };
  orders: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    status: Generated<string>; // TEXT, NOT NULL, default 'pending'
    total_cents: Generated<number>; // INTEGER, NOT NULL, default 0
    placed_at: Generated<string | number>; // DATETIME, NOT NULL, default CURRENT_TIMESTAMP
    customer_id: number; // INTEGER, NOT NULL
  };
  order_items: {
    order_id: number; // INTEGER, primary key, NOT NULL
    product_id: number; // INTEGER, primary key, NOT NULL
    quantity: Generated<number>; // INTEGER, NOT NULL, default 1
    unit_price_cents: number; // INTEGER, NOT NULL
  };
}

/**
 * Tables as downgradeData() sees them, frozen when this revision was written.
 */
interface DowngradeTables {
  products: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    sku: string; // TEXT, NOT NULL
    name: string; // TEXT, NOT NULL
    price_cents: number; // INTEGER, NOT NULL
    stock: Generated<number>; // INTEGER, NOT NULL, default 0
    active: Generated<number>; // BOOLEAN, NOT NULL, default true
  };
  orders: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    status: Generated<string>; // TEXT, NOT NULL, default 'pending'
    total_cents: Generated<number>; // INTEGER, NOT NULL, default 0
    placed_at: Generated<string | number>; // DATETIME, NOT NULL, default CURRENT_TIMESTAMP
    customer_id: number; // INTEGER, NOT NULL
  };
  order_items: {
    order_id: number; // INTEGER, primary key, NOT NULL
    product_id: number; // INTEGER, primary key, NOT NULL
    quantity: Generated<number>; // INTEGER, NOT NULL, default 1
    unit_price_cents: number; // INTEGER, NOT NULL
  };
}
