import { startEmbeddedPostgres, findFreePort } from "./embedded";
const db = await startEmbeddedPostgres({ dataDir: "", port: await findFreePort(), persistent: false });
const mode = process.argv[2];
console.log("started", mode);
if (mode === "throw") setTimeout(() => { throw new Error("boom"); }, 100);
if (mode === "exit") setTimeout(() => process.exit(3), 100);
if (mode === "normal") await db.stop();
