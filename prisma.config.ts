import { defineConfig } from "prisma/config";

// The CLI is used for `prisma generate` (and `prisma migrate deploy` where Prisma's engine
// binary can be downloaded); migrations here run through scripts/db (WASM schema engine).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? "postgresql://localhost:5432/phteah",
  },
});
