// `npm run db:seed`: the development demo data into DATABASE_URL (refuses in production).
import { seed } from "../prisma/seed";
import { getDb } from "../server/db/client";

seed()
  .then(async () => {
    await getDb().$disconnect();
    console.log("Seeded: acme, globex, admin@phteah.test (password phteah-demo-2026).");
  })
  .catch((error: unknown) => {
    console.error(`✖ ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
