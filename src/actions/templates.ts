/** The folder layouts `revise init` can create (Alembic's templates). */
export interface Template {
  name: 'generic' | 'multidb';
  description: string;
}

export const TEMPLATES: Template[] = [
  { name: 'generic', description: 'Generic single-database configuration.' },
  { name: 'multidb', description: 'Rudimentary multi-database configuration.' },
];

export const GENERIC_README = `Generic single-database configuration.

This folder holds the revise migration scripts of this project.

  versions/   one TypeScript file per revision: <revision>_<slug>.ts, each
              exporting upgrade(op) and downgrade(op)

Everyday commands:

  npx revise dev -m "add posts"            # after editing schema.prisma: autogenerate, upgrade, prisma generate
  npx revise dev --amend                   # regenerate the last (local, uncommitted) revision
  npx revise autogenerate -m "add posts"   # compare schema.prisma with the database, write a revision
  npx revise revision -m "backfill"        # a revision to fill in by hand (hooks typed by the database)
  npx revise test --seed generated         # CI: every revision up, down, up on a scratch database
  npx revise upgrade head                  # apply every pending revision
  npx revise downgrade -1                  # revert the last revision
  npx revise current | history | heads     # where the database and the scripts are
  npx revise upgrade head --sql            # print the SQL instead of running it

The database URL comes from --url, REVISE_DATABASE_URL, then what Prisma
would use (the schema's directUrl/url, or prisma.config.ts datasource.url),
DATABASE_URL, or file:./local.db for a SQLite schema; .env files are read.
The applied revision is kept in the alembic_version table, exactly as Alembic
keeps it.
`;

export function multidbReadme(databases: string[]): string {
  const [first, second] = [databases[0] ?? 'engine1', databases[1] ?? databases[0] ?? 'engine2'];
  return `Rudimentary multi-database configuration.

One revision stream (versions/) for several databases, as in Alembic's
multidb template: every revision file has one upgrade/downgrade pair per
database,

${databases.map((name) => `  export async function upgrade_${name}(op: MigrationOps) { ... }\n  export async function downgrade_${name}(op: MigrationOps) { ... }`).join('\n')}

(or the same pairs as objects: export const upgrades = { ${databases[0] ?? 'engine1'}: async (op) => {...} }
and export const downgrades = {...}), and each upgrade/downgrade/stamp
migrates every database in turn, each keeping its own alembic_version table.
Autogenerate also writes, per database, what a single-database revision has
once: the data hooks upgradeData_<db>(op, db) / downgradeData_<db>(op, db)
called between the additive and the destructive steps, the table shapes they
see (UpgradeTables_<db> / DowngradeTables_<db>), and prismaNames_<db>, which
lets the next autogenerate tell an @map rename from a drop.

package.json#revise.databases maps each database name to the environment
variable holding its URL (or the URL itself) and to its Prisma schema:

  "revise": {
    "databases": {
${databases.map((name) => `      "${name}": { "url": "${name.toUpperCase()}_DATABASE_URL", "schema": "prisma/${name}.prisma" }`).join(',\n')}
    }
  }

Everyday commands:

  npx revise autogenerate -m "add posts"   # compare each database with its schema, one file
  npx revise upgrade head                  # Migrating database ${first} ... then ${second} ...
  npx revise current                       # each database's revision
  npx revise upgrade head --name ${first}     # only this database
`;
}
