// Test fixtures write ids with PostgreSQL 18's built-in uuidv7() (bulk INSERT … SELECT). On a
// TEST_DATABASE_URL server of version 15-17 the test database gets a SQL equivalent (a
// time-ordered version-7 UUID from gen_random_uuid() and the clock). Test databases only: the app
// makes its ids in JavaScript (server/core/uuidv7.ts) and needs no server function.
import pg from "pg";

export async function ensureUuidv7(superuserUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: superuserUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ present: boolean }>("SELECT to_regprocedure('uuidv7()') IS NOT NULL AS present");
    if (rows[0]?.present) return;
    await c.query(`CREATE FUNCTION public.uuidv7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
      SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
    $$`);
  } finally {
    await c.end();
  }
}
