// A real S3-compatible server (npm s3rver) in a process of its own, for the tests of the S3
// storage driver (tests/integration/support/s3.ts starts it). Node runs it with
// --openssl-legacy-provider: s3rver seals ListObjectsV2 continuation tokens with DES, which
// OpenSSL 3 only has in its legacy provider (without it every second page of a listing is a 500).
// argv: <data directory> <bucket>...; prints {"port":N} once it listens on 127.0.0.1.
import S3rver from "s3rver";

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// the test runner went away without stopping us
process.on("disconnect", stop);
