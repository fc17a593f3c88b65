// Prisma 7 project config for the demo app. revise reads the schema path and
// the datasource URL from here, like the Prisma CLI does.
// (`prisma/config` re-exports `@prisma/config`; this project has only the latter installed.)
import { defineConfig } from '@prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: {
    url: process.env.DATABASE_URL ?? 'file:./local.db',
  },
});
