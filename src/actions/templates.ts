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

  npx revise autogenerate -m "add posts"   # compare schema.prisma with the database, write a revision
  npx revise revision -m "backfill"        # an empty revision to fill in by hand
  npx revise upgrade head                  # apply every pending revision
  npx revise downgrade -1                  # revert the last revision
  npx revise current | history | heads     # where the database and the scripts are
  npx revise upgrade head --sql            # print the SQL instead of running it

The database URL comes from --url, REVISE_DATABASE_URL, DATABASE_URL (.env is
read), prisma.config.ts, or file:./local.db for a SQLite schema. The applied
revision is kept in the alembic_version table, exactly as Alembic keeps it.
`;

export function multidbReadme(databases: string[]): string {
  return `Rudimentary multi-database configuration.

One version stream per database, each in its own folder:

${databases.map((name) => `  ${name}/versions/`).join('\n')}

package.json#revise.databases maps each database name to the environment
variable holding its URL and to its Prisma schema, for example:

  "revise": {
    "databases": {
${databases.map((name) => `      "${name}": { "url": "${name.toUpperCase()}_DATABASE_URL", "schema": "prisma/${name}.prisma", "migrations": "migrations/${name}" }`).join(',\n')}
    }
  }

"url" is the name of the environment variable holding the database's URL (or
the URL itself). Every command works on one database, chosen with --name:

  npx revise autogenerate --name ${databases[0]} -m "add posts"
  npx revise upgrade head --name ${databases[0]}
  npx revise current --name ${databases[1] ?? databases[0]}

Each database keeps its own alembic_version table and its own history.
`;
}
